"""Readiness survey storage: a stream's questions, each cycle's copy, and the scores."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import CycleQuestion, Stream, SurveyAnswer, SurveyQuestion


def stream_questions(*, session: Session, stream: Stream) -> list[SurveyQuestion]:
    """The stream's own questions in order (empty: it asks the default ones)."""
    query = (
        select(SurveyQuestion)
        .where(SurveyQuestion.stream_id == stream.id)
        .order_by(col(SurveyQuestion.position))
    )
    return list(session.exec(query).all())


def replace_stream_questions(
    *, session: Session, stream: Stream, questions: Sequence[tuple[str, str]]
) -> None:
    """Give the stream these (key, text) questions; none brings back the defaults."""
    session.execute(delete(SurveyQuestion).where(col(SurveyQuestion.stream_id) == stream.id))
    for position, (key, text) in enumerate(questions, start=1):
        session.add(SurveyQuestion(stream_id=stream.id or 0, position=position, key=key, text=text))
    session.flush()


def add_cycle_questions(
    *, session: Session, cycle_id: int, questions: Sequence[tuple[str, str]]
) -> None:
    """Copy the questions a cycle asks into the cycle."""
    for position, (key, text) in enumerate(questions, start=1):
        session.add(CycleQuestion(cycle_id=cycle_id, position=position, key=key, text=text))
    session.flush()


def cycle_questions(
    *, session: Session, cycle_ids: Sequence[int]
) -> dict[int, list[CycleQuestion]]:
    """The questions of several cycles, in order, by cycle id."""
    found: dict[int, list[CycleQuestion]] = {cycle_id: [] for cycle_id in cycle_ids}
    if not cycle_ids:
        return found
    query = (
        select(CycleQuestion)
        .where(col(CycleQuestion.cycle_id).in_(cycle_ids))
        .order_by(col(CycleQuestion.cycle_id), col(CycleQuestion.position))
    )
    for question in session.exec(query).all():
        found[question.cycle_id].append(question)
    return found


def record_score(
    *, session: Session, cycle_id: int, position: int, person: str, score: int, now: datetime
) -> None:
    """Store a person's score for a question, replacing their earlier one (two clicks at the
    same moment, on two workers, end with one of them, not an error)."""
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


def scores(*, session: Session, cycle_ids: Sequence[int]) -> dict[int, dict[int, list[int]]]:
    """The scores of several cycles: cycle id → question position → scores (no names)."""
    found: dict[int, dict[int, list[int]]] = {cycle_id: {} for cycle_id in cycle_ids}
    if not cycle_ids:
        return found
    query = select(SurveyAnswer.cycle_id, SurveyAnswer.position, SurveyAnswer.score).where(
        col(SurveyAnswer.cycle_id).in_(cycle_ids)
    )
    for cycle_id, position, score in session.exec(query).all():
        found[cycle_id].setdefault(position, []).append(score)
    return found
