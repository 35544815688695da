"""A use case's answer that is a form to open: the listener opens `modal` with the request's
trigger and shows `opened`; if Slack cannot open it (the trigger lasts 3 seconds), `fallback`."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OpenModal:
    """A modal to open, and what to reply when it opened or could not be opened.

    Attributes:
        modal: the view's data, shown by the template named after its class.
        opened: the reply once it is open (None: nothing to say).
        fallback: the reply when it could not be opened.
    """

    modal: Any
    opened: Any | None
    fallback: Any | None
