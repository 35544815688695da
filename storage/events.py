"""Slack event deliveries already acted on, so a retry never counts twice."""

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col

from storage.models import ProcessedEvent
from storage.tenant import Tenant
from storage.types import insert_new, rows_changed


def claim_event(*, session: Session, tenant: Tenant, event_id: str, now: datetime) -> bool:
    """Record that `event_id` is being acted on in this transaction.

    Returns:
        False if it was acted on before (or is being acted on by a transaction that then
        commits): the caller must do nothing. The record commits or rolls back with the effect.
    """
    return insert_new(
        session,
        ProcessedEvent,
        event_id=event_id,
        enterprise_id=tenant.enterprise_id,
        team_id=tenant.team_id,
        received_at=now,
    )


def forget_events_before(*, session: Session, before: datetime) -> int:
    """Drop records of deliveries older than Slack's retry horizon; returns how many."""
    statement = delete(ProcessedEvent).where(col(ProcessedEvent.received_at) < before)
    return rows_changed(session, statement)


def edited_key(channel_id: str, ts: str) -> str:
    """The event id under which an edit or deletion of the message `ts` is remembered."""
    return f"edited:{channel_id}:{ts}"[:64]


def mark_edited(
    *, session: Session, tenant: Tenant, channel_id: str, ts: str, now: datetime
) -> None:
    """Remember that the message `ts` was edited or deleted, so a late delivery of its original
    (Slack does not promise order) does not overwrite what came later."""
    claim_event(session=session, tenant=tenant, event_id=edited_key(channel_id, ts), now=now)
