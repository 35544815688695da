"""Improvements (kaizen): propose, rank, move through doing → done."""

from dataclasses import dataclass

from sqlmodel import Session

from commands.access import locked_stream, readable_stream, require_change
from commands.latest import latest_numbers
from commands.owners import log_change
from commands.services import Services
from storage import kaizen as kaizen_rows
from storage import streams as stream_rows
from storage.models import Improvement, Stream
from storage.tenant import Tenant
from storage.types import id_of
from vsm.durations import TimeBasis
from vsm.errors import VsmError
from vsm.improvements import Candidate, Expectation, ExpectationError, PredictedChange, rank

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


# ---- replies (each shown by the template named after it) -------------------------------------


@dataclass(frozen=True)
class ImprovementAdded:
    stream: str
    item: ImprovementView


@dataclass(frozen=True)
class Improvements:
    listing: ImprovementList


@dataclass(frozen=True)
class ImprovementStatus:
    stream: str
    item: ImprovementView
    old: str


@dataclass(frozen=True)
class Proposal:
    """An improvement as proposed: what it is, where it acts and what it is expected to do."""

    title: str
    step: int | None = None
    owner: str | None = None
    expect: PredictedChange | None = None
    effort: str | None = None


def improvement_view(
    item: Improvement, positions: dict[int, int], basis: TimeBasis
) -> ImprovementView:
    return ImprovementView(
        number=item.number,
        title=item.title,
        step_position=None if item.step_key is None else positions.get(item.step_key),
        step_name=item.step_name,
        owner=item.owner,
        expectation=kaizen_rows.expectation_of(item),
        effort=item.effort,
        status=item.status,
        basis=basis,
    )


def _positions(session: Session, tenant: Tenant, stream: Stream) -> dict[int, int]:
    steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
    return {id_of(s): s.position for s in steps}


def propose(
    services: Services, tenant: Tenant, name: str, proposal: Proposal, *, by: str
) -> ImprovementAdded:
    """Record a proposed improvement; it gets the stream's next number.

    Raises:
        VsmError: no such step, or the expected change is more than a duration can be.
    """
    with services.unit_of_work() as session:
        stream = locked_stream(session, services, tenant, name, by, active=True)
        steps = stream_rows.list_steps(session=session, tenant=tenant, stream=stream)
        at = None
        if proposal.step is not None:
            if not 1 <= proposal.step <= len(steps):
                raise VsmError(
                    f"“{stream.name}” has steps 1 to {len(steps)}; "
                    f"there is no step {proposal.step}."
                )
            at = steps[proposal.step - 1]
        basis = stream_rows.basis_of(stream)
        try:
            expectation = None if proposal.expect is None else proposal.expect.on(basis)
        except ExpectationError as error:
            # Name the option; the prediction's own usage would replace the command's form.
            raise VsmError(f"expect: {error.message}") from None
        item = kaizen_rows.add_improvement(
            session=session,
            tenant=tenant,
            stream=stream,
            improvement=Improvement(
                stream_id=id_of(stream),
                number=0,
                title=proposal.title,
                step_key=None if at is None else id_of(at),
                step_name="" if at is None else at.name,
                owner=proposal.owner or "",
                expect_field=None if expectation is None else expectation.field,
                expect_delta=None if expectation is None else expectation.delta,
                effort=proposal.effort.upper() if proposal.effort else None,
                created_by=by,
                created_at=services.now(),
            ),
        )
        positions = {id_of(s): s.position for s in steps}
        return ImprovementAdded(stream.name, improvement_view(item, positions, basis))


def list_improvements(
    services: Services, tenant: Tenant, name: str, *, ranked: bool, by: str
) -> Improvements:
    """The stream's improvements; ranked: the proposed ones by expected gain per effort."""
    with services.unit_of_work(read_only=True) as session:
        stream = readable_stream(session, services, tenant, name, by)
        positions = _positions(session, tenant, stream)
        basis = stream_rows.basis_of(stream)
        if not ranked:
            items = kaizen_rows.improvements_of(session=session, tenant=tenant, stream=stream)
            views = tuple(improvement_view(i, positions, basis) for i in items)
            return Improvements(ImprovementList(stream.name, basis, views, False, None))
        latest = latest_numbers(session, tenant, stream).metrics
        bottleneck = None if latest is None else latest.bottleneck
        proposed = kaizen_rows.improvements_of(
            session=session, tenant=tenant, stream=stream, statuses=("proposed",)
        )
        by_number = {item.number: item for item in proposed}
        order = rank(
            [
                Candidate(i.number, i.step_key, kaizen_rows.expectation_of(i), i.effort)
                for i in proposed
            ],
            None if bottleneck is None else bottleneck.key,
        )
        views = tuple(improvement_view(by_number[c.number], positions, basis) for c in order)
        return Improvements(
            ImprovementList(
                stream.name, basis, views, True, None if bottleneck is None else bottleneck.name
            )
        )


def move_improvement(
    services: Services,
    tenant: Tenant,
    stream_name: str | None,
    number: int,
    status: str,
    *,
    channel_id: str,
    by: str,
) -> ImprovementStatus:
    """Move an improvement to `status`; without a stream name, the one stream homed in
    `channel_id`. Its owner may move it, and whoever may change the stream.

    Raises:
        NotAllowed: `by` is neither the improvement's owner nor one of the stream's.
    """
    with services.unit_of_work() as session:
        name = stream_name or _stream_named_by_channel(session, tenant, channel_id)
        stream = locked_stream(session, services, tenant, name, by, active=False)
        item = kaizen_rows.improvement(session=session, tenant=tenant, stream=stream, number=number)
        if item is None:
            raise VsmError(
                f"“{stream.name}” has no improvement #{number}. "
                f'See `/vsm improvements "{stream.name}"`.'
            )
        if item.owner != by:
            require_change(session, services, tenant, stream, by, "move its improvements on")
        old = item.status
        kaizen_rows.set_improvement_status(
            session=session,
            tenant=tenant,
            stream=stream,
            item=item,
            status=status,
            now=services.now(),
        )
        if old != status:
            log_change(
                session,
                services,
                tenant,
                stream,
                by,
                "improvement.status",
                subject=f"#{item.number} {item.title}",
                before=old,
                after=status,
            )
        view = improvement_view(
            item, _positions(session, tenant, stream), stream_rows.basis_of(stream)
        )
        return ImprovementStatus(stream.name, view, old)


def _stream_named_by_channel(session: Session, tenant: Tenant, channel_id: str) -> str:
    """The one active stream homed in a channel, for commands that may leave the stream out."""
    here = stream_rows.streams_in_channel(session=session, tenant=tenant, channel_id=channel_id)
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
