"""SlackDriver: plays Slack towards the running bot, for one workspace.

    slack = SlackDriver(bot.url, SIGNING_SECRET, fake)
    reply = slack.command("help")                  # signed /vsm, waits for the answer
    status, event_id, ts = slack.message("5m", thread_ts=cycle_ts)
    slack.wait_for("reactions.add")                # calls the bot made since this driver began

Requests are signed with the app's signing secret and sent to `{bot_url}/slack/events`;
payloads come from standin/payloads.py. Each driver is a fresh workspace (team_id), so tests
that share one bot process never see each other's data.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from standin import blockkit, payloads
from standin.payloads import sign
from standin.server import RESPONSE_URL, Call, FakeSlack
from standin.webapi import BOT_ID, BOT_USER_ID, Message

EVENTS_PATH = "/slack/events"
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class SlackRequest:
    """A request as Slack would send it: exact body bytes and headers (signed on sending)."""

    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """The decoded body: the JSON object, or the form fields (`payload` decoded)."""
        if self.content_type == JSON:
            return dict(json.loads(self.body))
        fields = dict(parse_qsl(self.body.decode(), keep_blank_values=True))
        if "payload" in fields:
            return dict(json.loads(fields["payload"]))
        return fields


@dataclass(frozen=True)
class HttpResult:
    """The bot's HTTP answer to one request."""

    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes
    response_url: str | None = None
    trigger_id: str | None = None

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def json(self) -> Any:
        """The body as JSON ({} for an empty 200, which is how Bolt acks without content)."""
        return json.loads(self.body) if self.body.strip() else {}


@dataclass(frozen=True)
class Reply:
    """What the user sees after a slash command: the ack's content or the response_url post."""

    payload: dict[str, Any]
    http_status: int
    source: str  # "ack" or "response_url"
    response_url: str

    @property
    def text(self) -> str:
        return str(self.payload.get("text") or "")

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.payload.get("blocks") or [])

    @property
    def response_type(self) -> str | None:
        return self.payload.get("response_type")

    @property
    def all_text(self) -> str:
        """Fallback text and every block text, one per line: what assertions search."""
        return blockkit.all_text(self.text, self.blocks)


class SlackDriver:
    """Slack's side of the conversation with the bot, for one workspace."""

    def __init__(
        self,
        bot_url: str,
        signing_secret: str,
        fake: FakeSlack,
        team_id: str | None = None,
        enterprise_id: str | None = None,
        timeout: float = 10.0,
        reply_timeout: float = 5.0,
    ) -> None:
        self.bot_url = bot_url.rstrip("/")
        self.signing_secret = signing_secret
        self.fake = fake
        self.workspace = payloads.Workspace(team_id or payloads.new_team_id(), enterprise_id)
        self.timeout = timeout
        self.reply_timeout = reply_timeout
        self._mark = fake.mark()
        self._first_ts = fake.new_ts()
        self._user_tz_set: set[str] = set()

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    @property
    def enterprise_id(self) -> str | None:
        return self.workspace.enterprise_id

    # ---- sending -----------------------------------------------------------------------------

    def send(
        self,
        request: SlackRequest,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        path: str = EVENTS_PATH,
    ) -> HttpResult:
        """Sign `request` (with `secret`, default the app's) and POST it to the bot."""
        headers = {"Content-Type": request.content_type, "User-Agent": USER_AGENT}
        headers.update(sign(request.body, secret or self.signing_secret, timestamp))
        headers.update(request.headers)
        return self._http("POST", path, request.body, headers)

    def get(self, path: str) -> HttpResult:
        return self._http("GET", path, None, {"User-Agent": USER_AGENT})

    def post_unsigned(self, body: bytes, content_type: str, headers: dict[str, str]) -> HttpResult:
        """POST exactly these headers (e.g. a forged signature) to /slack/events."""
        return self._http("POST", EVENTS_PATH, body, {"Content-Type": content_type, **headers})

    def _http(
        self, verb: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> HttpResult:
        request = urllib.request.Request(
            self.bot_url + path, data=body, headers=headers, method=verb
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return HttpResult(answer.status, _lower(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as refused:
            return HttpResult(refused.code, _lower(refused.headers.items()), refused.read())

    # ---- slash commands ----------------------------------------------------------------------

    def build_command(
        self, text: str, user: str = "U1", channel: str = "C1", **fields: str
    ) -> tuple[SlackRequest, str, str]:
        """The signed-to-be form of `/vsm text`, with its fresh response_url and trigger_id."""
        response_url = self.fake.new_response_url()
        trigger_id = self.fake.new_trigger_id()
        form = payloads.slash_command(
            self.workspace,
            text=text,
            user=user,
            channel=channel,
            response_url=response_url,
            trigger_id=trigger_id,
        )
        form.update(fields)
        return SlackRequest(payloads.form_body(form), FORM), response_url, trigger_id

    def command_raw(
        self,
        text: str,
        user: str = "U1",
        channel: str = "C1",
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        **fields: str,
    ) -> HttpResult:
        """Send `/vsm text` and return the bot's HTTP answer without waiting for more."""
        request, response_url, trigger_id = self.build_command(text, user, channel, **fields)
        result = self.send(request, timestamp=timestamp, secret=secret)
        return HttpResult(result.status, result.headers, result.body, response_url, trigger_id)

    def command(self, text: str, user: str = "U1", channel: str = "C1", **fields: str) -> Reply:
        """Send `/vsm text`; return what the user sees.

        That is the ack's own content when the bot acked with a message, otherwise the first
        post the bot made to the command's response_url (waited for up to reply_timeout).
        """
        result = self.command_raw(text, user, channel, **fields)
        if result.status != 200:
            raise AssertionError(f"/vsm {text!r} got HTTP {result.status}: {result.text[:500]}")
        return self.reply_to(result)

    def reply_to(self, result: HttpResult) -> Reply:
        """What the user sees for a command already sent: the ack's content, or the first post
        to its response_url (waited for up to reply_timeout)."""
        assert result.response_url is not None
        ack = _ack_message(result)
        if ack:
            return Reply(ack, result.status, "ack", result.response_url)
        path = urlsplit(result.response_url).path
        [first, *_] = self.fake.wait_for(
            RESPONSE_URL,
            lambda call: call.path == path and call.status == 200,
            timeout=self.reply_timeout,
            since=self._mark,
        )
        return Reply(first.params, result.status, "response_url", result.response_url)

    # ---- Events API --------------------------------------------------------------------------

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> tuple[HttpResult, str]:
        """Deliver any Events API event; a retry (`retry_num`) reuses the first event_id."""
        event_id = event_id or payloads.new_event_id()
        envelope = payloads.event_callback(self.workspace, event, event_id=event_id)
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        request = SlackRequest(json.dumps(envelope).encode(), JSON, headers)
        # Slack retries only after its 3-second wait, so a retry is signed at a later second
        # than the delivery it repeats (the same signature twice would be a replay).
        later = None if retry_num is None else int(time.time()) + 3 * retry_num
        return self.send(request, timestamp=later), event_id

    def message(
        self,
        text: str,
        user: str = "U1",
        channel: str = "C1",
        thread_ts: str | None = None,
        ts: str | None = None,
        event_id: str | None = None,
        retry_num: int | None = None,
    ) -> tuple[int, str, str]:
        """A person posts `text` (in the thread `thread_ts`). Returns (status, event_id, ts)."""
        ts = ts or self.fake.new_ts()
        parent = self.fake.message(channel, thread_ts) if thread_ts else None
        event = payloads.user_message(
            self.workspace,
            text=text,
            user=user,
            channel=channel,
            ts=ts,
            thread_ts=thread_ts,
            parent_user_id=BOT_USER_ID if parent else None,
        )
        result, event_id = self.event(event, event_id=event_id, retry_num=retry_num)
        return result.status, event_id, ts

    def edit_message(
        self,
        ts: str,
        text: str,
        previous_text: str = "",
        user: str = "U1",
        channel: str = "C1",
        thread_ts: str | None = None,
        event_id: str | None = None,
        retry_num: int | None = None,
    ) -> tuple[int, str, str]:
        """The person edits their message `ts`. Returns (status, event_id, the event's own ts)."""
        event_ts = self.fake.new_ts()
        event = payloads.message_changed(
            self.workspace,
            ts=ts,
            text=text,
            previous_text=previous_text,
            user=user,
            channel=channel,
            event_ts=event_ts,
            thread_ts=thread_ts,
        )
        result, event_id = self.event(event, event_id=event_id, retry_num=retry_num)
        return result.status, event_id, event_ts

    def delete_message(
        self,
        ts: str,
        user: str = "U1",
        channel: str = "C1",
        thread_ts: str | None = None,
        previous_text: str = "",
        event_id: str | None = None,
        retry_num: int | None = None,
    ) -> tuple[int, str, str]:
        """The person deletes their message `ts`. Returns (status, event_id, the event's ts)."""
        event_ts = self.fake.new_ts()
        event = payloads.message_deleted(
            self.workspace,
            ts=ts,
            previous_text=previous_text,
            user=user,
            channel=channel,
            event_ts=event_ts,
            thread_ts=thread_ts,
        )
        result, event_id = self.event(event, event_id=event_id, retry_num=retry_num)
        return result.status, event_id, event_ts

    def bot_message(
        self,
        text: str,
        channel: str = "C1",
        thread_ts: str | None = None,
        bot_id: str = BOT_ID,
        user: str | None = BOT_USER_ID,
        subtype: str | None = "bot_message",
        event_id: str | None = None,
    ) -> tuple[int, str, str]:
        """An app's message arrives (by default our own bot's, which the bot must ignore)."""
        ts = self.fake.new_ts()
        event = payloads.bot_message(
            self.workspace,
            text=text,
            channel=channel,
            ts=ts,
            bot_id=bot_id,
            user=user,
            subtype=subtype,
            thread_ts=thread_ts,
        )
        result, event_id = self.event(event, event_id=event_id)
        return result.status, event_id, ts

    def url_verification(self, challenge: str) -> HttpResult:
        body = json.dumps(payloads.url_verification(challenge)).encode()
        return self.send(SlackRequest(body, JSON))

    # ---- interactivity -----------------------------------------------------------------------

    def block_action(
        self,
        action_id: str,
        value: str,
        user: str = "U1",
        channel: str = "C1",
        message_ts: str | None = None,
        block_id: str | None = None,
    ) -> HttpResult:
        """The person clicks the button `action_id` in the bot's message `message_ts`.

        The payload carries the message as the fake stored it; `block_id` defaults to the block
        holding that action. The result has the click's response_url and trigger_id.
        """
        stored = self.fake.message(channel, message_ts) if message_ts else None
        message = stored.to_slack() if stored else _unknown_message(message_ts or "")
        response_url = self.fake.new_response_url()
        trigger_id = self.fake.new_trigger_id()
        payload = payloads.block_actions(
            self.workspace,
            action_id=action_id,
            value=value,
            block_id=block_id or _block_id_of(stored, action_id),
            user=user,
            channel=channel,
            message=message,
            response_url=response_url,
            trigger_id=trigger_id,
        )
        result = self.send(_interactive(payload))
        return HttpResult(result.status, result.headers, result.body, response_url, trigger_id)

    def view_submission_raw(
        self,
        callback_id: str | None,
        values: dict[str, dict[str, Any]],
        private_metadata: str | None = None,
        user: str = "U1",
        view_id: str | None = None,
    ) -> HttpResult:
        """Submit a modal. With `view_id`, the view the bot opened through the fake."""
        view = self.fake.view(view_id) if view_id else None
        if view_id and view is None:
            raise AssertionError(f"no view {view_id} was opened.\n{self.fake.dump(self._mark)}")
        if view is None:
            if callback_id is None:
                raise ValueError("view_submission needs a callback_id or a view_id")
            view = payloads.new_modal_view(
                callback_id=callback_id,
                private_metadata=private_metadata or "",
                view_id="V" + secrets.token_hex(5).upper(),
            )
        overrides = {"callback_id": callback_id, "private_metadata": private_metadata}
        view = {**view, **{k: v for k, v in overrides.items() if v is not None}}
        payload = payloads.view_submission(
            self.workspace,
            view=view,
            values=values,
            user=user,
            trigger_id=self.fake.new_trigger_id(),
        )
        return self.send(_interactive(payload))

    def view_submission(
        self,
        callback_id: str | None,
        values: dict[str, dict[str, Any]],
        private_metadata: str | None = None,
        user: str = "U1",
        view_id: str | None = None,
    ) -> dict[str, Any]:
        """Submit a modal; return the bot's JSON answer ({} = close, or response_action)."""
        result = self.view_submission_raw(callback_id, values, private_metadata, user, view_id)
        if result.status != 200:
            raise AssertionError(f"view_submission got HTTP {result.status}: {result.text[:500]}")
        answer = result.json()
        assert isinstance(answer, dict), answer
        return answer

    # ---- what the bot did (since this driver was created) -----------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        return self.fake.calls_since(self._mark, method)

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
        count: int = 1,
    ) -> list[Call]:
        return self.fake.wait_for(method, predicate, timeout, count, since=self._mark)

    def messages(self, channel: str | None = None, thread_ts: str | None = None) -> list[Message]:
        """Messages the bot posted since this driver was created."""
        found = self.fake.messages(channel, thread_ts)
        return [m for m in found if float(m.ts) > float(self._first_ts)]

    def set_user_tz(self, user: str, tz: str) -> None:
        """users.info reports `tz` for `user` until close()."""
        self.fake.set_user_tz(user, tz)
        self._user_tz_set.add(user)

    def close(self) -> None:
        for user in self._user_tz_set:
            self.fake.clear_user_tz(user)
        self._user_tz_set.clear()


def _ack_message(result: HttpResult) -> dict[str, Any]:
    """The message in a command's ack: Bolt sends JSON, or plain text for ack(text) alone."""
    if not result.body.strip():
        return {}
    if not result.headers.get("content-type", "").startswith("application/json"):
        return {"text": result.text}
    ack = result.json()
    return ack if isinstance(ack, dict) and (ack.get("text") or ack.get("blocks")) else {}


def _interactive(payload: dict[str, Any]) -> SlackRequest:
    return SlackRequest(payloads.form_body({"payload": json.dumps(payload)}), FORM)


def _unknown_message(ts: str) -> dict[str, Any]:
    return {"type": "message", "ts": ts, "user": BOT_USER_ID, "text": "", "blocks": []}


def _block_id_of(message: Message | None, action_id: str) -> str:
    for block in (message.blocks or []) if message else []:
        elements = [*block.get("elements", []), block.get("accessory") or {}]
        if any(isinstance(e, dict) and e.get("action_id") == action_id for e in elements):
            return str(block.get("block_id") or secrets.token_hex(3))
    return secrets.token_hex(3)


def _lower(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}
