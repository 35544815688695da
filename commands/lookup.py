"""Finding the stream a person named, within their workspace."""

from sqlmodel import Session

from storage import streams as store
from storage.models import Stream
from storage.tenant import Tenant
from vsm.errors import VsmError
from vsm.names import match_name


class StreamArchived(VsmError):
    """The stream exists but is archived, so it cannot change."""


def find_stream(
    session: Session, tenant: Tenant, name: str, *, for_update: bool = False, active: bool = False
) -> Stream:
    """The stream `name` names: an exact name (ignoring case), else a unique prefix.

    Args:
        active: refuse an archived stream (for commands that change a stream).

    Raises:
        UnknownName, AmbiguousName: as vsm.names.match_name.
        StreamArchived: `active` was asked for and the stream is archived.
    """
    stream = store.find_stream_by_name(session=session, tenant=tenant, name=name)
    if stream is None:
        # Prefixes reach only active streams: an archived one is found by its whole name.
        active_streams = store.list_streams(session=session, tenant=tenant)
        stream = active_streams[match_name(name, [s.name for s in active_streams]).index]
    if for_update and stream.id is not None:
        locked = store.get_stream(
            session=session, tenant=tenant, stream_id=stream.id, for_update=True
        )
        stream = locked or stream
    if active and stream.archived:
        raise StreamArchived(
            f'“{stream.name}” is archived. Bring it back first: /vsm unarchive "{stream.name}"'
        )
    return stream
