"""commands.ports.Directory on the Slack gateway, with answers kept for a few minutes.

An admin flag is kept 5 minutes, a channel's privacy and members 1 minute: a change in Slack
reaches the bot that late at most, and a request costs no Slack call most of the time. When
Slack cannot be asked, the answer is the careful one (not an admin; a private channel's
content is not shown).
"""

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from commands.ports import SlackApi, SlackFailure
from storage.tenant import Tenant

USER_TTL_S = 300.0
CHANNEL_TTL_S = 60.0
_T = TypeVar("_T")


class _Cache:
    """A small thread-safe cache whose entries expire."""

    def __init__(self, ttl_s: float, clock: Callable[[], float]) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, ...], tuple[float, object]] = {}

    def get(self, key: tuple[str, ...], load: Callable[[], _T]) -> _T:
        now = self._clock()
        with self._lock:
            found = self._entries.get(key)
        if found is not None and found[0] > now:
            return found[1]  # type: ignore[return-value]  # stored by this same key's loader
        value = load()
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[key] = (now + self._ttl_s, value)
        return value


class SlackDirectory:
    """Who is an admin and who may see a channel, from Slack, cached."""

    def __init__(self, slack: SlackApi, clock: Callable[[], float] = time.monotonic) -> None:
        self._slack = slack
        self._users = _Cache(USER_TTL_S, clock)
        self._channels = _Cache(CHANNEL_TTL_S, clock)

    def is_admin(self, tenant: Tenant, user_id: str) -> bool:
        def load() -> bool:
            try:
                user = self._slack.user(tenant, user_id)
            except SlackFailure:
                return False
            return user.is_admin or user.is_owner

        return self._users.get(("admin", tenant.enterprise_id, tenant.team_id, user_id), load)

    def may_see(self, tenant: Tenant, channel_id: str, user_id: str) -> bool:
        key = (tenant.enterprise_id, tenant.team_id, channel_id)

        def private() -> bool:
            try:
                return self._slack.channel(tenant, channel_id).is_private
            except SlackFailure:
                return True  # cannot tell: treat it as private

        if not self._channels.get(("private", *key), private):
            return True

        def members() -> frozenset[str]:
            try:
                return self._slack.channel_members(tenant, channel_id)
            except SlackFailure:
                return frozenset()

        return user_id in self._channels.get(("members", *key), members)
