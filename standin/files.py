"""Files upload v2 and files.info.

`files.getUploadURLExternal` (filename, length) hands out an upload URL on the stand-in; the
bytes POSTed there are kept (`UploadedFile.data`, so a test can check a PNG arrived);
`files.completeUploadExternal` (files, channel_id — or the first of `channels` —, thread_ts,
initial_comment or blocks; blocks are ignored when initial_comment is set) completes the
upload and shares it: WebApi posts one message carrying the files into the channel or thread
(`Message.files`). Without a channel the file stays private to the app. A file completes once.

Slack processes uploads asynchronously. The stand-in models that with a delay (0 by default,
`FakeSlack.delay_file_processing(seconds)`): until it has passed, an image block naming the
file as `slack_file` fails with `invalid_blocks`, and files.info shows the file without what
processing finds (empty `mimetype`/`filetype`, no `original_w`/`original_h`, no thumbnails).
"""

from __future__ import annotations

import dataclasses
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from standin.base import DEFAULT_IDENTITY, Identity, SlackError, required

# Magic numbers of the pictures Slack shows inline: (prefix, mimetype, filetype).
_PICTURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)


@dataclass(frozen=True)
class UploadedFile:
    """A file that went through files.getUploadURLExternal and the upload POST."""

    id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str | None = None
    channel_id: str | None = None
    thread_ts: str | None = None
    initial_comment: str | None = None
    alt_txt: str | None = None
    created: int = field(default_factory=lambda: int(time.time()))
    processed_at: float | None = None  # time.monotonic() when Slack has processed it
    uploader: Identity = field(default=DEFAULT_IDENTITY, compare=False)

    @property
    def completed(self) -> bool:
        return self.processed_at is not None

    def is_processed(self, now: float | None = None) -> bool:
        moment = time.monotonic() if now is None else now
        return self.processed_at is not None and self.processed_at <= moment

    @property
    def kind(self) -> tuple[str, str]:
        """(mimetype, filetype) from the bytes, as Slack's processing finds them."""
        for magic, mimetype, filetype in _PICTURES:
            if (self.data or b"").startswith(magic):
                return mimetype, filetype
        if self.filename.lower().endswith(".csv"):
            return "text/csv", "csv"
        return "application/octet-stream", "binary"

    def dimensions(self) -> tuple[int, int] | None:
        """Width and height of a PNG (from its IHDR chunk); None for anything else."""
        data = self.data or b""
        if data.startswith(_PICTURES[0][0]) and len(data) >= 24 and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        return None

    def to_slack(self, base_url: str) -> dict[str, Any]:
        """The file object as files.info and the file's message show it."""
        user = self.uploader.bot_user_id
        url = f"{base_url}/files-pri/{self.uploader.team_id}-{self.id}/{self.filename}"
        body: dict[str, Any] = {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.filename,
            "title": self.title or self.filename,
            "mimetype": "",
            "filetype": "",
            "pretty_type": "",
            "user": user,
            "user_team": self.uploader.team_id,
            "editable": False,
            "size": len(self.data or b""),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": bool(self.channel_id and self.channel_id.startswith("C")),
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": url,
            "url_private_download": url.replace("/files-pri/", "/files-pri-download/"),
            "permalink": f"https://ws.slack.com/files/{user}/{self.id}/{self.filename}",
            "channels": [],
            "groups": [],
            "ims": [],
            "comments_count": 0,
            "has_rich_preview": False,
            "file_access": "visible",
        }
        if self.alt_txt:
            body["alt_txt"] = self.alt_txt
        if self.channel_id:
            where = {"C": "channels", "G": "groups", "D": "ims"}.get(
                self.channel_id[:1], "channels"
            )
            body[where] = [self.channel_id]
        if self.is_processed():
            mimetype, filetype = self.kind
            body.update(mimetype=mimetype, filetype=filetype, pretty_type=filetype.upper())
            size = self.dimensions()
            if size is not None:
                body.update(original_w=size[0], original_h=size[1], thumb_360=url)
        return body


@dataclass
class Files:
    """The uploads: issued, received, completed."""

    base_url: str
    new_id: Callable[[str], str]
    processing_delay: float = 0.0  # seconds from completion until Slack has processed a file
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def get_upload_url_external(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        filename = required(params, "filename", "invalid_arguments")
        length = str(params.get("length", ""))
        if not length.isdigit():
            raise SlackError("invalid_arguments")
        file_id = self.new_id("F")
        self.files[file_id] = UploadedFile(
            id=file_id,
            filename=filename,
            length=int(length),
            alt_txt=params.get("alt_txt") or None,
            uploader=who,
        )
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        """Store the bytes POSTed to an upload URL; False when the URL was never issued."""
        known = self.files.get(file_id)
        if known is None:
            return False
        self.files[file_id] = dataclasses.replace(known, data=data)
        return True

    def complete(self, params: dict[str, Any], channel: str | None) -> list[UploadedFile]:
        """files.completeUploadExternal's bookkeeping: the files, now complete and shared."""
        entries = params.get("files")
        if not isinstance(entries, list) or not entries:
            raise SlackError("invalid_arguments")
        found = []
        for entry in entries:
            known = self.files.get(entry.get("id", "")) if isinstance(entry, dict) else None
            if known is None or known.data is None or known.completed:
                raise SlackError("file_not_found")
            found.append((known, entry))
        done = []
        ready_at = time.monotonic() + self.processing_delay
        for known, entry in found:
            completed = dataclasses.replace(
                known,
                title=entry.get("title") or known.filename,
                channel_id=channel,
                thread_ts=(params.get("thread_ts") or None) if channel else None,
                initial_comment=params.get("initial_comment") or None,
                processed_at=ready_at,
            )
            self.files[completed.id] = completed
            done.append(completed)
        return done

    def info(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        file_id = required(params, "file", "file_not_found")
        known = self.files.get(file_id)
        if known is None or not known.completed:
            raise SlackError("file_not_found")
        return {
            "file": known.to_slack(self.base_url),
            "comments": [],
            "response_metadata": {"next_cursor": ""},
        }

    def is_ready(self, file_id: str) -> bool:
        """Whether an image block may show `file_id` (uploaded, completed and processed)."""
        known = self.files.get(file_id)
        return known is not None and known.is_processed()
