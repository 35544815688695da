"""Support value streams: `/vsm support "<support>" serves:"<stream>" step:<n> [off]`, and
what the served step shows — the support stream's latest numbers and their trend. Linking is
a change to the served stream, so its owners (and admins) make it; links never form a loop."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from commands.access import changeable_stream, readable_stream
from commands.owners import log_change
from commands.services import Services
from storage import cycles as cycle_rows
from storage import links as link_rows
from storage import streams as stream_rows
from storage.history import closed_metrics
from storage.models import Cycle, Step, Stream
from storage.models import SupportLink as LinkRow
from storage.tenant import Tenant
from storage.types import id_of
from vsm.compare import Change, duration_change, share_change
from vsm.durations import TimeBasis
from vsm.errors import VsmError
from vsm.support import SupportLink, add_support_link


@dataclass(frozen=True)
class SupportSet:
    """The reply: `support` serves (or no longer serves) step `position` of `served`."""

    support: str
    served: str
    position: int
    step: str
    off: bool
    changed: bool


@dataclass(frozen=True)
class SupportNumbers:
    """A support stream's latest closed cycle, against the closed cycle before it.

    Attributes:
        cycle: the latest closed cycle's number; None when it has none yet.
        previous: the number of the closed cycle before it; None when there is none.
    """

    stream: str
    basis: TimeBasis
    cycle: int | None
    lead: Change
    activity_ratio: Change
    rolled_ca: Change
    previous: int | None


@dataclass(frozen=True)
class ServedStep:
    """A step of this stream that a support stream serves, with that stream's numbers."""

    position: int
    step: str
    support: SupportNumbers


@dataclass(frozen=True)
class Serves:
    """A step of another stream that this stream serves."""

    stream: str
    position: int
    step: str


def set_support(
    services: Services,
    tenant: Tenant,
    support_name: str,
    *,
    serves: str | None,
    step: int | None,
    off: bool,
    by: str,
) -> SupportSet:
    """Link (or unlink) a support stream to the step of the stream it serves.

    Raises:
        VsmError: serves: or step: missing, a step the stream has not, a loop, or (off) no link.
    """
    if serves is None or step is None:
        raise VsmError('Say which step it serves: serves:"<stream>" step:<n>.')
    with services.unit_of_work() as session:
        support = readable_stream(session, services, tenant, support_name, by)
        served = changeable_stream(
            session, services, tenant, serves, by, "change its support streams", active=True
        )
        steps = stream_rows.list_steps(session=session, tenant=tenant, stream=served)
        if not 1 <= step <= len(steps):
            raise VsmError(f"“{served.name}” has steps 1 to {len(steps)}; there is no step {step}.")
        target = steps[step - 1]
        links = link_rows.support_links(session=session, tenant=tenant)
        mine = [
            link
            for link in links
            if link.support_stream_id == id_of(support) and link.served_step_id == id_of(target)
        ]
        if off:
            for link in mine:
                session.delete(link)
        elif not mine:
            names = {id_of(s): s.name for s in (support, served)}
            names.update(_names(session, tenant, links))
            values = [link_rows.link_value(link) for link in links]
            add_support_link(
                SupportLink(id_of(support), id_of(served), id_of(target)), values, names
            )
            link_rows.add_support_link(
                session=session,
                tenant=tenant,
                support=support,
                served=served,
                step_id=id_of(target),
                by=by,
                now=services.now(),
            )
        changed = bool(mine) if off else not mine
        if changed:
            what = "support.remove" if off else "support.add"
            log_change(
                session,
                services,
                tenant,
                served,
                by,
                what,
                subject=target.name,
                before=support.name if off else None,
                after=None if off else support.name,
            )
        return SupportSet(support.name, served.name, step, target.name, off, changed)


def _names(session: Session, tenant: Tenant, links: Sequence[LinkRow]) -> dict[int, str]:
    keys = {link.support_stream_id for link in links} | {link.served_stream_id for link in links}
    found = {}
    for key in keys:
        stream = stream_rows.get_stream(session=session, tenant=tenant, stream_id=key)
        if stream is not None:
            found[key] = stream.name
    return found


def support_numbers(session: Session, tenant: Tenant, stream: Stream) -> SupportNumbers:
    """A stream's latest closed numbers and their move since the closed cycle before."""
    closed = cycle_rows.cycles_of(
        session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
    )
    return _numbers(stream, closed)


def _numbers(stream: Stream, closed: Sequence[Cycle]) -> SupportNumbers:
    """`support_numbers` from the stream's closed cycles in order."""
    basis = stream_rows.basis_of(stream)
    last = closed_metrics(closed[-1]) if closed else None
    before = closed_metrics(closed[-2]) if len(closed) > 1 else None
    return SupportNumbers(
        stream.name,
        basis,
        closed[-1].number if closed else None,
        duration_change(
            None if before is None else before.lead_s, None if last is None else last.lead_s, basis
        ),
        share_change(
            None if before is None else before.activity_ratio,
            None if last is None else last.activity_ratio,
        ),
        share_change(
            None if before is None else before.rolled_ca,
            None if last is None else last.rolled_ca,
        ),
        closed[-2].number if len(closed) > 1 else None,
    )


def support_of(
    session: Session,
    tenant: Tenant,
    stream: Stream,
    steps: Sequence[Step],
    visible: Callable[[Stream], bool],
    links: Sequence[LinkRow] | None = None,
) -> tuple[tuple[ServedStep, ...], tuple[Serves, ...]]:
    """The steps of `stream` that support streams serve (with their numbers), and the steps
    of other streams it serves; streams `visible` does not admit are left out.

    Args:
        links: the links the stream is in (storage.links.links_of_stream), when the caller
            has them already.
    """
    if links is None:
        links = link_rows.links_of_stream(session=session, tenant=tenant, stream=stream)
    me = id_of(stream)
    positions = {id_of(step): step for step in steps}
    # Each link is a step of this stream that another stream serves, or a step of another
    # stream that this one serves; the other streams are read for all the links at once.
    supporting: list[LinkRow] = []
    serving: list[LinkRow] = []
    for link in links:
        if link.served_stream_id == me and link.served_step_id in positions:
            supporting.append(link)
        elif link.support_stream_id == me:
            serving.append(link)
    wanted = [link.support_stream_id for link in supporting]
    wanted += [link.served_stream_id for link in serving]
    others = stream_rows.streams_by_ids(session=session, tenant=tenant, ids=wanted)
    seen = {key: other for key, other in others.items() if visible(other)}
    closed = cycle_rows.cycles_of_streams(
        session=session,
        tenant=tenant,
        streams=[seen[key] for key in dict.fromkeys(wanted[: len(supporting)]) if key in seen],
        status=cycle_rows.CLOSED,
    )
    served = [
        ServedStep(
            positions[link.served_step_id].position,
            positions[link.served_step_id].name,
            _numbers(seen[link.support_stream_id], closed[link.support_stream_id]),
        )
        for link in supporting
        if link.support_stream_id in seen
    ]
    their_steps = stream_rows.steps_of_streams(
        session=session,
        tenant=tenant,
        streams=[seen[key] for key in dict.fromkeys(wanted[len(supporting) :]) if key in seen],
    )
    serves = []
    for link in serving:
        if link.served_stream_id in seen:
            other = seen[link.served_stream_id]
            step = next(s for s in their_steps[id_of(other)] if id_of(s) == link.served_step_id)
            serves.append(Serves(other.name, step.position, step.name))
    return tuple(sorted(served, key=lambda s: s.position)), tuple(serves)
