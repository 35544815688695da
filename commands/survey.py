"""The readiness survey: its questions per stream, answers by button or text, and the editor."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session

from commands.access import changeable_stream, readable_stream, require_change
from commands.modals import OpenModal
from commands.owners import log_change
from commands.services import Services
from storage import cycles as cycle_rows
from storage import streams as stream_rows
from storage import survey as survey_rows
from storage.models import Cycle
from storage.tenant import Tenant
from storage.types import id_of
from vsm.errors import VsmError
from vsm.replies import LineProblem
from vsm.survey import parse_survey_line
from vsm.survey_questions import Question, SurveyError, parse_questions

EDIT_CALLBACK = "survey_edit"
QUESTIONS_BLOCK = "questions"


@dataclass(frozen=True)
class SurveyQuestions:
    """The reply to `/vsm survey`: the questions the stream's next cycle asks.

    Attributes:
        baseline: no cycle has closed yet, so the next is the baseline (the default
            questions are worded for it).
    """

    stream: str
    questions: tuple[Question, ...]
    own: bool
    reset: bool
    baseline: bool = False


@dataclass(frozen=True)
class SurveyEditModal:
    """The form to write a stream's own questions."""

    stream: str
    questions: tuple[Question, ...]
    metadata: str


@dataclass(frozen=True)
class SurveyEditOpened:
    stream: str


@dataclass(frozen=True)
class SurveyAnswered:
    """The private reply to a click on a survey button."""

    question: str
    score: int
    stream: str


def survey(
    services: Services,
    tenant: Tenant,
    name: str,
    action: Literal["", "edit", "reset"],
    *,
    by: str,
) -> SurveyQuestions | OpenModal:
    """`/vsm survey "<stream>" [edit|reset]`: show the questions, bring back the defaults, or
    open the editor (showing the questions if the editor cannot open)."""
    with services.unit_of_work() as session:
        if action:
            stream = changeable_stream(
                session, services, tenant, name, by, "change its survey", active=True
            )
        else:
            stream = readable_stream(session, services, tenant, name, by)
        if action == "reset":
            had = survey_rows.own_questions(session=session, tenant=tenant, stream=stream)
            survey_rows.replace_stream_questions(
                session=session, tenant=tenant, stream=stream, questions=()
            )
            if had:
                log_change(
                    session,
                    services,
                    tenant,
                    stream,
                    by,
                    "survey.reset",
                    before=" / ".join(q.text for q in had),
                )
        own = survey_rows.own_questions(session=session, tenant=tenant, stream=stream)
        baseline = not cycle_rows.has_closed_cycle(session=session, tenant=tenant, stream=stream)
        questions = survey_rows.questions_for(
            session=session, tenant=tenant, stream=stream, baseline=baseline
        )
        name, stream_id = stream.name, id_of(stream)
    shown = SurveyQuestions(name, questions, bool(own), action == "reset", baseline)
    if action != "edit":
        return shown
    return OpenModal(
        modal=SurveyEditModal(name, questions, json.dumps({"stream": stream_id})),
        opened=SurveyEditOpened(name),
        fallback=shown,
    )


def save_questions(
    services: Services, tenant: Tenant, stream_id: int, text: str, *, by: str
) -> str:
    """Replace a stream's questions with those in `text`; returns the stream's name.

    Raises:
        VsmError: the stream is gone, or the text does not hold 1 to 10 good questions.
        NotAllowed: `by` may not change the stream.
    """
    with services.unit_of_work() as session:
        stream = stream_rows.get_stream(
            session=session, tenant=tenant, stream_id=stream_id, for_update=True
        )
        if stream is None:
            raise VsmError("I cannot find that stream any more.")
        require_change(session, services, tenant, stream, by, "change its survey")
        questions = parse_questions(text)
        baseline = not cycle_rows.has_closed_cycle(session=session, tenant=tenant, stream=stream)
        before = survey_rows.questions_for(
            session=session, tenant=tenant, stream=stream, baseline=baseline
        )
        survey_rows.replace_stream_questions(
            session=session, tenant=tenant, stream=stream, questions=questions
        )
        log_change(
            session,
            services,
            tenant,
            stream,
            by,
            "survey.edit",
            before=" / ".join(q.text for q in before),
            after=" / ".join(q.text for q in questions),
        )
        return stream.name


def record_survey_line(
    session: Session, tenant: Tenant, cycle: Cycle, person: str, line: str, now: datetime
) -> LineProblem | None:
    """Store a `survey 4 5 3 4 4 5` line (a later one replaces it); the problem if it cannot
    be read."""
    cycle_id = id_of(cycle)
    asked = survey_rows.cycle_questions(session=session, tenant=tenant, cycle_ids=[cycle_id])
    try:
        given = parse_survey_line(line, len(asked[cycle_id]))
    except SurveyError as error:
        return LineProblem(line, error.message)
    for position, score in enumerate(given, start=1):
        survey_rows.record_score(
            session=session,
            tenant=tenant,
            cycle_id=cycle_id,
            position=position,
            person=person,
            score=score,
            now=now,
        )
    return None


def answer_by_button(
    services: Services, tenant: Tenant, cycle_id: int, position: int, score: int, person: str
) -> SurveyAnswered:
    """Record a click on a survey button (`cycle:position:score`).

    Raises:
        VsmError: its cycle is gone or no longer open, or the button is not one of its.
    """
    with services.unit_of_work() as session:
        found = cycle_rows.cycle_by_id(session=session, tenant=tenant, cycle_id=cycle_id)
        if found is None:
            raise VsmError("I cannot find that cycle any more.")
        cycle, stream = found
        if cycle.status != cycle_rows.OPEN:
            raise VsmError(
                f"Cycle {cycle.number} of “{stream.name}” is {cycle.status}; the survey is over."
            )
        asked = survey_rows.cycle_questions(session=session, tenant=tenant, cycle_ids=[cycle_id])
        questions = asked[cycle_id]
        if not 1 <= position <= len(questions) or not 1 <= score <= 5:
            raise VsmError("That button is not one I know.")
        survey_rows.record_score(
            session=session,
            tenant=tenant,
            cycle_id=cycle_id,
            position=position,
            person=person,
            score=score,
            now=services.now(),
        )
        return SurveyAnswered(questions[position - 1].text, score, stream.name)
