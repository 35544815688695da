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
        status: the HTTP status, when Slack answered.
    """

    def __init__(
        self, method: str, code: str, retry_after: int | None = None, status: int | None = None
    ) -> None:
        super().__init__(f"{method}: {code}")
        self.method = method
        self.code = code
        self.retry_after = retry_after
        self.status = status  # the HTTP status, when Slack answered at all

    @property
    def server_side(self) -> bool:
        """Slack failed on its side (a 5xx): whether it acted first, nobody can tell."""
        return self.status is not None and self.status >= 500


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
        key: str | None = None,
    ) -> str:
        """Post a message (carrying `key` in its metadata, if given); returns its ts."""
        ...

    def find_posted(
        self, tenant: Tenant, *, channel: str, key: str, thread_ts: str | None, oldest: float
    ) -> str | None:
        """The ts of a message posted with `key` since `oldest` (in the thread, if given), or
        None when Slack has none: what became of a post whose answer never came."""
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
        alt_text: str | None = None,
    ) -> str:
        """Upload a file into a channel (or a thread); returns the file's id."""
        ...

    def open_dm(self, tenant: Tenant, user_id: str) -> str:
        """The direct message channel with a person (conversations.open)."""
        ...

    def user_time_zone(self, tenant: Tenant, user_id: str) -> str | None:
        """The IANA zone Slack has for a person, or None when Slack does not say."""
        ...

    def user(self, tenant: Tenant, user_id: str) -> "SlackUser":
        """What Slack says of a person (users.info)."""
        ...

    def channel(self, tenant: Tenant, channel_id: str) -> "SlackChannel":
        """What Slack says of a channel (conversations.info)."""
        ...

    def channel_members(self, tenant: Tenant, channel_id: str) -> frozenset[str]:
        """Everyone in a channel (conversations.members, every page)."""
        ...


@dataclass(frozen=True)
class SlackUser:
    user_id: str
    tz: str | None = None
    is_admin: bool = False
    is_owner: bool = False


@dataclass(frozen=True)
class SlackChannel:
    channel_id: str
    is_private: bool = False


class Directory(Protocol):
    """Facts about people and channels that decide who may see and change what. An
    implementation may cache them for a few minutes: none of them is the only copy."""

    def is_admin(self, tenant: Tenant, user_id: str) -> bool:
        """Whether the person is a workspace admin or owner."""
        ...

    def may_see(self, tenant: Tenant, channel_id: str, user_id: str) -> bool:
        """Whether what lives in a channel may be shown to the person: anyone for a public
        channel, members only for a private one."""
        ...


class OpenDirectory:
    """A directory for processes without Slack: nobody is an admin, every channel is open."""

    def is_admin(self, tenant: Tenant, user_id: str) -> bool:
        return False

    def may_see(self, tenant: Tenant, channel_id: str, user_id: str) -> bool:
        return True


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
