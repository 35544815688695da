"""The statements the changing requests are built on: each one reads or writes what the
separate queries it replaced did, in its workspace only."""

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage import cycles as cycle_rows
from storage import kaizen as kaizen_rows
from storage import owners as owner_rows
from storage import streams as stream_rows
from storage import teams as team_rows
from storage.events import claim_event, edited_key
from storage.models import CycleThread, Improvement, Stream, StreamChange, WorkTeam
from storage.tenant import Tenant
from storage.types import id_of

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def new_tenant() -> Tenant:
    return Tenant(team_id="T" + secrets.token_hex(4).upper())


def add_stream(session: Session, tenant: Tenant, name: str = "Onboarding") -> Stream:
    stream = Stream(name=name, channel_id="C1", created_by="U1", created_at=NOW, team_id="")
    stream = stream_rows.add_stream(session=session, tenant=tenant, stream=stream)
    owner_rows.add_owners(
        session=session, tenant=tenant, stream=stream, users=["UOWNER"], by="U1", now=NOW
    )
    return stream


@pytest.fixture
def session(migrated_engine: Engine) -> Iterator[Session]:
    with Session(migrated_engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


def test_stream_to_change_says_whether_the_person_owns_it(session: Session) -> None:
    tenant = new_tenant()
    stream = add_stream(session, tenant)

    def find(name: str, user: str | None) -> tuple[int, bool] | None:
        found = owner_rows.stream_to_change(session=session, tenant=tenant, name=name, user=user)
        return None if found is None else (id_of(found[0]), found[1])

    assert find("ONBOARDING", "UOWNER") == (id_of(stream), True)
    assert find("onboarding", "USOMEONE") == (id_of(stream), False)
    assert find("onboarding", None) == (id_of(stream), False)
    assert find("Onboard", "UOWNER") is None  # a beginning is find_stream's to resolve
    assert (
        owner_rows.stream_to_change(
            session=session, tenant=new_tenant(), name="Onboarding", user="UOWNER"
        )
        is None
    )


def test_a_change_is_logged_as_one_row(session: Session) -> None:
    tenant = new_tenant()
    stream = add_stream(session, tenant)
    owner_rows.record_change(
        session=session,
        tenant=tenant,
        stream=stream,
        by="U1",
        what="step.edit",
        now=NOW,
        subject="x" * 300,
        before="b",
    )
    [change] = owner_rows.changes_of(session=session, tenant=tenant, stream=stream)
    assert (change.what, len(change.subject), change.before, change.after, change.at) == (
        "step.edit",
        200,
        "b",
        None,
        NOW,
    )
    assert session.exec(select(StreamChange).where(StreamChange.id == change.id)).one()


def test_improvements_are_numbered_per_stream(session: Session) -> None:
    tenant = new_tenant()
    first, second = add_stream(session, tenant, "First"), add_stream(session, tenant, "Second")

    def propose(stream: Stream, title: str) -> int:
        item = Improvement(
            stream_id=0, number=0, title=title, created_by="U1", created_at=NOW, effort="S"
        )
        stored = kaizen_rows.add_improvement(
            session=session, tenant=tenant, stream=stream, improvement=item
        )
        assert stored.id is not None
        return stored.number

    assert [propose(first, "a"), propose(first, "b"), propose(second, "c")] == [1, 2, 1]
    items = kaizen_rows.improvements_of(session=session, tenant=tenant, stream=first)
    assert [(i.number, i.title, i.status, i.effort) for i in items] == [
        (1, "a", "proposed", "S"),
        (2, "b", "proposed", "S"),
    ]


def test_a_step_s_team_is_made_once_then_found(session: Session) -> None:
    tenant = new_tenant()
    made = team_rows.step_team_row(
        session=session, tenant=tenant, name="  Team   Blue ", by="U1", now=NOW
    )
    found = team_rows.step_team_row(
        session=session, tenant=tenant, name="team blue", by="U2", now=NOW
    )
    assert made == found
    assert made[1] == "Team Blue"
    team = session.get(WorkTeam, made[0])
    assert team is not None
    assert (team.name_key, team.people, team.mission, team.created_by) == (
        "team blue",
        [],
        "",
        "U1",
    )
    other = team_rows.step_team_row(
        session=session, tenant=new_tenant(), name="Team Blue", by="U1", now=NOW
    )
    assert other[0] != made[0]


def test_a_thread_s_cycle_comes_with_its_steps_and_the_event_asked_about(
    session: Session,
) -> None:
    tenant = new_tenant()
    stream = add_stream(session, tenant)
    steps = [
        stream_rows.new_step(tenant=tenant, stream=stream, name=name, team="", people=())
        for name in ("Intake", "Build", "Ship")
    ]
    stream_rows.save_steps(session=session, tenant=tenant, stream=stream, steps=steps)
    cycle = cycle_rows.add_cycle(
        session=session,
        tenant=tenant,
        stream=stream,
        steps=steps,
        opened_by="U1",
        label="",
        window_s=None,
        now=NOW,
    )
    ts = f"{secrets.randbelow(10**9)}.000100"
    session.add(CycleThread(cycle_id=id_of(cycle), channel_id="C1", ts=ts))
    session.flush()
    mine, theirs = edited_key("C1", ts + "1"), edited_key("C1", ts + "2")
    assert claim_event(session=session, tenant=tenant, event_id=mine, now=NOW)
    assert claim_event(session=session, tenant=new_tenant(), event_id=theirs, now=NOW)

    def thread(tenant: Tenant, event_id: str | None) -> cycle_rows.ThreadCycle | None:
        return cycle_rows.thread_cycle(
            session=session, tenant=tenant, channel_id="C1", thread_ts=ts, event_id=event_id
        )

    found = thread(tenant, mine)
    assert found is not None
    assert (found.cycle.id, found.stream.id, found.seen) == (cycle.id, stream.id, True)
    assert [(s.position, s.name) for s in found.steps] == [(1, "Intake"), (2, "Build"), (3, "Ship")]
    for other in (theirs, None):  # another workspace's record; none asked about
        found = thread(tenant, other)
        assert found is not None
        assert not found.seen
    assert thread(new_tenant(), mine) is None
