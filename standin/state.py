"""What tests set up in the stand-in's workspace and read back from it (a part of FakeSlack).

Set up: people (`set_user`, `set_user_tz`), channels (`set_channel`: name, privacy, time zone,
members, whether the bot is in it; see directory.py for the defaults), tokens that stop working
(`revoke`, `uninstall`, `expire`; `tokens_of` lists a workspace's), how long Slack takes to
process an upload (`delay_file_processing`). Read back: `messages`, `message`, `ephemerals`,
`reactions`, `files`, `view`, `home_view`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from standin.files import UploadedFile
from standin.messages import Message
from standin.tokens import Token, Tokens
from standin.webapi import WebApi


class WorkspaceState:
    """The workspace helpers of FakeSlack; `_lock` guards `_state`."""

    _lock: threading.RLock
    _tokens: Tokens

    @property
    def _state(self) -> WebApi:
        raise NotImplementedError

    # ---- set up ------------------------------------------------------------------------------

    def set_user_tz(self, user: str, tz: str) -> None:
        """Make users.info report `tz` (an IANA name) for `user`."""
        ZoneInfo(tz)
        with self._lock:
            self._state.directory.person(user).tz = tz

    def clear_user_tz(self, user: str) -> None:
        with self._lock:
            known = self._state.directory.people.get(user)
            if known is not None:
                known.tz = None

    def set_user(
        self, user: str, *, is_admin: bool = False, is_owner: bool = False, tz: str | None = None
    ) -> None:
        """What users.info says about `user`: admin or owner of the workspace, time zone."""
        if tz is not None:
            ZoneInfo(tz)
        with self._lock:
            person = self._state.directory.person(user)
            person.is_admin, person.is_owner = is_admin, is_owner
            if tz is not None:
                person.tz = tz

    def set_channel(
        self,
        channel: str,
        *,
        name: str | None = None,
        is_private: bool | None = None,
        tz: str = "",
        members: Iterable[str] | None = None,
        is_member: bool = True,
    ) -> None:
        """What conversations.info/.members say about `channel`; `is_member`: the bot's."""
        with self._lock:
            room = self._state.directory.room(channel)
            room.name, room.is_private, room.tz = name, is_private, tz
            room.members = None if members is None else list(members)
            room.is_member = is_member

    def delay_file_processing(self, seconds: float) -> None:
        """Uploads completed from now on are processed `seconds` after completion."""
        with self._lock:
            self._state.files.processing_delay = seconds

    # ---- tokens ------------------------------------------------------------------------------

    def revoke(self, token: str) -> None:
        """The token stops working: every call with it gets `token_revoked`."""
        with self._lock:
            self._tokens.revoke(token)

    def uninstall(self, team_id: str, enterprise_id: str | None = None) -> list[str]:
        """The workspace removed the app: its bot tokens get `invalid_auth`; returns them."""
        with self._lock:
            return self._tokens.uninstall(team_id, enterprise_id)

    def expire(self, token: str) -> None:
        """A (rotating) token reaches its expiry now: calls get `token_expired`."""
        with self._lock:
            self._tokens.expire(token)

    def tokens_of(self, team_id: str) -> list[Token]:
        """The bot tokens issued for a workspace, oldest first."""
        with self._lock:
            return self._tokens.of_team(team_id)

    # ---- read back ---------------------------------------------------------------------------

    def messages(
        self, channel: str | None = None, thread_ts: str | None = None, *, deleted: bool = False
    ) -> list[Message]:
        """Messages posted with chat.postMessage (and file uploads' messages), as they stand
        after updates, oldest first.

        `thread_ts` selects the replies in that thread; deleted ones only with `deleted=True`.
        """
        with self._lock:
            found = list(self._state.messages.values())
        return [
            m
            for m in sorted(found, key=lambda m: m.ts)
            if (channel is None or m.channel == channel)
            and (thread_ts is None or m.thread_ts == thread_ts)
            and (deleted or not m.deleted)
        ]

    def message(self, channel: str, ts: str) -> Message | None:
        with self._lock:
            return self._state.messages.get((channel, ts))

    def ephemerals(
        self, channel: str | None = None, user: str | None = None
    ) -> list[dict[str, Any]]:
        with self._lock:
            found = list(self._state.ephemerals)
        return [
            e
            for e in found
            if (channel is None or e["channel"] == channel) and (user is None or e["user"] == user)
        ]

    def reactions(self, channel: str, ts: str) -> set[str]:
        """Reaction names the bot added to the message `ts` in `channel`."""
        with self._lock:
            return {name for c, t, name in self._state.reactions if (c, t) == (channel, ts)}

    def files(self, channel: str | None = None) -> list[UploadedFile]:
        """Files whose upload was completed (files.completeUploadExternal), oldest first."""
        with self._lock:
            found = list(self._state.files.files.values())
        return [f for f in found if f.completed and (channel is None or f.channel_id == channel)]

    def view(self, view_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._state.views.views.get(view_id)

    def home_view(self, user: str) -> dict[str, Any] | None:
        with self._lock:
            view_id = self._state.views.home_views.get(user)
            return self._state.views.views.get(view_id) if view_id else None
