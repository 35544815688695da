"""Answers in a cycle's thread: read them, store them, and say what could not be read."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from sqlmodel import Session

from commands.services import Services
from commands.survey import record_survey_line
from storage import cycles as cycle_rows
from storage import home as home_rows
from storage.events import claim_event, edited_key, mark_edited
from storage.models import CycleStep, Measurement
from storage.streams import basis_of
from storage.tenant import Tenant
from storage.types import id_of
from vsm.durations import CALENDAR
from vsm.replies import LineProblem, StepRef, parse_reply

MessageKind = Literal["new", "edit", "delete"]
OutcomeKind = Literal["ignored", "duplicate", "closed", "conversation", "recorded", "removed"]


@dataclass(frozen=True)
class ThreadMessage:
    """A message in a thread, as the answers use case needs it (text already unescaped)."""

    tenant: Tenant
    event_id: str
    kind: MessageKind
    channel_id: str
    thread_ts: str
    ts: str
    user: str
    text: str = ""


@dataclass(frozen=True)
class CycleInfo:
    """The cycle a thread belongs to, as the hints name it."""

    stream: str
    number: int
    status: str


@dataclass(frozen=True)
class ReplyOutcome:
    """What an answer did, for the listener to acknowledge."""

    kind: OutcomeKind
    cycle: CycleInfo | None = None
    recorded: tuple[int, ...] = ()
    problems: tuple[LineProblem, ...] = ()
    steps: tuple[StepRef, ...] = ()
    surveyed: bool = False
    # The person who wrote it has opened their Home tab, which shows what they still owe.
    home_viewer: bool = False

    @property
    def fully_read(self) -> bool:
        """Every line was read and something was recorded: the message earns its ✅."""
        return (
            self.kind == "recorded" and bool(self.recorded or self.surveyed) and not self.problems
        )

    def changes_what_they_owe(self, kind: MessageKind) -> bool:
        """Whether the message (of `kind`) may have changed what its writer still owes."""
        return self.cycle is not None and (bool(self.recorded) or kind != "new")

    @property
    def needs_hint(self) -> bool:
        """A line could not be read, or the cycle is over: the thread gets a short hint."""
        return self.kind == "closed" or (self.kind == "recorded" and bool(self.problems))


@dataclass(frozen=True)
class AnswerHint:
    """The hint in the thread for a message that could not be (wholly) read."""

    reply: ThreadMessage
    outcome: ReplyOutcome


def record_reply(services: Services, message: ThreadMessage) -> ReplyOutcome:
    """Store what a thread message says about the cycle's steps (an edit replaces it, a
    deletion removes it); every delivery of one event counts once."""
    with services.unit_of_work() as session:
        outcome = _record(session, message, services.now())
        if outcome.changes_what_they_owe(message.kind):
            # Read here, in the same transaction, so only a Home that is shown is refreshed.
            viewers = home_rows.home_viewers(
                session=session, tenant=message.tenant, users=(message.user,)
            )
            outcome = replace(outcome, home_viewer=message.user in viewers)
        return outcome


def _record(session: Session, message: ThreadMessage, now: datetime) -> ReplyOutcome:
    """What the message does to its cycle, carried out in `session`."""
    tenant = message.tenant
    # The cycle, its steps and (for a new message) whether it was edited already: one query.
    found = cycle_rows.thread_cycle(
        session=session,
        tenant=tenant,
        channel_id=message.channel_id,
        thread_ts=message.thread_ts,
        event_id=edited_key(message.channel_id, message.ts) if message.kind == "new" else None,
    )
    if found is None:
        return ReplyOutcome("ignored")
    if not claim_event(session=session, tenant=tenant, event_id=message.event_id, now=now):
        return ReplyOutcome("duplicate")
    cycle, stream, steps = found.cycle, found.stream, found.steps
    cycle_id = id_of(cycle)
    about = CycleInfo(stream.name, cycle.number, cycle.status)
    if cycle.status != cycle_rows.OPEN:
        # "Thanks!" under the summary is no late answer: only what could be one gets a hint.
        if message.kind == "delete" or is_conversation(message.text):
            return ReplyOutcome("ignored", about)
        return ReplyOutcome("closed", about)
    if message.kind == "delete":
        mark_edited(
            session=session,
            tenant=tenant,
            channel_id=message.channel_id,
            ts=message.ts,
            now=now,
        )
        cycle_rows.forget_source(
            session=session, tenant=tenant, cycle_id=cycle_id, source=message.ts
        )
        return ReplyOutcome("removed", about)
    refs = tuple(StepRef(step.position, step.name) for step in steps)
    parsed = parse_reply(
        message.text, refs, basis_of(stream), default_step=sole_step(steps, message.user)
    )
    if found.seen:
        # The original arrived after its edit or deletion: what came later stands.
        return ReplyOutcome("ignored", about)
    if message.kind == "edit":
        mark_edited(
            session=session,
            tenant=tenant,
            channel_id=message.channel_id,
            ts=message.ts,
            now=now,
        )
        cycle_rows.forget_source(
            session=session,
            tenant=tenant,
            cycle_id=cycle_id,
            source=message.ts,
            person=message.user,
        )
    elif parsed.conversation:
        return ReplyOutcome("conversation", about)
    by_position = {step.position: step for step in steps}
    answered_at = ts_to_datetime(message.ts)
    cycle_rows.add_measurements(
        session=session,
        tenant=tenant,
        stream=stream,
        cycle=cycle,
        items=[
            Measurement(
                cycle_id=cycle_id,
                cycle_step_id=id_of(by_position[answer.position]),
                person=message.user,
                source=message.ts,
                answered_at=answered_at,
                wait_s=answer.wait_s,
                process_s=answer.process_s,
                ca=answer.ca,
                wait_cause=answer.wait_cause,
            )
            for answer in parsed.answers
        ],
    )
    survey_problems = tuple(
        problem
        for line in parsed.survey_lines
        if (problem := record_survey_line(session, tenant, cycle, message.user, line, now))
    )
    return ReplyOutcome(
        "recorded",
        about,
        recorded=tuple(answer.position for answer in parsed.answers),
        problems=parsed.problems + survey_problems,
        steps=refs,
        surveyed=bool(parsed.survey_lines) and not survey_problems,
    )


def is_conversation(text: str) -> bool:
    """Whether a message holds no answer at all, whatever the steps."""
    return parse_reply(text, (), CALENDAR).conversation


def sole_step(steps: Sequence[CycleStep], person: str) -> int | None:
    """The one step `person` is assigned to, if they are assigned to exactly one."""
    theirs = Counter(step.position for step in steps if person in step.people)
    return next(iter(theirs)) if len(theirs) == 1 else None


def ts_to_datetime(ts: str) -> datetime:
    """A Slack message timestamp ("1700000000.000100") as an aware UTC datetime."""
    return datetime.fromtimestamp(float(ts), UTC)
