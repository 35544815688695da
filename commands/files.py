"""A use case's answer that is a file to upload: the listener uploads it into a channel (or a
direct message with a person) and replies `uploaded`, or `not_uploaded(Slack's error code)`
when Slack refuses it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FileToUpload:
    """A file for a channel, with its title and comment (each shown by the `*.txt.j2`
    template named after its class) and the replies for either outcome."""

    channel_id: str  # "" for a direct message to `to_user`
    filename: str
    content: str
    title: Any
    comment: Any
    uploaded: Any
    not_uploaded: Callable[[str], Any]
    to_user: str = ""
