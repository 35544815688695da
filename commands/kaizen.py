"""Improvements (kaizen): propose, rank, move through doing → done, and study what they did."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from commands.compare import latest_numbers
from commands.lookup import find_stream
from commands.slash import Call, Reply, ephemeral
from commands.views import basis_of, expectation_of
from storage import digests, kaizen
from storage import streams as stream_store
from storage.models import Improvement, Stream
from storage.tenant import Tenant
from vsm.durations import TimeBasis
from vsm.errors import VsmError
from vsm.improvements import Candidate, Expectation, ExpectationError, parse_expectation, rank

STATUSES = ("proposed", "doing", "done", "dropped")


@dataclass(frozen=True)
class ImprovementView:
    number: int
    title: str
    step_position: int | None
    step_name: str
    owner: str
    expectation: Expectation | None
    effort: str | None
    status: str
    basis: TimeBasis


@dataclass(frozen=True)
class ImprovementList:
    stream: str
    basis: TimeBasis
    items: tuple[ImprovementView, ...]
    ranked: bool
    bottleneck: str | None


def improvement_view(
    item: Improvement, positions: dict[int, int], basis: TimeBasis
) -> ImprovementView:
    return ImprovementView(
        number=item.number,
        title=item.title,
        step_position=None if item.step_key is None else positions.get(item.step_key),
        step_name=item.step_name,
        owner=item.owner,
        expectation=expectation_of(item),
        effort=item.effort,
        status=item.status,
        basis=basis,
    )


def _positions(session: Session, stream: Stream) -> dict[int, int]:
    return {s.id or 0: s.position for s in stream_store.list_steps(session=session, stream=stream)}


def propose(
    session: Session,
    tenant: Tenant,
    name: str,
    title: str,
    *,
    step: int | None,
    owner: str | None,
    expect: str | None,
    effort: str | None,
    by: str,
    now: datetime,
) -> tuple[str, ImprovementView]:
    """Record a proposed improvement; it gets the stream's next number.

    Raises:
        VsmError: no such step, or the expectation cannot be read.
    """
    stream = find_stream(session, tenant, name, for_update=True, active=True)
    steps = stream_store.list_steps(session=session, stream=stream)
    at = None
    if step is not None:
        if not 1 <= step <= len(steps):
            raise VsmError(f"“{stream.name}” has steps 1 to {len(steps)}; there is no step {step}.")
        at = steps[step - 1]
    expectation = None if expect is None else _expectation(expect, basis_of(stream))
    item = kaizen.add_improvement(
        session=session,
        improvement=Improvement(
            stream_id=stream.id or 0,
            number=kaizen.next_improvement_number(session=session, stream=stream),
            title=title,
            step_key=None if at is None else at.id,
            step_name="" if at is None else at.name,
            owner=owner or "",
            expect_field=None if expectation is None else expectation.field,
            expect_delta=None if expectation is None else expectation.delta,
            effort=effort.upper() if effort else None,
            created_by=by,
            created_at=now,
        ),
    )
    return stream.name, improvement_view(item, _positions(session, stream), basis_of(stream))


def _expectation(text: str, basis: TimeBasis) -> Expectation:
    try:
        return parse_expectation(text, basis)
    except ExpectationError as error:
        # Name the option; the prediction's own usage would replace the command's form.
        raise VsmError(f"expect: {error.message}") from None


def list_improvements(
    session: Session, tenant: Tenant, name: str, *, ranked: bool
) -> ImprovementList:
    """The stream's improvements; ranked: the proposed ones by expected gain per effort."""
    stream = find_stream(session, tenant, name)
    positions = _positions(session, stream)
    if not ranked:
        items = kaizen.improvements_of(session=session, stream=stream)
        views = tuple(improvement_view(i, positions, basis_of(stream)) for i in items)
        return ImprovementList(stream.name, basis_of(stream), views, False, None)
    latest = latest_numbers(session, stream).metrics
    bottleneck = None if latest is None or latest.bottleneck is None else latest.bottleneck
    proposed = kaizen.improvements_of(session=session, stream=stream, statuses=("proposed",))
    by_number = {item.number: item for item in proposed}
    order = rank(
        [Candidate(i.number, i.step_key, expectation_of(i), i.effort) for i in proposed],
        None if bottleneck is None else bottleneck.key,
    )
    views = tuple(improvement_view(by_number[c.number], positions, basis_of(stream)) for c in order)
    return ImprovementList(
        stream.name, basis_of(stream), views, True, None if bottleneck is None else bottleneck.name
    )


def set_status(
    session: Session, tenant: Tenant, name: str, number: int, status: str, now: datetime
) -> tuple[str, ImprovementView, str]:
    """Move an improvement to `status`; returns the stream name, the improvement, the old status."""
    stream = find_stream(session, tenant, name, for_update=True)
    item = kaizen.improvement(session=session, stream=stream, number=number)
    if item is None:
        raise VsmError(
            f"“{stream.name}” has no improvement #{number}. "
            f'See `/vsm improvements "{stream.name}"`.'
        )
    old = item.status
    item.status = status
    if status == "done" and old != "done":
        item.done_at, item.reviewed_cycle_id = now, None
    session.add(item)
    session.flush()
    return stream.name, improvement_view(item, _positions(session, stream), basis_of(stream)), old


def stream_named_by_channel(session: Session, tenant: Tenant, channel_id: str) -> str:
    """The one active stream homed in a channel, for commands that may leave the stream out."""
    here = digests.streams_in_channel(session=session, tenant=tenant, channel_id=channel_id)
    if len(here) == 1:
        return here[0].name
    if not here:
        raise VsmError(
            "No stream is homed in this channel, so name it: "
            '`/vsm improvement "<stream>" <n> done`.'
        )
    names = ", ".join(f"“{s.name}”" for s in here)
    raise VsmError(
        f'Several streams live here ({names}); name one: `/vsm improvement "<stream>" <n> done`.'
    )


def handle_improve(call: Call) -> Reply:
    req, opts = call.request, call.options
    with call.services.unit_of_work() as session:
        stream, view = propose(
            session,
            req.tenant,
            call.args["stream"],
            call.args["title"],
            step=opts.get("step"),
            owner=opts.get("owner"),
            expect=opts.get("expect"),
            effort=opts.get("effort"),
            by=req.user_id,
            now=call.services.now(),
        )
    return ephemeral(
        call.services.renderer.message("improvement_added.json.j2", stream=stream, item=view)
    )


def handle_improvements(call: Call) -> Reply:
    how = str(call.args.get("how", "")).lower()
    if how not in ("", "rank"):
        raise VsmError(f"`{how}` — say `rank`, or nothing, after the stream's name.")
    with call.services.unit_of_work() as session:
        listing = list_improvements(
            session, call.request.tenant, call.args["stream"], ranked=how == "rank"
        )
    return ephemeral(call.services.renderer.message("improvements.json.j2", listing=listing))


def handle_improvement(call: Call) -> Reply:
    req = call.request
    words = str(call.args.get("what", "")).split()
    if len(words) < 2:
        raise VsmError("Give the improvement's number and its new status, e.g. `3 done`.")
    *stream_words, number, status = words
    stream_name = " ".join(stream_words)
    if not number.lstrip("#").isdigit():
        raise VsmError(f"`{number}` is not an improvement number like `3` or `#3`.")
    status = status.lower()
    if status not in STATUSES[1:]:
        raise VsmError(f"`{status}` — an improvement can become `doing`, `done` or `dropped`.")
    with call.services.unit_of_work() as session:
        name = stream_name or stream_named_by_channel(session, req.tenant, req.channel_id)
        stream, view, old = set_status(
            session, req.tenant, name, int(number.lstrip("#")), status, call.services.now()
        )
    return ephemeral(
        call.services.renderer.message(
            "improvement_status.json.j2", stream=stream, item=view, old=old
        )
    )
