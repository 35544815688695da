"""Stopping a workspace the app left, and forgetting one: only that workspace, every row of it."""

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, select
from sqlmodel import Session, SQLModel

from storage import outbox
from storage.models import Cycle, DigestSchedule, MeasureSchedule, OutboxMessage, Stream
from storage.tenant import Tenant
from storage.workspaces import UNINSTALLED, forget_workspace, held_workspaces, stop_workspace

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def new_tenant(enterprise_id: str = "") -> Tenant:
    return Tenant(team_id="T" + secrets.token_hex(4).upper(), enterprise_id=enterprise_id)


def populate(session: Session, tenant: Tenant) -> None:
    """A stream with a cycle and a schedule, a channel digest, a pending and a sent message."""
    stream = Stream(
        enterprise_id=tenant.enterprise_id,
        team_id=tenant.team_id,
        name="Onboarding",
        name_key="onboarding",
        channel_id="C1",
        created_by="U1",
        created_at=NOW,
    )
    session.add(stream)
    session.flush()
    assert stream.id is not None
    session.add(
        Cycle(stream_id=stream.id, number=1, opened_at=NOW, opened_by="U1", channel_id="C1")
    )
    session.add(
        MeasureSchedule(
            stream_id=stream.id,
            every=1,
            unit="weeks",
            at_time="09:00",
            zone="UTC",
            anchor=date(2026, 3, 2),
            window_s=86400,
            next_run_at=NOW,
            created_by="U1",
            created_at=NOW,
        )
    )
    session.add(
        DigestSchedule(
            enterprise_id=tenant.enterprise_id,
            team_id=tenant.team_id,
            channel_id="C1",
            weekday=0,
            at_time="09:00",
            zone="UTC",
            anchor=date(2026, 3, 2),
            next_run_at=NOW,
            created_by="U1",
            created_at=NOW,
        )
    )
    for key in ("pending", "sent"):
        message_id = outbox.enqueue(
            session=session,
            tenant=tenant,
            key=f"{tenant.team_id}-{key}",
            kind="digest",
            channel_id="C1",
            payload={"text": key},
            now=NOW,
        )
        if key == "sent":
            sent = session.get(OutboxMessage, message_id)
            assert sent is not None
            sent.status = outbox.SENT
    session.flush()


def count(session: Session, model: type[SQLModel], tenant: Tenant) -> int:
    column = model.team_id if hasattr(model, "team_id") else None  # type: ignore[attr-defined]
    query = select(func.count()).select_from(model)
    if column is not None:
        query = query.where(column == tenant.team_id)
    else:
        query = query.join(Stream).where(Stream.team_id == tenant.team_id)  # type: ignore[arg-type]
    return int(session.execute(query).scalar_one())


def statuses(session: Session, tenant: Tenant) -> dict[str, tuple[str, str]]:
    rows = session.execute(
        select(OutboxMessage.key, OutboxMessage.status, OutboxMessage.last_error).where(
            OutboxMessage.team_id == tenant.team_id  # type: ignore[arg-type]
        )
    ).all()
    return {key.split("-")[-1]: (status, error) for key, status, error in rows}


def test_stopping_ends_schedules_digests_and_unsent_messages_of_that_workspace_only(
    migrated_engine: Engine,
) -> None:
    gone, staying = new_tenant(), new_tenant()
    with Session(migrated_engine) as session:
        populate(session, gone)
        populate(session, staying)

        stopped = stop_workspace(session=session, enterprise_id="", team_id=gone.team_id)

        assert (stopped.schedules, stopped.digests, stopped.messages) == (1, 1, 1)
        assert statuses(session, gone) == {
            "pending": (outbox.FAILED, UNINSTALLED),
            "sent": (outbox.SENT, ""),
        }
        assert count(session, MeasureSchedule, gone) == 0
        assert count(session, DigestSchedule, gone) == 0
        assert count(session, Stream, gone) == 1
        assert count(session, Cycle, gone) == 1
        for model in (MeasureSchedule, DigestSchedule, Stream, Cycle):
            assert count(session, model, staying) == 1
        assert statuses(session, staying)["pending"] == (outbox.PENDING, "")
        session.rollback()


def test_stopping_an_org_stops_each_of_its_workspaces(migrated_engine: Engine) -> None:
    org = "E" + secrets.token_hex(4).upper()
    one, two, elsewhere = new_tenant(org), new_tenant(org), new_tenant()
    with Session(migrated_engine) as session:
        for tenant in (one, two, elsewhere):
            populate(session, tenant)

        stopped = stop_workspace(session=session, enterprise_id=org, team_id=None)

        assert (stopped.schedules, stopped.digests, stopped.messages) == (2, 2, 2)
        assert count(session, DigestSchedule, elsewhere) == 1
        session.rollback()


def test_forgetting_deletes_every_row_of_that_workspace_only(migrated_engine: Engine) -> None:
    gone, staying = new_tenant(), new_tenant()
    with Session(migrated_engine) as session:
        populate(session, gone)
        populate(session, staying)

        deleted = forget_workspace(session=session, tenant=gone)

        assert deleted == {"stream": 1, "digest_schedule": 1, "outbox": 2}
        for model in (MeasureSchedule, DigestSchedule, Stream, Cycle, OutboxMessage):
            assert count(session, model, gone) == 0
            assert count(session, model, staying) >= 1
        held = {h.tenant for h in held_workspaces(session=session)}
        assert staying in held
        assert gone not in held
        session.rollback()
