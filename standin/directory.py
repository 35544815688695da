"""People and channels: users.info, conversations.info and conversations.members.

What tests configure (through FakeSlack): a person's time zone and whether they are a workspace
admin or owner (`set_user`); a channel's name, privacy, time zone, members, and whether the bot
is in it (`set_channel`).

Defaults, chosen so that a test which configures nothing sees an ordinary workspace:
- a person is neither admin nor owner, in the stand-in's default time zone; an owner is also
  an admin, as in Slack;
- a channel whose id starts with G is private, D is a direct message, anything else is public;
- the bot is a member of every channel (the app was invited), so posting and reading work;
- a channel whose members were not set has as members the bot and every person a test has
  configured with set_user/set_user_tz ("everybody the stand-in knows").
A bot that is not in a channel gets Slack's answers: `not_in_channel` for a public channel and
`channel_not_found` for a private one it cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from standin.base import (
    Identity,
    SlackError,
    decode_cursor,
    encode_cursor,
    limit_of,
    required,
)

MEMBERS_LIMIT = 100
MEMBERS_MAX = 1000
_MEMBER_CURSOR = "user_id:"

# Slack shows a long name for the zone's current abbreviation; unknown ones fall back to it.
_TZ_LABELS = {
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "UTC": "Coordinated Universal Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "JST": "Japan Standard Time",
    "IST": "India Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
}


@dataclass
class Person:
    tz: str | None = None  # None: the stand-in's default zone
    is_admin: bool = False
    is_owner: bool = False


@dataclass
class Room:
    name: str | None = None
    is_private: bool | None = None  # None: from the id (G… is private)
    tz: str = ""
    members: list[str] | None = None  # None: everybody the stand-in knows
    is_member: bool = True  # whether the bot is in the channel


@dataclass
class Directory:
    """The workspace's people and channels, as far as tests configured them."""

    default_tz: str
    people: dict[str, Person] = field(default_factory=dict)
    rooms: dict[str, Room] = field(default_factory=dict)

    # ---- configuration -----------------------------------------------------------------------

    def person(self, user: str) -> Person:
        return self.people.setdefault(user, Person())

    def room(self, channel: str) -> Room:
        return self.rooms.setdefault(channel, Room())

    def is_private(self, channel: str) -> bool:
        known = self.rooms.get(channel)
        if known is not None and known.is_private is not None:
            return known.is_private
        return channel.startswith(("G", "D"))

    def bot_is_member(self, channel: str) -> bool:
        known = self.rooms.get(channel)
        return known is None or known.is_member

    def check_bot_in(self, channel: str) -> None:
        """The error Slack answers a bot that posts into or reads a channel it is not in."""
        if not self.bot_is_member(channel):
            raise SlackError("channel_not_found" if self.is_private(channel) else "not_in_channel")

    def members(self, channel: str, who: Identity) -> list[str]:
        known = self.rooms.get(channel)
        people = (
            list(known.members)
            if known is not None and known.members is not None
            else sorted(self.people)
        )
        bot = [who.bot_user_id] if self.bot_is_member(channel) else []
        return bot + [user for user in people if user != who.bot_user_id]

    # ---- Web API -----------------------------------------------------------------------------

    def users_info(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        user_id = required(params, "user", "user_not_found")
        known = self.people.get(user_id, Person())
        zone_name = known.tz or self.default_tz
        local = datetime.now(UTC).astimezone(ZoneInfo(zone_name))
        offset = local.utcoffset()
        abbreviation = local.tzname() or zone_name
        name = user_id.lower()
        return {
            "user": {
                "id": user_id,
                "team_id": who.team_id,
                "name": name,
                "deleted": False,
                "real_name": f"User {user_id}",
                "tz": zone_name,
                "tz_label": _TZ_LABELS.get(abbreviation, abbreviation),
                "tz_offset": int(offset.total_seconds()) if offset else 0,
                "profile": {
                    "real_name": f"User {user_id}",
                    "real_name_normalized": f"User {user_id}",
                    "display_name": name,
                    "display_name_normalized": name,
                    "team": who.team_id,
                },
                "is_admin": known.is_admin or known.is_owner,
                "is_owner": known.is_owner,
                "is_primary_owner": False,
                "is_restricted": False,
                "is_ultra_restricted": False,
                "is_bot": user_id == who.bot_user_id,
                "is_app_user": False,
                "updated": 1_700_000_000,
            }
        }

    def conversations_info(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        channel_id = required(params, "channel", "channel_not_found")
        known = self.rooms.get(channel_id, Room())
        is_private = self.is_private(channel_id)
        is_member = self.bot_is_member(channel_id)
        if is_private and not is_member:
            raise SlackError("channel_not_found")  # a private channel is invisible from outside
        name = known.name or channel_id.lower()
        is_im = channel_id.startswith("D")
        channel: dict[str, Any] = {
            "id": channel_id,
            "name": name,
            "is_channel": not (is_private or is_im),
            "is_group": is_private and not is_im,
            "is_im": is_im,
            "is_mpim": False,
            "is_private": is_private,
            "created": 1_700_000_000,
            "is_archived": False,
            "is_general": False,
            "name_normalized": name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "context_team_id": who.team_id,
            "creator": "U0CREATOR",
            "is_member": is_member,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "previous_names": [],
        }
        if known.tz:
            channel["tz"] = known.tz
        return {"channel": channel}

    def conversations_members(self, params: dict[str, Any], who: Identity) -> dict[str, Any]:
        channel_id = required(params, "channel", "channel_not_found")
        if self.is_private(channel_id) and not self.bot_is_member(channel_id):
            raise SlackError("channel_not_found")
        members = self.members(channel_id, who)
        limit = limit_of(params, default=MEMBERS_LIMIT, maximum=MEMBERS_MAX)
        start = 0
        if params.get("cursor"):
            after = decode_cursor(str(params["cursor"]), _MEMBER_CURSOR)
            if after not in members:
                raise SlackError("invalid_cursor")
            start = members.index(after)
        page, rest = members[start : start + limit], members[start + limit :]
        next_cursor = encode_cursor(_MEMBER_CURSOR + rest[0]) if rest else ""
        return {"members": page, "response_metadata": {"next_cursor": next_cursor}}
