"""People in Slack, played towards a running app: a story of slash commands and thread answers.

    player = Player(bot_url, signing_secret, slack, stage, out=sys.stdout)
    player.scene(Scene("Baseline", "Sam measures.", (Command("sam", "/vsm measure Onboarding"),)))

Each move is sent the way Slack sends it (a signed slash command form with a response_url on
the stand-in, or a signed Events API `message`), the player waits until the app has answered,
then prints who typed what and what the app posted, rendered for a terminal.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlsplit

from bot.standin import payloads
from bot.standin.server import RESPONSE_URL, Call, FakeSlack
from bot.standin.transcript import Names, render_message, render_mrkdwn
from bot.standin.webapi import BOT_USER_ID

WIDTH = 96
INDENT = "    "
WAIT = 20.0  # seconds the app has to answer one move
# The app is on loopback: a proxy from the person's environment (http_proxy) must not be used.
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class PlayError(Exception):
    """The app did not answer a move as Slack expects; the message is one line."""


@dataclass(frozen=True)
class Command:
    """Someone types a slash command (`/vsm new …`) in the channel; `@name` picks a person."""

    who: str
    text: str


@dataclass(frozen=True)
class Answer:
    """Someone replies in the thread of the app's latest message in the channel."""

    who: str
    text: str


@dataclass(frozen=True)
class Edit:
    """Someone edits their last answer."""

    who: str
    text: str


Move = Command | Answer | Edit


@dataclass(frozen=True)
class Scene:
    title: str
    narration: str
    moves: tuple[Move, ...] = ()


@dataclass(frozen=True)
class Stage:
    """Where the story plays: the workspace, one channel, and the people (name → user id)."""

    team_id: str
    channel: str
    channel_name: str
    people: Mapping[str, str]
    app_name: str = "vsm-bot"


class Player:
    """Slack's side of the story: sends each move, waits for the app, prints both."""

    def __init__(
        self, app_url: str, signing_secret: str, slack: FakeSlack, stage: Stage, out: TextIO
    ) -> None:
        self.events_url = f"{app_url.rstrip('/')}/slack/events"
        self.secret, self.slack, self.stage, self.out = signing_secret, slack, stage, out
        self.workspace = payloads.Workspace(stage.team_id)
        users = {user: name for name, user in stage.people.items()}
        self.names = Names(users=users, channels={stage.channel: stage.channel_name})
        self.color = out.isatty() and "NO_COLOR" not in os.environ
        self.thread_ts = ""  # the app's latest message in the channel: answers go there
        self.answers: dict[str, tuple[str, str]] = {}  # who → (ts, text) of their last answer
        self.authors: dict[str, str] = {}  # message ts → who wrote it
        self.scenes = 0

    def scene(self, scene: Scene) -> None:
        self.scenes += 1
        self.print("", f"━━ {self.scenes}. {scene.title} ".ljust(WIDTH, "━"))
        self.narrate(scene.narration)
        for move in scene.moves:
            self.print("")
            mark = self.slack.mark()
            if isinstance(move, Command):
                self._command(move, mark)
            else:
                self._answer(move, mark)
            self._show_app(mark, asker=move.who)

    def narrate(self, text: str) -> None:
        self.print(*textwrap.wrap(text, WIDTH, break_on_hyphens=False))

    def print(self, *lines: str) -> None:
        for line in lines:
            print(line, file=self.out)
        self.out.flush()

    # ---- moves -------------------------------------------------------------------------------

    def _command(self, move: Command, mark: int) -> None:
        self.print(f"@{move.who} in #{self.stage.channel_name}:", INDENT + move.text)
        command, _, text = move.text.partition(" ")
        response_url = self.slack.new_response_url()
        form = payloads.slash_command(
            self.workspace,
            text=self._mentions(text),
            user=self.stage.people[move.who],
            channel=self.stage.channel,
            response_url=response_url,
            trigger_id=self.slack.new_trigger_id(),
            command=command,
            channel_name=self.stage.channel_name,
            user_name=move.who,
        )
        self._send(payloads.form_body(form), "application/x-www-form-urlencoded")
        path = urlsplit(response_url).path
        self._wait(mark, lambda c: c.method == RESPONSE_URL and c.path == path, move.text)
        for call in self.slack.calls_since(mark, "chat.postMessage"):
            in_channel = call.params.get("channel") == self.stage.channel
            if call.ok and in_channel and not call.params.get("thread_ts"):
                self.thread_ts = str(call.response["ts"])

    def _answer(self, move: Answer | Edit, mark: int) -> None:
        user = self.stage.people[move.who]
        if isinstance(move, Edit):
            ts, before = self.answers[move.who]
            self.print(f"@{move.who} edits that message to:", INDENT + move.text)
            event = payloads.message_changed(
                self.workspace,
                ts=ts,
                text=move.text,
                previous_text=before,
                user=user,
                channel=self.stage.channel,
                event_ts=self.slack.new_ts(),
                thread_ts=self.thread_ts,
            )
        else:
            ts = self.slack.new_ts()
            self.print(f"@{move.who} in the thread:", INDENT + move.text)
            event = payloads.user_message(
                self.workspace,
                text=move.text,
                user=user,
                channel=self.stage.channel,
                ts=ts,
                thread_ts=self.thread_ts,
                parent_user_id=BOT_USER_ID,
            )
        self.answers[move.who], self.authors[ts] = (ts, move.text), move.who
        envelope = payloads.event_callback(self.workspace, event, event_id=payloads.new_event_id())
        self._send(json.dumps(envelope).encode(), "application/json")
        # Slack's events are acknowledged first and handled after: wait for a reaction or reply.
        self._wait(
            mark,
            lambda c: (
                (c.method == "reactions.add" and c.params.get("timestamp") == ts)
                or (c.method == "chat.postMessage" and c.params.get("thread_ts") == self.thread_ts)
            ),
            f"{move.who}'s message",
        )

    def _mentions(self, text: str) -> str:
        """`@ada` as Slack sends a person picked from the list (should_escape): `<@U0ADA|ada>`."""
        people = self.stage.people
        return re.sub(
            r"@(\w+)", lambda m: f"<@{people[m[1]]}|{m[1]}>" if m[1] in people else m[0], text
        )

    def _send(self, body: bytes, content_type: str) -> None:
        headers = {"Content-Type": content_type, **payloads.sign(body, self.secret)}
        request = urllib.request.Request(self.events_url, body, headers)  # noqa: S310  # ours
        try:
            with LOOPBACK.open(request, timeout=WAIT):
                pass
        except urllib.error.HTTPError as refused:
            raise PlayError(f"the app answered HTTP {refused.code} to a signed request") from None
        except OSError as error:
            raise PlayError(f"could not reach the app: {error}") from None

    def _wait(self, mark: int, wanted: Callable[[Call], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT
        while not any(c.ok and wanted(c) for c in self.slack.calls_since(mark)):
            if time.monotonic() > deadline:
                raise PlayError(f"no answer to {what!r} within {WAIT:.0f} s")
            time.sleep(0.02)

    # ---- what the app did --------------------------------------------------------------------

    def _show_app(self, mark: int, asker: str) -> None:
        """Print what reached the stand-in since `mark`, in the order it arrived."""
        shown: list[str] = []
        for call in self.slack.calls_since(mark):
            if not call.ok:
                continue
            if call.method == "reactions.add":
                emoji = render_mrkdwn(f":{call.params.get('name')}:")
                who = self.authors.get(str(call.params.get("timestamp")), "someone")
                self.print(f"{self.stage.app_name} reacts {emoji} to @{who}'s message")
                continue
            heading = self._heading(call.method, call.params, asker)
            if heading is None:
                continue
            width = WIDTH - len(INDENT)
            lines = render_message(call.params, self.names, width=width, color=self.color)
            if lines == shown:  # the same message again (a summary goes to thread and channel)
                self.print(heading, f"{INDENT}(the same message)")
                continue
            self.print(heading, *(f"{INDENT}{line}".rstrip() for line in lines))
            shown = lines

    def _heading(self, method: str, params: dict[str, Any], asker: str) -> str | None:
        """Who sees a message the app sent; None for calls that show nothing (reads)."""
        app = self.stage.app_name
        if method == "chat.postEphemeral":
            return (
                f"{app} → @{self.names.users.get(str(params.get('user')), 'someone')} (only you):"
            )
        if method == RESPONSE_URL and params.get("response_type") != "in_channel":
            return f"{app} → @{asker} (only you):"
        if method in ("chat.postMessage", RESPONSE_URL):
            where = "the thread" if params.get("thread_ts") else f"#{self.stage.channel_name}"
            return f"{app} in {where}:"
        return None
