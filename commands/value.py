"""The meaning of value: post the instrument, show its results, change its layers and
dimensions. The form a person answers with lives in commands/value_form.py."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from sqlmodel import Session

from commands.access import changeable_stream, readable_stream
from commands.outcomes import Problem
from commands.queue import queue_message
from commands.services import Services
from commands.value_setup import edit_value
from storage import cycles as cycle_rows
from storage import value as value_rows
from storage.models import Cycle, Stream, ValueRun
from storage.tenant import Tenant
from storage.types import id_of
from vsm.alignment import ValueSummary, summarize_value
from vsm.percent import shown_percent
from vsm.value import Choice, ValueAnswer

OPEN_ACTION = "value_open"


@dataclass(frozen=True)
class ValueInstrument:
    """The message that asks people what the stream's value is to them."""

    stream: str
    run_id: int
    number: int
    layers: tuple[Choice, ...]
    dimensions: tuple[Choice, ...]


@dataclass(frozen=True)
class ValuePosted:
    """The reply to `/vsm value "<stream>"`: where the instrument went."""

    stream: str
    number: int
    channel_id: str
    cycle: int | None
    posted: bool


@dataclass(frozen=True)
class ValueRunResults:
    """One run added up: never anything per person.

    Attributes:
        previous: the number of the run the change is measured from, if any.
        previous_overall: that run's overall alignment, when it had one.
        change: overall − previous_overall, from the two as shown (in points).
    """

    number: int
    cycle: int | None
    summary: ValueSummary
    previous: int | None = None
    previous_overall: float | None = None
    change: float | None = None


@dataclass(frozen=True)
class ValueResults:
    """The reply to `/vsm value "<stream>" results`."""

    stream: str
    results: ValueRunResults


def value(
    services: Services,
    tenant: Tenant,
    name: str,
    action: Literal["", "results", "edit"],
    *,
    by: str,
) -> object:
    """`/vsm value "<stream>" [results|edit]`."""
    if action == "results":
        return value_results(services, tenant, name, by=by)
    if action == "edit":
        return edit_value(services, tenant, name, by=by)
    return post_instrument(services, tenant, name, by=by)


def post_instrument(services: Services, tenant: Tenant, name: str, *, by: str) -> ValuePosted:
    """Start the stream's next run and post the instrument: in the open cycle's thread when
    there is one (its summary then shows the results), else in the stream's home channel."""
    with services.unit_of_work() as session:
        stream = changeable_stream(
            session, services, tenant, name, by, "ask what its value is", active=True
        )
        cycle = cycle_rows.find_open_cycle(session=session, tenant=tenant, stream=stream)
        layers, dimensions, _ = value_rows.value_setup(
            session=session, tenant=tenant, stream=stream
        )
        run = value_rows.add_run(
            session=session,
            tenant=tenant,
            stream=stream,
            cycle_id=None if cycle is None else id_of(cycle),
            layers=layers,
            dimensions=dimensions,
            by=by,
            now=services.now(),
        )
        message_id = queue_message(
            session,
            services,
            tenant,
            key=f"value:{id_of(run)}",
            kind="value",
            channel_id=stream.channel_id,
            message=ValueInstrument(stream.name, id_of(run), run.number, layers, dimensions),
            cycle_id=None if cycle is None else id_of(cycle),
        )
        shown = ValuePosted(
            stream.name,
            run.number,
            stream.channel_id,
            None if cycle is None else cycle.number,
            posted=False,
        )
    delivery = next(iter(services.deliverer.deliver([message_id])), None)
    return replace(shown, posted=delivery is not None and delivery.sent)


def value_results(services: Services, tenant: Tenant, name: str, *, by: str) -> object:
    """The latest run added up, against the run before it."""
    with services.unit_of_work(read_only=True) as session:
        stream = readable_stream(session, services, tenant, name, by)
        runs = value_rows.runs_of(session=session, tenant=tenant, stream=stream)
        if not runs:
            return Problem(
                f"Nobody has been asked what “{stream.name}” is for yet. Ask with "
                f'/vsm value "{stream.name}"'
            )
        return ValueResults(stream.name, run_results(session, tenant, stream, runs[-1]))


def run_results(session: Session, tenant: Tenant, stream: Stream, run: ValueRun) -> ValueRunResults:
    """A run added up, with the change of its overall alignment since the run before it."""
    runs = value_rows.runs_of(session=session, tenant=tenant, stream=stream)
    cycle_number = None
    if run.cycle_id is not None:
        found = cycle_rows.cycle_by_id(session=session, tenant=tenant, cycle_id=run.cycle_id)
        cycle_number = None if found is None else found[0].number
    return _added_up(session, tenant, {run.stream_id: runs}, run, cycle_number)


def latest_values(
    session: Session, tenant: Tenant, streams: Sequence[Stream]
) -> dict[int, ValueRunResults]:
    """Each stream's latest run added up, by stream id (streams never asked are left out), in
    a number of queries that does not grow with the streams."""
    runs = value_rows.runs_of_streams(session=session, tenant=tenant, streams=streams)
    latest = {key: found[-1] for key, found in runs.items() if found}
    wanted = [r for found in runs.values() for r in found[-2:]]
    answers = value_rows.answers_of(session=session, tenant=tenant, runs=wanted)
    return {
        key: _added_up(session, tenant, runs, run, None, answers) for key, run in latest.items()
    }


def _added_up(
    session: Session,
    tenant: Tenant,
    runs: Mapping[int, Sequence[ValueRun]],
    run: ValueRun,
    cycle_number: int | None,
    answers: Mapping[int, Sequence[ValueAnswer]] | None = None,
) -> ValueRunResults:
    earlier = [r for r in runs[run.stream_id] if r.number < run.number]
    before = earlier[-1] if earlier else None
    if answers is None:
        answers = value_rows.answers_of(
            session=session, tenant=tenant, runs=[run] if before is None else [before, run]
        )
    previous_overall = None
    if before is not None:
        layers, dimensions = value_rows.run_choices(before)
        previous_overall = summarize_value(answers[id_of(before)], layers, dimensions).overall
    layers, dimensions = value_rows.run_choices(run)
    summary = summarize_value(answers[id_of(run)], layers, dimensions, previous_overall)
    change = None
    if summary.overall is not None and previous_overall is not None:
        change = float(shown_percent(summary.overall) - shown_percent(previous_overall))
    return ValueRunResults(
        run.number,
        cycle_number,
        summary,
        None if before is None else before.number,
        previous_overall,
        change,
    )


def cycle_value(
    session: Session, tenant: Tenant, stream: Stream, cycle: Cycle
) -> ValueRunResults | None:
    """The results of the latest run posted while `cycle` was open, if any ran then."""
    runs = value_rows.runs_of(session=session, tenant=tenant, stream=stream)
    mine = [run for run in runs if run.cycle_id == id_of(cycle)]
    return run_results(session, tenant, stream, mine[-1]) if mine else None


def latest_value(session: Session, tenant: Tenant, stream: Stream) -> ValueRunResults | None:
    """The results of the stream's latest run, if any ran."""
    runs = value_rows.runs_of(session=session, tenant=tenant, stream=stream)
    return run_results(session, tenant, stream, runs[-1]) if runs else None
