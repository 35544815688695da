"""The edges a use case or listener reaches through, as interfaces that bot/ implements.

Nothing here knows slack_sdk: the Slack gateway in bot/ turns every Web API failure into a
`SlackFailure` with Slack's error code, so commands/ can tell "not in channel" from "try later".
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from storage.tenant import Tenant


class SlackFailure(Exception):
    """A Web API call that did not succeed.

    Attributes:
        code: Slack's error code (`not_in_channel`, `ratelimited`, …), or `connection` when
            Slack could not be reached, or `timeout` when the answer never came.
        retry_after: seconds Slack asked us to wait, when it said.
    """

    def __init__(self, method: str, code: str, retry_after: int | None = None) -> None:
        super().__init__(f"{method}: {code}")
        self.method = method
        self.code = code
        self.retry_after = retry_after


class SlackApi(Protocol):
    """The Web API calls the bot makes, each for one workspace."""

    def post_message(
        self,
        tenant: Tenant,
        *,
        channel: str,
        text: str,
        blocks: Sequence[Mapping[str, Any]] | None = None,
        thread_ts: str | None = None,
    ) -> str:
        """Post a message; returns its ts."""
        ...

    def add_reaction(self, tenant: Tenant, *, channel: str, ts: str, name: str) -> None: ...

    def open_view(self, tenant: Tenant, *, trigger_id: str, view: Mapping[str, Any]) -> None: ...

    def publish_home(self, tenant: Tenant, *, user_id: str, view: Mapping[str, Any]) -> None: ...

    def upload_file(
        self,
        tenant: Tenant,
        *,
        channel: str,
        content: str | bytes,
        filename: str,
        title: str,
        comment: str,
        thread_ts: str | None = None,
    ) -> None: ...

    def user_time_zone(self, tenant: Tenant, user_id: str) -> str | None:
        """The IANA zone Slack has for a person, or None when Slack does not say."""
        ...


@dataclass(frozen=True)
class Delivery:
    """What became of one outbox message on this attempt."""

    message_id: int
    sent: bool
    ts: str | None = None
    error: str | None = None
    gave_up: bool = False


class Deliverer(Protocol):
    """Sends committed outbox messages now; what fails stays queued for the clock to retry."""

    def deliver(self, message_ids: Sequence[int]) -> list[Delivery]: ...


class NoDelivery:
    """A deliverer for processes that only queue (the clock's sender picks the rows up)."""

    def deliver(self, message_ids: Sequence[int]) -> list[Delivery]:
        return []
