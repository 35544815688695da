"""Answers in a cycle's thread: read them, store them, and say what could not be read."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlmodel import Session

from commands.survey import cycle_survey, record_scores
from commands.tokens import unescape
from commands.views import basis_of
from storage import cycles as store
from storage.events import claim_event
from storage.models import Cycle, CycleStep, Measurement
from storage.tenant import Tenant
from vsm.durations import CALENDAR
from vsm.replies import LineProblem, StepRef, parse_reply
from vsm.survey import SurveyError, parse_survey_line

MessageKind = Literal["new", "edit", "delete"]
OutcomeKind = Literal["ignored", "duplicate", "closed", "conversation", "recorded", "removed"]


@dataclass(frozen=True)
class ThreadMessage:
    """A message in a thread, as the answers use case needs it."""

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


def record_reply(session: Session, message: ThreadMessage, now: datetime) -> ReplyOutcome:
    """Store what a thread message says about the cycle's steps (an edit replaces it, a
    deletion removes it); every delivery of one event counts once."""
    found = store.cycle_by_thread(
        session=session,
        tenant=message.tenant,
        channel_id=message.channel_id,
        thread_ts=message.thread_ts,
    )
    if found is None:
        return ReplyOutcome("ignored")
    if not claim_event(session=session, tenant=message.tenant, event_id=message.event_id, now=now):
        return ReplyOutcome("duplicate")
    cycle, stream = found
    about = CycleInfo(stream.name, cycle.number, cycle.status)
    if cycle.status != store.OPEN:
        # "Thanks!" under the summary is no late answer: only what could be one gets a hint.
        if message.kind == "delete" or is_conversation(message.text):
            return ReplyOutcome("ignored", about)
        return ReplyOutcome("closed", about)
    if message.kind == "delete":
        store.forget_source(session=session, cycle_id=cycle.id or 0, source=message.ts)
        return ReplyOutcome("removed", about)
    snapshot = store.cycle_steps(session=session, cycle_ids=[cycle.id or 0])[cycle.id or 0]
    refs = tuple(StepRef(step.position, step.name) for step in snapshot)
    parsed = parse_reply(
        unescape(message.text),
        refs,
        basis_of(stream),
        default_step=sole_step(snapshot, message.user),
    )
    if message.kind == "edit":
        store.forget_source(
            session=session, cycle_id=cycle.id or 0, source=message.ts, person=message.user
        )
    elif parsed.conversation:
        return ReplyOutcome("conversation", about)
    by_position = {step.position: step for step in snapshot}
    answered_at = ts_to_datetime(message.ts)
    store.add_measurements(
        session=session,
        items=[
            Measurement(
                cycle_id=cycle.id or 0,
                cycle_step_id=by_position[answer.position].id or 0,
                person=message.user,
                source=message.ts,
                answered_at=answered_at,
                wait_s=answer.wait_s,
                process_s=answer.process_s,
                ca=answer.ca,
            )
            for answer in parsed.answers
        ],
    )
    survey_problems = record_survey_lines(session, cycle, message.user, parsed.survey_lines, now)
    return ReplyOutcome(
        "recorded",
        about,
        recorded=tuple(answer.position for answer in parsed.answers),
        problems=parsed.problems + survey_problems,
        steps=refs,
        surveyed=bool(parsed.survey_lines) and not survey_problems,
    )


def record_survey_lines(
    session: Session, cycle: Cycle, person: str, lines: Sequence[str], now: datetime
) -> tuple[LineProblem, ...]:
    """Store `survey 4 5 3 4 4 5` lines (a later line wins); returns the lines not understood."""
    if not lines:
        return ()
    questions = cycle_survey(session, [cycle.id or 0])[cycle.id or 0]
    problems = []
    for line in lines:
        try:
            scores = parse_survey_line(line, len(questions))
        except SurveyError as error:
            problems.append(LineProblem(line, error.message))
            continue
        record_scores(session, cycle, person, dict(enumerate(scores, start=1)), now)
    return tuple(problems)


def is_conversation(text: str) -> bool:
    """Whether a message (as Slack sent it) holds no answer at all, whatever the steps."""
    return parse_reply(unescape(text), (), CALENDAR).conversation


def sole_step(steps: Sequence[CycleStep], person: str) -> int | None:
    """The one step `person` is assigned to, if they are assigned to exactly one."""
    theirs = Counter(step.position for step in steps if person in step.people)
    return next(iter(theirs)) if len(theirs) == 1 else None


def ts_to_datetime(ts: str) -> datetime:
    """A Slack message timestamp ("1700000000.000100") as an aware UTC datetime."""
    return datetime.fromtimestamp(float(ts), UTC)
