"""The readiness survey: its questions per stream, answers by button or text, and results."""

import json
import logging
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from commands.lookup import find_stream
from commands.services import Services
from commands.slash import Call, Reply, ephemeral, tenant_of
from commands.timings import field_values
from storage import cycles as cycle_store
from storage import survey as store
from storage.models import Cycle, Stream
from storage.streams import get_stream
from storage.tenant import Tenant
from vsm.errors import VsmError
from vsm.survey import (
    DEFAULT_QUESTIONS,
    Question,
    QuestionResult,
    parse_questions,
    summarize_survey,
)

log = logging.getLogger(__name__)

# One action id per score: Slack wants action ids unique within a block.
ANSWER_ACTION = re.compile(r"^survey_answer_[1-5]$")
EDIT_CALLBACK = "survey_edit"
QUESTIONS_BLOCK = "questions"


def questions_for(session: Session, stream: Stream) -> tuple[Question, ...]:
    """The questions the stream asks: its own, or the default ones."""
    own = store.stream_questions(session=session, stream=stream)
    return tuple(Question(q.key, q.text) for q in own) or DEFAULT_QUESTIONS


def cycle_survey(session: Session, cycle_ids: Sequence[int]) -> dict[int, tuple[Question, ...]]:
    """The questions each cycle asked."""
    found = store.cycle_questions(session=session, cycle_ids=cycle_ids)
    return {cid: tuple(Question(q.key, q.text) for q in qs) for cid, qs in found.items()}


def survey_results(
    session: Session, cycle: Cycle, previous: Cycle | None
) -> tuple[QuestionResult, ...]:
    """A cycle's results per question, with the change since `previous` (never per person)."""
    ids = [c.id or 0 for c in (cycle, previous) if c is not None]
    questions = cycle_survey(session, ids)
    scores = store.scores(session=session, cycle_ids=ids)
    before = None
    if previous is not None:
        before = {
            r.key: r
            for r in summarize_survey(
                questions[previous.id or 0],
                _by_key(questions[previous.id or 0], scores[previous.id or 0]),
            )
        }
    mine = questions[cycle.id or 0]
    return summarize_survey(mine, _by_key(mine, scores[cycle.id or 0]), before)


def _by_key(questions: Sequence[Question], scores: dict[int, list[int]]) -> dict[str, list[int]]:
    return {q.key: scores.get(position, []) for position, q in enumerate(questions, start=1)}


def record_scores(
    session: Session, cycle: Cycle, person: str, scores: dict[int, int], now: datetime
) -> None:
    """Store a person's scores by question position, replacing their earlier ones."""
    for position, score in scores.items():
        store.record_score(
            session=session,
            cycle_id=cycle.id or 0,
            position=position,
            person=person,
            score=score,
            now=now,
        )


def answer_by_button(
    session: Session, tenant: Tenant, value: str, person: str, now: datetime
) -> tuple[str, int, str]:
    """Record a click `cycle:position:score`; returns the question, the score and the stream.

    Raises:
        VsmError: the click is malformed, or its cycle is no longer open.
    """
    try:
        cycle_id, position, score = (int(part) for part in value.split(":"))
    except ValueError:
        raise VsmError("That button is not one I know.") from None
    found = cycle_store.cycle_by_id(session=session, tenant=tenant, cycle_id=cycle_id)
    if found is None:
        raise VsmError("I cannot find that cycle any more.")
    cycle, stream = found
    if cycle.status != cycle_store.OPEN:
        raise VsmError(
            f"Cycle {cycle.number} of “{stream.name}” is {cycle.status}; the survey is over."
        )
    questions = cycle_survey(session, [cycle_id])[cycle_id]
    if not 1 <= position <= len(questions) or not 1 <= score <= 5:
        raise VsmError("That button is not one I know.")
    record_scores(session, cycle, person, {position: score}, now)
    return questions[position - 1].text, score, stream.name


def handle_survey(call: Call) -> Reply:
    services, req = call.services, call.request
    action = str(call.args.get("action", "")).lower()
    with services.unit_of_work() as session:
        stream = find_stream(session, req.tenant, call.args["stream"], active=bool(action))
        if action == "reset":
            store.replace_stream_questions(session=session, stream=stream, questions=())
        questions = questions_for(session, stream)
        own = bool(store.stream_questions(session=session, stream=stream))
        name, stream_id = stream.name, stream.id or 0
    if action == "edit":
        view = services.renderer.view(
            "survey_edit_modal.json.j2",
            stream=name,
            questions=questions,
            metadata=json.dumps({"stream": stream_id}),
        )
        try:
            if services.slack is not None and req.trigger_id:
                services.slack.views_open(trigger_id=req.trigger_id, view=view)
                return ephemeral(
                    services.renderer.message("survey_edit_opened.json.j2", stream=name)
                )
        except SlackApiError as error:
            # The trigger lasts 3 seconds; a slow moment loses it. Show the questions instead.
            log.warning("views.open for the survey editor failed: %s", error.response.get("error"))
    return ephemeral(
        services.renderer.message(
            "survey_questions.json.j2",
            stream=name,
            questions=questions,
            own=own,
            reset=action == "reset",
        )
    )


def save_questions(session: Session, tenant: Tenant, stream_id: int, text: str) -> str:
    """Replace a stream's questions with those in `text`; returns the stream's name."""
    stream = get_stream(session=session, tenant=tenant, stream_id=stream_id, for_update=True)
    if stream is None:
        raise VsmError("I cannot find that stream any more.")
    questions = parse_questions(text)
    store.replace_stream_questions(
        session=session, stream=stream, questions=[(q.key, q.text) for q in questions]
    )
    return stream.name


def register(app: App, services: Services) -> None:
    """The 1–5 buttons in a cycle's thread, and the question editor's submission."""
    app.action(ANSWER_ACTION)(_answer_listener(services))
    app.view(EDIT_CALLBACK)(_edit_listener(services))


def _answer_listener(services: Services) -> Callable[..., None]:
    def handle_survey_answer(
        ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        ack()
        tenant = tenant_of(context)
        action = (body.get("actions") or [{}])[0]
        person = (body.get("user") or {}).get("id", "")
        if tenant is None:
            return
        try:
            with services.unit_of_work() as session:
                question, score, stream = answer_by_button(
                    session, tenant, str(action.get("value", "")), person, services.now()
                )
            payload = services.renderer.message(
                "survey_answered.json.j2", question=question, score=score, stream=stream
            )
        except VsmError as error:
            payload = services.renderer.message("error.json.j2", problem=error.message, usage=None)
        respond(**payload, response_type="ephemeral", replace_original=False)

    return handle_survey_answer


def _edit_listener(services: Services) -> Callable[..., None]:
    def handle_survey_edit(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        tenant = tenant_of(context)
        try:
            stream_id = int(json.loads(view.get("private_metadata") or "{}").get("stream", 0))
        except (ValueError, TypeError, AttributeError):
            stream_id = 0
        if tenant is None or not stream_id:
            ack()
            return
        text = field_values(view).get(QUESTIONS_BLOCK, "")
        try:
            with services.unit_of_work() as session:
                save_questions(session, tenant, stream_id, text)
        except VsmError as error:
            ack(response_action="errors", errors={QUESTIONS_BLOCK: error.message})
            return
        ack()

    return handle_survey_edit
