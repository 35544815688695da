"""Pictures asked for or due — the map of a cycle, the trend of a stream, a channel's small
trends (their data from commands.picture_data): queued like every message that must not be
lost, and drawn by the process that sends the outbox — never in a web request."""

from dataclasses import dataclass

from sqlmodel import Session

from commands.access import readable_stream
from commands.picture_data import channel_trends, cycle_map, stream_trend
from commands.services import Services
from storage import cycles as cycle_rows
from storage import outbox
from storage import streams as stream_rows
from storage.history import closed_metrics, live_metrics
from storage.models import Cycle, Stream
from storage.tenant import Tenant
from storage.types import id_of
from templates.pictures.payload import Picture, picture_payload
from vsm.errors import VsmError


@dataclass(frozen=True)
class PictureQueued:
    """The reply to `/vsm map` and `/vsm trend`: what is on its way, and where."""

    stream: str
    what: str
    channel_id: str  # "" when it goes to the asker in a direct message


# ---- queueing ----------------------------------------------------------------------------------


def queue_picture(
    session: Session,
    services: Services,
    tenant: Tenant,
    *,
    key: str,
    picture: Picture,
    filename: str,
    title: str,
    channel_id: str,
    to_user: str = "",
    cycle_id: int | None = None,
) -> int:
    """Queue a picture for a channel (or, with `to_user` and no channel, a direct message);
    with `cycle_id`, it goes into that cycle's thread. Returns the outbox row's id."""
    return outbox.enqueue(
        session=session,
        tenant=tenant,
        key=key,
        kind=outbox.PICTURE,
        channel_id=channel_id,
        payload={
            "picture": picture_payload(picture),
            "filename": filename,
            "title": title,
            "to_user": to_user,
        },
        now=services.now(),
        cycle_id=cycle_id,
    )


def queue_cycle_pictures(
    session: Session, services: Services, tenant: Tenant, stream: Stream, cycle: Cycle
) -> tuple[int, ...]:
    """The pictures of a cycle's summary, for its thread: its map, and from the second closed
    cycle on, the stream's trend."""
    metrics = closed_metrics(cycle)
    ids = [
        queue_picture(
            session,
            services,
            tenant,
            key=f"cycle:{id_of(cycle)}:map",
            picture=cycle_map(session, tenant, stream, cycle, metrics),
            filename=f"map-cycle-{cycle.number}.png",
            title=f"{stream.name}: value stream map, cycle {cycle.number}",
            channel_id=stream.channel_id,
            cycle_id=id_of(cycle),
        )
    ]
    closed = cycle_rows.cycles_of(
        session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
    )
    if len(closed) > 1:
        ids.append(
            queue_picture(
                session,
                services,
                tenant,
                key=f"cycle:{id_of(cycle)}:trend",
                picture=stream_trend(session, tenant, stream, closed),
                filename=f"trend-cycle-{cycle.number}.png",
                title=f"{stream.name}: lead time over {len(closed)} cycles",
                channel_id=stream.channel_id,
                cycle_id=id_of(cycle),
            )
        )
    return tuple(ids)


def queue_digest_picture(
    session: Session, services: Services, tenant: Tenant, channel_id: str, *, key: str
) -> int | None:
    """A channel digest's picture: a small trend per stream homed there that has one."""
    streams = stream_rows.streams_in_channel(session=session, tenant=tenant, channel_id=channel_id)
    trends = tuple(t for t in channel_trends(session, tenant, streams) if t.leads)
    if not trends:
        return None
    return queue_picture(
        session,
        services,
        tenant,
        key=key,
        picture=trends,
        filename="digest-trends.png",
        title="Lead time of the streams homed here",
        channel_id=channel_id,
    )


# ---- /vsm map and /vsm trend --------------------------------------------------------------------


def request_map(
    services: Services,
    tenant: Tenant,
    name: str,
    number: int | None,
    *,
    by: str,
    channel_id: str,
) -> PictureQueued:
    """`/vsm map "<stream>" [cycle:<n>]`: the map of a cycle (default: the latest closed one,
    else the open one as it stands), into the stream's home channel when asked there, else to
    the asker alone.

    Raises:
        VsmError: the stream has no such cycle, or none yet.
    """
    now = services.now()
    with services.unit_of_work() as session:
        stream = readable_stream(session, services, tenant, name, by)
        cycle = _cycle_to_draw(session, tenant, stream, number)
        if cycle.status == cycle_rows.CLOSED:
            metrics = closed_metrics(cycle)
        else:
            metrics = live_metrics(session=session, tenant=tenant, stream=stream, cycle=cycle)[0]
        here = channel_id == stream.channel_id
        queue_picture(
            session,
            services,
            tenant,
            key=f"map:{id_of(cycle)}:{by}:{now.isoformat()}",
            picture=cycle_map(session, tenant, stream, cycle, metrics),
            filename=f"map-cycle-{cycle.number}.png",
            title=f"{stream.name}: value stream map, cycle {cycle.number}",
            channel_id=stream.channel_id if here else "",
            to_user="" if here else by,
        )
        return PictureQueued(
            stream.name, f"map of cycle {cycle.number}", stream.channel_id if here else ""
        )


def request_trend(
    services: Services, tenant: Tenant, name: str, *, by: str, channel_id: str
) -> PictureQueued:
    """`/vsm trend "<stream>"`: the stream's trend over its closed cycles.

    Raises:
        VsmError: the stream has no closed cycle yet.
    """
    now = services.now()
    with services.unit_of_work() as session:
        stream = readable_stream(session, services, tenant, name, by)
        closed = cycle_rows.cycles_of(
            session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
        )
        if not closed:
            raise VsmError(
                f"“{stream.name}” has no closed cycle yet, so there is no trend to draw."
            )
        here = channel_id == stream.channel_id
        queue_picture(
            session,
            services,
            tenant,
            key=f"trend:{id_of(stream)}:{by}:{now.isoformat()}",
            picture=stream_trend(session, tenant, stream, closed),
            filename="trend.png",
            title=f"{stream.name}: lead time over {len(closed)} cycles",
            channel_id=stream.channel_id if here else "",
            to_user="" if here else by,
        )
        return PictureQueued(stream.name, "trend", stream.channel_id if here else "")


def _cycle_to_draw(session: Session, tenant: Tenant, stream: Stream, number: int | None) -> Cycle:
    cycles = [
        c
        for c in cycle_rows.cycles_of(session=session, tenant=tenant, stream=stream)
        if c.status != cycle_rows.CANCELLED
    ]
    if number is not None:
        found = next((c for c in cycles if c.number == number), None)
        if found is None:
            listed = ", ".join(str(c.number) for c in cycles) or "none yet"
            raise VsmError(f"“{stream.name}” has no cycle {number} to draw; its cycles: {listed}.")
        return found
    closed = [c for c in cycles if c.status == cycle_rows.CLOSED]
    if closed:
        return closed[-1]
    if cycles:
        return cycles[-1]
    raise VsmError(f'“{stream.name}” has not been measured yet: `/vsm measure "{stream.name}"`.')


# ---- for the operator's command line --------------------------------------------------------


def draw_for_operator(
    session: Session, tenant: Tenant, name: str, picture: str, number: int | None
) -> tuple[bytes, int, int]:
    """`vsm-bot map|trend`: the PNG and its size in pixels (drawn here, on the operator's
    machine; matplotlib is loaded only now).

    Raises:
        VsmError: no such stream or cycle, or nothing to draw yet.
    """
    from templates.pictures.draw import draw_picture

    stream = stream_rows.find_stream(session=session, tenant=tenant, name=name)
    drawn: Picture
    if picture == "trend":
        closed = cycle_rows.cycles_of(
            session=session, tenant=tenant, stream=stream, status=cycle_rows.CLOSED
        )
        if not closed:
            raise VsmError(f"“{stream.name}” has no closed cycle yet, so there is no trend.")
        drawn = stream_trend(session, tenant, stream, closed)
    else:
        cycle = _cycle_to_draw(session, tenant, stream, number)
        if cycle.status == cycle_rows.CLOSED:
            metrics = closed_metrics(cycle)
        else:
            metrics = live_metrics(session=session, tenant=tenant, stream=stream, cycle=cycle)[0]
        drawn = cycle_map(session, tenant, stream, cycle, metrics)
    png, _ = draw_picture(picture_payload(drawn))
    return png, int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
