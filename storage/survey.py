"""The readiness survey: a stream's questions, each cycle's copy, the scores, and the results
as vsm values. Every function takes the tenant."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.cycles import tenant_cycle_ids
from storage.models import Cycle, CycleQuestion, Stream, SurveyAnswer, SurveyQuestion
from storage.streams import check_stream
from storage.tenant import Tenant
from storage.types import id_of
from vsm.survey import QuestionResult, summarize_survey
from vsm.survey_questions import Question, default_questions


def own_questions(*, session: Session, tenant: Tenant, stream: Stream) -> tuple[Question, ...]:
    """The stream's own questions in order (empty: it asks the default ones)."""
    query = (
        select(SurveyQuestion)
        .where(SurveyQuestion.stream_id == check_stream(stream, tenant))
        .order_by(col(SurveyQuestion.position))
    )
    return tuple(Question(q.key, q.text) for q in session.exec(query).all())


def questions_for(
    *, session: Session, tenant: Tenant, stream: Stream, baseline: bool
) -> tuple[Question, ...]:
    """The questions a cycle of the stream asks: its own, or the default ones in the wording
    for a baseline (`baseline`: no cycle of the stream has closed yet) or a later cycle."""
    own = own_questions(session=session, tenant=tenant, stream=stream)
    return own or default_questions(baseline=baseline)


def replace_stream_questions(
    *, session: Session, tenant: Tenant, stream: Stream, questions: Sequence[Question]
) -> None:
    """Give the stream these questions; none brings back the defaults."""
    stream_id = check_stream(stream, tenant)
    session.execute(delete(SurveyQuestion).where(col(SurveyQuestion.stream_id) == stream_id))
    for position, question in enumerate(questions, start=1):
        session.add(
            SurveyQuestion(
                stream_id=stream_id, position=position, key=question.key, text=question.text
            )
        )
    session.flush()


def add_cycle_questions(
    *, session: Session, tenant: Tenant, cycle: Cycle, questions: Sequence[Question]
) -> None:
    """Copy the questions a cycle asks into the cycle."""
    cycle_id = id_of(cycle)
    if session.exec(tenant_cycle_ids(tenant, [cycle_id])).first() is None:
        raise ValueError(f"cycle {cycle_id} is not a cycle of {tenant.team_id}")
    for position, question in enumerate(questions, start=1):
        session.add(
            CycleQuestion(
                cycle_id=cycle_id, position=position, key=question.key, text=question.text
            )
        )
    session.flush()


def cycle_questions(
    *, session: Session, tenant: Tenant, cycle_ids: Sequence[int]
) -> dict[int, tuple[Question, ...]]:
    """The questions each of several cycles asked, in order, by cycle id."""
    found: dict[int, list[Question]] = {cycle_id: [] for cycle_id in cycle_ids}
    if cycle_ids:
        query = (
            select(CycleQuestion)
            .where(col(CycleQuestion.cycle_id).in_(tenant_cycle_ids(tenant, cycle_ids)))
            .order_by(col(CycleQuestion.cycle_id), col(CycleQuestion.position))
        )
        for question in session.exec(query).all():
            found[question.cycle_id].append(Question(question.key, question.text))
    return {cycle_id: tuple(questions) for cycle_id, questions in found.items()}


def record_score(
    *,
    session: Session,
    tenant: Tenant,
    cycle_id: int,
    position: int,
    person: str,
    score: int,
    now: datetime,
) -> None:
    """Store a person's score for a question, replacing their earlier one (two clicks at the
    same moment, on two workers, end with one of them, not an error)."""
    if session.exec(tenant_cycle_ids(tenant, [cycle_id])).first() is None:
        raise ValueError(f"cycle {cycle_id} is not a cycle of {tenant.team_id}")
    query = select(SurveyAnswer).where(
        SurveyAnswer.cycle_id == cycle_id,
        SurveyAnswer.position == position,
        SurveyAnswer.person == person,
    )
    existing = session.exec(query).first()
    if existing is None:
        try:
            with session.begin_nested():
                session.add(
                    SurveyAnswer(
                        cycle_id=cycle_id,
                        position=position,
                        person=person,
                        score=score,
                        answered_at=now,
                    )
                )
            return
        except IntegrityError:
            existing = session.exec(query).one()
    existing.score, existing.answered_at = score, now
    session.add(existing)
    session.flush()


def scores(
    *, session: Session, tenant: Tenant, cycle_ids: Sequence[int]
) -> dict[int, dict[int, list[int]]]:
    """The scores of several cycles: cycle id → question position → scores (no names)."""
    found: dict[int, dict[int, list[int]]] = {cycle_id: {} for cycle_id in cycle_ids}
    if not cycle_ids:
        return found
    query = select(SurveyAnswer.cycle_id, SurveyAnswer.position, SurveyAnswer.score).where(
        col(SurveyAnswer.cycle_id).in_(tenant_cycle_ids(tenant, cycle_ids))
    )
    for cycle_id, position, score in session.exec(query).all():
        found[cycle_id].setdefault(position, []).append(score)
    return found


def survey_results(
    *, session: Session, tenant: Tenant, cycle: Cycle, previous: Cycle | None
) -> tuple[QuestionResult, ...]:
    """A cycle's results per question, with the change since `previous` (never per person)."""
    ids = [id_of(c) for c in (cycle, previous) if c is not None]
    questions = cycle_questions(session=session, tenant=tenant, cycle_ids=ids)
    given = scores(session=session, tenant=tenant, cycle_ids=ids)
    before = None
    if previous is not None:
        asked = questions[id_of(previous)]
        before = {r.key: r for r in summarize_survey(asked, _by_key(asked, given[id_of(previous)]))}
    mine = questions[id_of(cycle)]
    return summarize_survey(mine, _by_key(mine, given[id_of(cycle)]), before)


def _by_key(questions: Sequence[Question], given: dict[int, list[int]]) -> dict[str, list[int]]:
    return {q.key: given.get(position, []) for position, q in enumerate(questions, start=1)}
