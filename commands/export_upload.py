"""`/vsm export`: the stream's numbers as a CSV file, to be uploaded where it was asked."""

import re
import unicodedata
from dataclasses import dataclass
from functools import partial

from commands.access import readable_stream
from commands.export import export_stream
from commands.export_format import to_csv
from commands.files import FileToUpload
from commands.services import Services
from storage.tenant import Tenant


@dataclass(frozen=True)
class ExportFile:
    """What the upload's title and comment, and the reply, say."""

    stream: str
    filename: str
    channel_id: str
    user_id: str
    steps: int
    cycles: int
    # Asked outside the stream's home channel: it goes to the asker in a direct message.
    direct: bool = False
    home_id: str = ""


@dataclass(frozen=True)
class ExportFileTitle:
    upload: ExportFile


@dataclass(frozen=True)
class ExportFileComment:
    upload: ExportFile


@dataclass(frozen=True)
class ExportUploaded:
    upload: ExportFile


@dataclass(frozen=True)
class ExportNotUploaded:
    upload: ExportFile
    error: str


def file_slug(name: str) -> str:
    """A file-name-safe form of a stream name: `Order to cash` → `order-to-cash`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-")
    return slug or "stream"


def export_file(
    services: Services, tenant: Tenant, name: str, *, channel_id: str, user_id: str
) -> FileToUpload:
    """The stream's CSV export as a file: for its home channel when asked there, else for
    the asker alone (a stream's numbers never land in another channel)."""
    with services.unit_of_work(read_only=True) as session:
        stream = readable_stream(session, services, tenant, name, user_id)
        export = export_stream(session, tenant, stream.name)
    home = export["stream"]["channel_id"]
    upload = ExportFile(
        stream=export["stream"]["name"],
        filename=f"{file_slug(export['stream']['name'])}-vsm.csv",
        channel_id=channel_id,
        user_id=user_id,
        steps=len(export["steps"]),
        cycles=len(export["cycles"]),
        direct=channel_id != home,
        home_id=home,
    )
    return FileToUpload(
        channel_id=channel_id if channel_id == home else "",
        to_user=user_id,
        filename=upload.filename,
        content=to_csv(export),
        title=ExportFileTitle(upload),
        comment=ExportFileComment(upload),
        uploaded=ExportUploaded(upload),
        not_uploaded=partial(ExportNotUploaded, upload),
    )
