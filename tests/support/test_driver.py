"""The driver sends what Slack sends: signatures Slack's verifier accepts, payloads Bolt parses.

The last tests run a small Bolt app in-process (wsgiref, Bolt's WSGI adapter, WebClient on
FakeSlack) and drive it: the support code is proven before the real bot exists.
"""

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import Ack, App, Respond, Say
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request import BoltRequest
from slack_bolt.request import payload_utils as kinds
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from standin import payloads
from standin.payloads import sign
from standin.server import FakeSlack
from tests.support import slack_payloads
from tests.support.driver import SlackDriver, SlackRequest

TOKEN = "xoxb-driver-test"
SECRET = "driver-signing-secret"


# ---- signing ---------------------------------------------------------------------------------


def test_sign_matches_slack_sdk_verifier() -> None:
    body = b"token=x&text=hello%20world"

    headers = sign(body, SECRET)

    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("other-secret").is_valid_request(body, headers)


def test_a_six_minute_old_signature_is_stale_for_slack_sdk() -> None:
    headers = sign(b"{}", SECRET, timestamp=int(time.time()) - 360)

    assert not SignatureVerifier(SECRET).is_valid_request(b"{}", headers)


def test_sign_is_the_documented_hmac() -> None:
    # Slack's documentation example: secret, timestamp and body give this signature.
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
        b"%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015."
        b"47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )

    headers = sign(body, "8f742231b10e8888abcd99yyyzzz85a5", timestamp=1531420618)

    assert headers == {
        "X-Slack-Request-Timestamp": "1531420618",
        "X-Slack-Signature": (
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
        ),
    }


# ---- escaping --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("c&a 90%", "c&amp;a 90%"),
        ("wait > 2h < 3h", "wait &gt; 2h &lt; 3h"),
        ("ask <@U123> in <#C1|general>", "ask <@U123> in <#C1|general>"),
        ("<!here> see <https://x.test/a?b=1&c=2|the doc> & more", None),
        ("“curly” & 'plain'", "“curly” &amp; 'plain'"),
        ("a <b> c", "a &lt;b&gt; c"),
    ],
)
def test_escape_like_slack(typed: str, sent: str | None) -> None:
    expected = sent or "<!here> see <https://x.test/a?b=1&c=2|the doc> &amp; more"
    assert payloads.escape(typed) == expected


# ---- payload shapes against Slack's documented samples ---------------------------------------


def missing_keys(sample: Any, built: Any, path: str = "") -> list[str]:
    """Keys a documented sample has that the built payload lacks (dicts, recursively)."""
    if not isinstance(sample, dict) or not isinstance(built, dict):
        return []
    missing = []
    for key, value in sample.items():
        if key not in built:
            missing.append(f"{path}/{key}")
        else:
            missing.extend(missing_keys(value, built[key], f"{path}/{key}"))
    return missing


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as slack:
        yield slack


@pytest.fixture
def driver(fake: FakeSlack) -> SlackDriver:
    return SlackDriver("http://127.0.0.1:9", SECRET, fake, enterprise_id="E0ORG")


def test_a_driver_is_a_new_workspace(fake: FakeSlack) -> None:
    one = SlackDriver("http://127.0.0.1:9", SECRET, fake)
    other = SlackDriver("http://127.0.0.1:9", SECRET, fake)

    assert one.team_id != other.team_id
    assert one.team_id.startswith("T")
    assert len(one.team_id) == 9


def test_slash_command_has_the_documented_fields(driver: SlackDriver) -> None:
    request, response_url, trigger_id = driver.build_command("new Onboarding & more")

    fields = request.payload()
    assert missing_keys(slack_payloads.sample("slash_command"), fields) == []
    assert fields["text"] == "new Onboarding &amp; more"
    assert (fields["response_url"], fields["trigger_id"]) == (response_url, trigger_id)
    assert (fields["team_id"], fields["enterprise_id"]) == (driver.team_id, "E0ORG")


def test_message_event_has_the_documented_fields(driver: SlackDriver) -> None:
    event = payloads.user_message(
        driver.workspace, text="x", user="U1", channel="C1", ts="1.2", thread_ts="1.1"
    )
    envelope = payloads.event_callback(driver.workspace, event, event_id="Ev1")

    sample = slack_payloads.sample("event_message")
    sample["event"].pop("parent_user_id")  # only when the parent is known to the fake
    assert missing_keys(sample, envelope) == []


@pytest.mark.parametrize(
    ("name", "build"),
    [
        (
            "event_message_changed",
            lambda ws: payloads.message_changed(
                ws,
                ts="1.1",
                text="new",
                previous_text="old",
                user="U1",
                channel="C1",
                event_ts="2.2",
            ),
        ),
        (
            "event_message_deleted",
            lambda ws: payloads.message_deleted(
                ws, ts="1.1", previous_text="old", user="U1", channel="C1", event_ts="2.2"
            ),
        ),
    ],
)
def test_edit_and_delete_events_have_the_documented_fields(
    driver: SlackDriver, name: str, build: Any
) -> None:
    assert missing_keys(slack_payloads.sample(name), build(driver.workspace)) == []


def test_block_actions_and_view_submission_have_the_documented_fields(
    driver: SlackDriver,
) -> None:
    action = payloads.block_actions(
        driver.workspace,
        action_id="a",
        value="v",
        block_id="b",
        user="U1",
        channel="C1",
        message={"type": "message", "ts": "1.1", "text": "", "user": "UB", "blocks": []},
        response_url="http://r",
        trigger_id="t",
    )
    view = payloads.new_modal_view(callback_id="cb", private_metadata="m", view_id="V1")
    submission = payloads.view_submission(
        driver.workspace, view=view, values={"b": {"a": "text"}}, user="U1", trigger_id="t"
    )

    sample_action = slack_payloads.sample("block_actions")
    del sample_action["message"]  # the driver passes the stored message through as it is
    assert missing_keys(sample_action, action) == []
    sample_submission = slack_payloads.sample("view_submission")
    sample_submission["view"]["state"]["values"] = {}  # the user's input differs, not its shape
    assert missing_keys(sample_submission, submission) == []
    assert submission["view"]["state"]["values"] == {
        "b": {"a": {"type": "plain_text_input", "value": "text"}}
    }


# ---- Bolt reads the driver's requests as Slack's ---------------------------------------------


def bolt_request(request: SlackRequest) -> BoltRequest:
    headers = {"content-type": request.content_type, **sign(request.body, SECRET)}
    return BoltRequest(body=request.body.decode(), headers=headers)


def test_bolt_reads_the_tenant_user_and_channel_of_a_command(driver: SlackDriver) -> None:
    request, _, _ = driver.build_command("help", user="U7", channel="C7")

    parsed = bolt_request(request)

    assert kinds.is_slash_command(parsed.body)
    assert parsed.context.team_id == driver.team_id
    assert parsed.context.enterprise_id == "E0ORG"
    assert (parsed.context.user_id, parsed.context.channel_id) == ("U7", "C7")


def test_bolt_reads_the_tenant_of_an_event(driver: SlackDriver) -> None:
    event = payloads.user_message(driver.workspace, text="5m", user="U2", channel="C2", ts="1.2")
    envelope = payloads.event_callback(driver.workspace, event, event_id="Ev9")

    parsed = bolt_request(SlackRequest(json.dumps(envelope).encode(), "application/json"))

    assert kinds.is_event(parsed.body)
    assert kinds.is_message_event(parsed.body)
    assert (parsed.context.team_id, parsed.context.enterprise_id) == (driver.team_id, "E0ORG")
    assert (parsed.context.user_id, parsed.context.channel_id) == ("U2", "C2")


def test_bolt_reads_the_tenant_of_a_view_submission(driver: SlackDriver) -> None:
    view = payloads.new_modal_view(callback_id="cb", private_metadata="m", view_id="V1")
    submission = payloads.view_submission(
        driver.workspace, view=view, values={}, user="U3", trigger_id="t"
    )
    body = payloads.form_body({"payload": json.dumps(submission)})

    parsed = bolt_request(SlackRequest(body, "application/x-www-form-urlencoded"))

    assert kinds.is_view_submission(parsed.body)
    assert (parsed.context.team_id, parsed.context.user_id) == (driver.team_id, "U3")


# ---- end to end against an in-process Bolt app -----------------------------------------------


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


def small_app(fake: FakeSlack) -> App:
    app = App(
        signing_secret=SECRET,
        client=WebClient(base_url=fake.api_url, token=TOKEN),
        # One listener at a time, in the order the events came: once a later event's effect is
        # seen, an earlier one's listener has finished (if it ran at all).
        listener_executor=ThreadPoolExecutor(max_workers=1),
    )

    @app.command("/vsm")
    def handle_vsm(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        if command["text"] == "inline":
            ack(text="inline answer")
            return
        ack()
        respond(text=f"you said: {command['text']}", response_type="ephemeral")

    @app.event("message")
    def handle_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("subtype") in (None, "thread_broadcast") and "thread_ts" in event:
            client.reactions_add(
                channel=event["channel"], timestamp=event["ts"], name="white_check_mark"
            )

    @app.action("close_cycle")
    def handle_close(ack: Ack, body: dict[str, Any], say: Say) -> None:
        ack()
        say(text=f"closed by {body['user']['id']} ({body['actions'][0]['block_id']})")

    @app.view("define_stream")
    def handle_define(ack: Ack, view: dict[str, Any]) -> None:
        name = view["state"]["values"]["name_block"]["name_input"]["value"]
        if not name.strip():
            ack(response_action="errors", errors={"name_block": "A stream needs a name"})
            return
        ack()

    return app


@pytest.fixture(scope="module")
def bolt_url(fake: FakeSlack) -> Iterator[str]:
    handler = SlackRequestHandler(small_app(fake))
    server = make_server(
        "127.0.0.1", 0, handler, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def slack(bolt_url: str, fake: FakeSlack) -> Iterator[SlackDriver]:
    driver = SlackDriver(bolt_url, SECRET, fake)
    yield driver
    driver.close()


def test_command_returns_the_response_url_reply(slack: SlackDriver) -> None:
    reply = slack.command("new c&a <@U2>")

    assert reply.source == "response_url"
    assert reply.text == "you said: new c&amp;a <@U2>"
    assert reply.response_type == "ephemeral"
    assert reply.http_status == 200
    assert "you said" in reply.all_text


def test_command_returns_an_ack_with_content(slack: SlackDriver) -> None:
    reply = slack.command("inline")

    assert (reply.source, reply.text) == ("ack", "inline answer")


def test_a_bad_secret_or_stale_timestamp_is_refused(slack: SlackDriver) -> None:
    forged = slack.command_raw("help", secret="not-the-secret")
    stale = slack.command_raw("help", timestamp=int(time.time()) - 360)

    assert forged.status == 401
    assert stale.status == 401


def test_a_thread_message_reaches_the_app(slack: SlackDriver) -> None:
    status, event_id, ts = slack.message("build 5m", thread_ts="1700000000.000100", channel="CE")

    assert status == 200
    assert event_id.startswith("Ev")
    [call] = slack.wait_for("reactions.add", lambda c: c.params["timestamp"] == ts)
    assert call.params["channel"] == "CE"


def test_a_retried_event_carries_retry_headers(slack: SlackDriver) -> None:
    status, event_id, ts = slack.message("x", thread_ts="1700000000.000100", channel="CR")
    again, same_id, _ = slack.message(
        "x", thread_ts="1700000000.000100", channel="CR", ts=ts, event_id=event_id, retry_num=1
    )

    assert (status, again, same_id) == (200, 200, event_id)
    calls = slack.wait_for("reactions.add", lambda c: c.params["timestamp"] == ts, count=2)
    assert [c.ok for c in calls] == [True, False]  # the second reaction is already_reacted


def test_own_bot_messages_are_ignored_by_bolt(slack: SlackDriver) -> None:
    status, _, ours = slack.bot_message("from myself", channel="CB", thread_ts="1.1", subtype=None)
    _, _, later = slack.message("a person's", channel="CB", thread_ts="1.1")

    assert status == 200
    # The person's later message has been handled, so ours was handled (or dropped) before it.
    slack.wait_for("reactions.add", lambda call: call.params["timestamp"] == later)
    assert [call.params["timestamp"] for call in slack.calls("reactions.add")] == [later]
    assert later != ours


def test_block_action_finds_the_block_of_the_button(slack: SlackDriver, fake: FakeSlack) -> None:
    client = WebClient(base_url=fake.api_url, token=TOKEN)
    button = {
        "type": "button",
        "action_id": "close_cycle",
        "text": {"type": "plain_text", "text": "Close"},
    }
    blocks = [{"type": "actions", "block_id": "cycle_actions", "elements": [button]}]
    posted = client.chat_postMessage(channel="CACT", text="Cycle 2", blocks=blocks)

    result = slack.block_action(
        "close_cycle", "cycle-2", user="U9", channel="CACT", message_ts=posted["ts"]
    )

    assert result.status == 200
    [said] = slack.wait_for("chat.postMessage", lambda c: "closed by" in c.params.get("text", ""))
    assert said.params["channel"] == "CACT"
    assert said.params["text"] == "closed by U9 (cycle_actions)"


def test_view_submission_returns_the_errors_in_the_http_answer(slack: SlackDriver) -> None:
    empty = slack.view_submission("define_stream", {"name_block": {"name_input": " "}})
    named = slack.view_submission("define_stream", {"name_block": {"name_input": "Onboarding"}})

    assert empty == {"response_action": "errors", "errors": {"name_block": "A stream needs a name"}}
    assert named == {}


def test_url_verification_answers_the_challenge(slack: SlackDriver) -> None:
    result = slack.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")

    assert result.status == 200
    assert result.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
