"""The meaning-of-value instrument: a stream's layers and dimensions, its runs and their answers,
as vsm.value values. Every function takes the tenant."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import Stream, ValueAnswerRow, ValueRun, ValueSetup
from storage.streams import check_stream
from storage.tenant import Tenant
from storage.types import id_of
from vsm.value import DEFAULT_DIMENSIONS, DEFAULT_LAYERS, Choice, ValueAnswer


def _choices(stored: Sequence[dict[str, str]]) -> tuple[Choice, ...]:
    return tuple(Choice(str(item["key"]), str(item["label"])) for item in stored)


def _stored(choices: Sequence[Choice]) -> list[dict[str, str]]:
    return [{"key": choice.key, "label": choice.label} for choice in choices]


def value_setup(
    *, session: Session, tenant: Tenant, stream: Stream
) -> tuple[tuple[Choice, ...], tuple[Choice, ...], bool]:
    """The stream's layers and dimensions, and whether they are its own (not the defaults)."""
    query = select(ValueSetup).where(ValueSetup.stream_id == check_stream(stream, tenant))
    own = session.exec(query).first()
    if own is None:
        return DEFAULT_LAYERS, DEFAULT_DIMENSIONS, False
    return _choices(own.layers), _choices(own.dimensions), True


def set_value_setup(
    *,
    session: Session,
    tenant: Tenant,
    stream: Stream,
    layers: Sequence[Choice],
    dimensions: Sequence[Choice],
    by: str,
    now: datetime,
) -> None:
    """Give the stream its own layers and dimensions (the next run asks about them)."""
    stream_id = check_stream(stream, tenant)
    own = session.exec(select(ValueSetup).where(ValueSetup.stream_id == stream_id)).first()
    if own is None:
        own = ValueSetup(
            stream_id=stream_id, layers=[], dimensions=[], changed_by=by, changed_at=now
        )
    own.layers, own.dimensions = _stored(layers), _stored(dimensions)
    own.changed_by, own.changed_at = by, now
    session.add(own)
    session.flush()


def add_run(
    *,
    session: Session,
    tenant: Tenant,
    stream: Stream,
    cycle_id: int | None,
    layers: Sequence[Choice],
    dimensions: Sequence[Choice],
    by: str,
    now: datetime,
) -> ValueRun:
    """Store the stream's next run of the instrument, asking about these layers and dimensions."""
    stream_id = check_stream(stream, tenant)
    latest = session.exec(
        select(func.max(ValueRun.number)).where(ValueRun.stream_id == stream_id)
    ).one()
    run = ValueRun(
        stream_id=stream_id,
        number=int(latest or 0) + 1,
        cycle_id=cycle_id,
        layers=_stored(layers),
        dimensions=_stored(dimensions),
        started_by=by,
        started_at=now,
    )
    session.add(run)
    session.flush()
    return run


def run_choices(run: ValueRun) -> tuple[tuple[Choice, ...], tuple[Choice, ...]]:
    """The layers and dimensions a run asked about."""
    return _choices(run.layers), _choices(run.dimensions)


def runs_of(*, session: Session, tenant: Tenant, stream: Stream) -> list[ValueRun]:
    """The stream's runs by number."""
    query = select(ValueRun).where(ValueRun.stream_id == check_stream(stream, tenant))
    return list(session.exec(query.order_by(col(ValueRun.number))).all())


def runs_of_streams(
    *, session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, list[ValueRun]]:
    """The runs of several streams by number, by stream id, in one query."""
    ids = [check_stream(stream, tenant) for stream in streams]
    found: dict[int, list[ValueRun]] = {stream_id: [] for stream_id in ids}
    if not ids:
        return found
    query = (
        select(ValueRun)
        .where(col(ValueRun.stream_id).in_(ids))
        .order_by(col(ValueRun.stream_id), col(ValueRun.number))
    )
    for run in session.exec(query).all():
        found[run.stream_id].append(run)
    return found


def run_by_id(*, session: Session, tenant: Tenant, run_id: int) -> tuple[ValueRun, Stream] | None:
    """A run and its stream, only if the stream belongs to `tenant`."""
    query = (
        select(ValueRun, Stream)
        .join(Stream, col(Stream.id) == ValueRun.stream_id)
        .where(
            ValueRun.id == run_id,
            Stream.enterprise_id == tenant.enterprise_id,
            Stream.team_id == tenant.team_id,
        )
    )
    row = session.exec(query).first()
    return None if row is None else (row[0], row[1])


def record_answer(
    *,
    session: Session,
    tenant: Tenant,
    run: ValueRun,
    stream: Stream,
    person: str,
    answer: ValueAnswer,
    now: datetime,
) -> None:
    """Store a person's answer to a run, replacing their earlier one (two submits at the same
    moment end with one of them, not an error)."""
    if run.stream_id != check_stream(stream, tenant):
        raise ValueError(f"run {run.number} is not a run of {stream.name!r}")
    query = select(ValueAnswerRow).where(
        ValueAnswerRow.run_id == id_of(run), ValueAnswerRow.person == person
    )
    existing = session.exec(query).first()
    if existing is None:
        try:
            with session.begin_nested():
                session.add(
                    ValueAnswerRow(
                        run_id=id_of(run),
                        person=person,
                        layer=answer.layer,
                        points=dict(answer.points),
                        sentence=answer.sentence,
                        answered_at=now,
                    )
                )
            return
        except IntegrityError:
            existing = session.exec(query).one()
    existing.layer, existing.points, existing.sentence = (
        answer.layer,
        dict(answer.points),
        answer.sentence,
    )
    existing.answered_at = now
    session.add(existing)
    session.flush()


def answers_of(
    *, session: Session, tenant: Tenant, runs: Sequence[ValueRun]
) -> dict[int, list[ValueAnswer]]:
    """Each run's answers (one per person), by run id; the runs must be of `tenant`."""
    ids = [id_of(run) for run in runs]
    found: dict[int, list[ValueAnswer]] = {run_id: [] for run_id in ids}
    if not ids:
        return found
    query = (
        select(ValueAnswerRow)
        .join(ValueRun, col(ValueRun.id) == ValueAnswerRow.run_id)
        .join(Stream, col(Stream.id) == ValueRun.stream_id)
        .where(
            col(ValueAnswerRow.run_id).in_(ids),
            Stream.enterprise_id == tenant.enterprise_id,
            Stream.team_id == tenant.team_id,
        )
        .order_by(col(ValueAnswerRow.id))
    )
    for row in session.exec(query).all():
        points = {str(key): int(value) for key, value in row.points.items()}
        found[row.run_id].append(ValueAnswer(row.layer, points, row.sentence))
    return found


def person_answer(
    *, session: Session, tenant: Tenant, run: ValueRun, person: str
) -> ValueAnswer | None:
    """What `person` answered to a run (of `tenant`), to fill the form again."""
    query = (
        select(ValueAnswerRow)
        .join(ValueRun, col(ValueRun.id) == ValueAnswerRow.run_id)
        .join(Stream, col(Stream.id) == ValueRun.stream_id)
        .where(
            ValueAnswerRow.run_id == id_of(run),
            ValueAnswerRow.person == person,
            Stream.enterprise_id == tenant.enterprise_id,
            Stream.team_id == tenant.team_id,
        )
    )
    row = session.exec(query).first()
    if row is None:
        return None
    points = {str(key): int(value) for key, value in row.points.items()}
    return ValueAnswer(row.layer, points, row.sentence)
