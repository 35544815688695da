"""People in Slack, played towards a running app: slash commands, thread answers, button clicks.

    player = Player(bot_url, signing_secret, slack, stage, out=sys.stdout)
    player.scene(Scene("Baseline", "Sam measures.", (Command("sam", "/vsm measure Onboarding"),)))

Each move is sent the way Slack sends it (a signed slash command form with a response_url on
the stand-in, a signed Events API `message`, or a signed `block_actions` click), the player
waits until the app has answered, then prints who typed what and what the app posted, rendered
for a terminal. A move marked `private` (someone's own survey scores, say) is printed with its
scores as `•`, and so are the app's answers to it.
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

from standin import payloads
from standin.server import RESPONSE_URL, Call, FakeSlack
from standin.transcript import Names, render_message, render_mrkdwn
from standin.webapi import BOT_USER_ID

WIDTH = 96
INDENT = "    "
WAIT = 20.0  # seconds the app has to answer one move
# The app is on loopback: a proxy from the person's environment (http_proxy) must not be used.
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))
FORM = "application/x-www-form-urlencoded"
# What an app may do to answer a click, besides posting to the click's response_url.
APP_ANSWERS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update", "views.open"})
HIDDEN = "•"
# A score on a 1–5 scale standing on its own: what a private move hides.
_SCORE = re.compile(r"(?<![\w.])[1-5](?![\w.%])")


class PlayError(Exception):
    """The app did not answer a move as Slack expects; the message is one line."""


@dataclass(frozen=True)
class Command:
    """Someone types a slash command (`/vsm new …`) in the channel; `@name` picks a person."""

    who: str
    text: str


@dataclass(frozen=True)
class Answer:
    """Someone replies in the thread of the app's latest message in the channel.

    `private`: the scores in it are the person's own; the transcript shows them as `•`.
    """

    who: str
    text: str
    private: bool = False


@dataclass(frozen=True)
class Edit:
    """Someone edits their last answer."""

    who: str
    text: str


@dataclass(frozen=True)
class Click:
    """Someone clicks the button `label` in the row `block_id` of the app's latest message
    that has one; `private` hides which button in the transcript (`[•]`)."""

    who: str
    block_id: str
    label: str
    private: bool = False


@dataclass(frozen=True)
class Submit:
    """Someone fills in the form the app opened last and submits it: `values` by block id (a
    select's option value, or the text typed); fields left out stay as the form showed them.
    `private` hides what they entered in the transcript."""

    who: str
    values: Mapping[str, str]
    private: bool = False


Move = Command | Answer | Edit | Click | Submit


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
        self.acked: dict[str, Any] | None = None  # a reply the app gave in its acknowledgement

    def scene(self, scene: Scene) -> None:
        self.scenes += 1
        self.print("", f"━━ {self.scenes}. {scene.title} ".ljust(WIDTH, "━"))
        self.narrate(scene.narration)
        for move in scene.moves:
            self.print("")
            mark = self.slack.mark()
            self.acked = None
            if isinstance(move, Command):
                self._command(move, mark)
            elif isinstance(move, Click):
                self._click(move, mark)
            elif isinstance(move, Submit):
                self._submit(move)
            else:
                self._answer(move, mark)
            private = isinstance(move, Answer | Click | Submit) and move.private
            self._show_app(mark, asker=move.who, private=private)

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
        self.acked = _reply_in(self._send(payloads.form_body(form), FORM))
        if self.acked is None:  # no reply in the acknowledgement: it comes to the response_url
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
            shown = _hide_scores(move.text) if move.private else move.text
            self.print(f"@{move.who} in the thread:", INDENT + shown)
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

    def _click(self, move: Click, mark: int) -> None:
        message, row, button = self._button(move)
        where = "the thread" if message.get("thread_ts") else f"#{self.stage.channel_name}"
        label = HIDDEN if move.private else move.label
        # The row's caption is the section above it, e.g. the question a row of scores answers.
        blocks = message.get("blocks") or []
        caption = blocks[row - 1] if row > 0 else {}
        under = render_message({"blocks": [caption]}, self.names, width=WIDTH - len(INDENT))
        if caption.get("type") == "section" and under:
            self.print(f"@{move.who} clicks [{label}] in {where}, under:")
            self.print(*(INDENT + line for line in under))
        else:
            self.print(f"@{move.who} clicks [{label}] in {where}")
        response_url = self.slack.new_response_url()
        payload = payloads.block_actions(
            self.workspace,
            user=self.stage.people[move.who],
            channel=self.stage.channel,
            message=message,
            block_id=move.block_id,
            action_id=str(button.get("action_id")),
            value=str(button.get("value")),
            text=button.get("text"),
            response_url=response_url,
            trigger_id=self.slack.new_trigger_id(),
        )
        self._send(payloads.form_body({"payload": json.dumps(payload)}), FORM)
        path = urlsplit(response_url).path
        self._wait(
            mark,
            lambda c: (c.method == RESPONSE_URL and c.path == path) or c.method in APP_ANSWERS,
            f"{move.who}'s click on [{move.label}]",
        )

    def _submit(self, move: Submit) -> None:
        opened = [c for c in self.slack.calls("views.open") if c.ok]
        if not opened:
            raise PlayError("no form is open to fill in")
        view = self.slack.view(str(opened[-1].response["view"]["id"])) or {}
        title = (view.get("title") or {}).get("text", "the form")
        values: dict[str, dict[str, Any]] = {}
        typed = []
        for block in view.get("blocks") or []:
            element, block_id = block.get("element") or {}, str(block.get("block_id"))
            if block.get("type") != "input":
                continue
            chosen = move.values.get(block_id)
            if element.get("type") == "static_select":
                option = next(
                    (o for o in element.get("options") or [] if o.get("value") == chosen),
                    element.get("initial_option"),
                )
                values[block_id] = {str(element.get("action_id")): {
                    "type": "static_select", "selected_option": option
                }}  # fmt: skip
                shown = (option or {}).get("text", {}).get("text") if option else None
            else:
                text = element.get("initial_value") if chosen is None else chosen
                values[block_id] = {str(element.get("action_id")): text or None}
                shown = text
            if chosen is not None and shown:
                label = (block.get("label") or {}).get("text", block_id)
                typed.append(f"{label}: {HIDDEN if move.private else shown}")
        self.print(f"@{move.who} fills in “{title}” and saves:", *(INDENT + t for t in typed))
        payload = payloads.view_submission(
            self.workspace,
            view=view,
            values=values,
            user=self.stage.people[move.who],
            trigger_id=self.slack.new_trigger_id(),
        )
        reply = self._send(payloads.form_body({"payload": json.dumps(payload)}), FORM)[1]
        errors = json.loads(reply).get("errors") if reply.strip() else None
        if errors:
            raise PlayError(f"the form was refused: {errors}")
        self.print(f"{self.stage.app_name}: the form closes (saved)")

    def _button(self, move: Click) -> tuple[dict[str, Any], int, dict[str, Any]]:
        """The app's latest message with the button, the index of its row, and the button."""
        for stored in reversed(self.slack.messages(self.stage.channel)):
            message = stored.to_slack()
            for index, block in enumerate(message.get("blocks") or []):
                if block.get("block_id") != move.block_id:
                    continue
                for element in block.get("elements") or []:
                    text = (element.get("text") or {}).get("text")
                    if element.get("type") == "button" and text == move.label:
                        return message, index, element
        raise PlayError(f"no message has a [{move.label}] button in a row {move.block_id!r}")

    def _mentions(self, text: str) -> str:
        """`@ada` as Slack sends a person picked from the list (should_escape): `<@U0ADA|ada>`."""
        people = self.stage.people
        return re.sub(
            r"@(\w+)", lambda m: f"<@{people[m[1]]}|{m[1]}>" if m[1] in people else m[0], text
        )

    def _send(self, body: bytes, content_type: str) -> tuple[str, bytes]:
        """POST a signed request; the app's answer (its content type and body)."""
        headers = {"Content-Type": content_type, **payloads.sign(body, self.secret)}
        request = urllib.request.Request(self.events_url, body, headers)  # noqa: S310  # ours
        try:
            with LOOPBACK.open(request, timeout=WAIT) as answer:
                return str(answer.headers.get("Content-Type") or ""), answer.read()
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

    def _show_app(self, mark: int, asker: str, *, private: bool = False) -> None:
        """Print what reached the stand-in since `mark`, in the order it arrived; answers to a
        private move with their scores hidden."""
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
            if private:
                lines = [_hide_scores(line) for line in lines]
            if lines == shown:  # the same message again (a summary goes to thread and channel)
                self.print(heading, f"{INDENT}(the same message)")
                continue
            self.print(heading, *(f"{INDENT}{line}".rstrip() for line in lines))
            shown = lines
        if self.acked is not None:
            lines = render_message(
                self.acked, self.names, width=WIDTH - len(INDENT), color=self.color
            )
            self.print(
                f"{self.stage.app_name} → @{asker} (only you):",
                *(f"{INDENT}{line}".rstrip() for line in lines),
            )

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


# ---- what Slack sends for a click -------------------------------------------------------------


def _reply_in(answer: tuple[str, bytes]) -> dict[str, Any] | None:
    """The message an app's acknowledgement carries, if it carries one (JSON with text)."""
    content_type, body = answer
    if not content_type.startswith("application/json") or not body.strip():
        return None
    try:
        reply = json.loads(body)
    except ValueError:
        return None
    return reply if isinstance(reply, dict) and (reply.get("text") or reply.get("blocks")) else None


def _hide_scores(text: str) -> str:
    return _SCORE.sub(HIDDEN, text)
