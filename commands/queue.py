"""Queueing a message that must not be lost: rendered now, committed with the change that
caused it, sent by the outbox sender after the commit."""

from typing import Any

from sqlmodel import Session

from commands.services import Services
from storage import outbox
from storage.tenant import Tenant


def queue_message(
    session: Session,
    services: Services,
    tenant: Tenant,
    *,
    key: str,
    kind: str,
    channel_id: str,
    message: Any,
    thread_ts: str | None = None,
    cycle_id: int | None = None,
) -> int:
    """Put `message` (a dataclass shown by the template named after it) in the outbox under
    `key`; the same key queued twice is one message. Returns the outbox row's id."""
    return outbox.enqueue(
        session=session,
        tenant=tenant,
        key=key,
        kind=kind,
        channel_id=channel_id,
        payload=services.renderer.message_for(message),
        now=services.now(),
        thread_ts=thread_ts,
        cycle_id=cycle_id,
    )
