"""Requests of any shape get a short 400/401 or a reply saying what was wrong — never a 500,
never an ERROR line; a signed request sent twice is refused the second time; an edit that
arrives before its original is stored once."""

from __future__ import annotations

import itertools
import json
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standin import payloads
from tests.e2e.vsm_commands import define, ok, shown
from tests.support.botproc import BotProcess
from tests.support.driver import FORM, JSON, HttpResult, SlackDriver, SlackRequest

NEVER = {500, 502, 504}
_SECONDS = itertools.count()


@pytest.fixture
def quiet_log(bot: BotProcess) -> Iterator[None]:
    """The test must leave no ERROR line and no traceback in the bot's log."""
    start = len(bot.log_text())
    yield
    added = bot.log_text()[start:]
    assert " ERROR " not in added, added
    assert "Traceback" not in added, added


# ---- headers and bodies that are not what Slack sends --------------------------------------


@pytest.mark.parametrize(
    "timestamp", ["abc", "", "1e10", "0x10", "-5", "99999999999999999999", "1.5", " 12 "]
)
def test_a_timestamp_that_is_not_a_unix_time_is_401(
    slack: SlackDriver, quiet_log: None, timestamp: str
) -> None:
    body = b"command=%2Fvsm&text=help"
    headers = {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": "v0=" + "a" * 64,
    }
    assert slack.post_unsigned(body, FORM, headers).status == 401


@pytest.mark.parametrize("signature", ["", "v0=", "v1=" + "a" * 64, "v0=" + "z" * 64, "x" * 500])
def test_a_signature_that_is_not_one_is_401(
    slack: SlackDriver, quiet_log: None, signature: str
) -> None:
    headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": signature}
    assert slack.post_unsigned(b"{}", JSON, headers).status == 401


def signed_form(fields: dict[str, str]) -> SlackRequest:
    return SlackRequest(urlencode(fields).encode(), FORM)


BAD_BODIES = [
    pytest.param(SlackRequest(b"&&&=&", FORM), id="broken-form"),
    pytest.param(SlackRequest(b"[1, 2, 3]", JSON), id="json-list"),
    pytest.param(SlackRequest(b'{"type": "event_callback", "event": null}', JSON), id="null-event"),
    pytest.param(SlackRequest(b'{"type": "event_callback", "event": "x"}', JSON), id="text-event"),
    pytest.param(SlackRequest(b'{"type": "event_callback"', JSON), id="truncated-json"),
    pytest.param(SlackRequest(b"\xff\xfe\x00bad", FORM), id="not-utf8"),
    pytest.param(signed_form({"payload": "not json"}), id="payload-not-json"),
    pytest.param(signed_form({"payload": "[1]"}), id="payload-list"),
    pytest.param(signed_form({"payload": '{"no": "type"}'}), id="payload-without-type"),
    pytest.param(
        signed_form({"payload": json.dumps({"type": "block_actions", "actions": "x"})}),
        id="actions-not-a-list",
    ),
    pytest.param(signed_form({"team_id": "T1", "text": "help"}), id="form-without-command"),
    pytest.param(
        SlackRequest(json.dumps({"type": "event_callback", "authorizations": "x"}).encode(), JSON),
        id="authorizations-not-a-list",
    ),
]


@pytest.mark.parametrize("request_", BAD_BODIES)
def test_a_signed_body_that_is_not_what_slack_sends_is_400(
    slack: SlackDriver, quiet_log: None, request_: SlackRequest
) -> None:
    result = slack.send(request_)
    assert result.status == 400, result.text
    assert result.text.strip()


def test_a_content_length_that_is_not_a_number_is_400(slack: SlackDriver, quiet_log: None) -> None:
    where = urlsplit(slack.bot_url)
    request = (
        "POST /slack/events HTTP/1.1\r\n"
        f"Host: {where.hostname}\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: abc\r\n"
        "Connection: close\r\n\r\n"
        "{}"
    ).encode()
    with socket.create_connection((where.hostname, where.port), timeout=5) as connection:
        connection.sendall(request)
        answer = connection.recv(4096).decode(errors="replace")
    status = int(answer.split()[1])
    assert status in (400, 411), answer
    assert status not in NEVER


def test_numbers_too_large_for_an_id_are_no_one_s(slack: SlackDriver, quiet_log: None) -> None:
    huge = "9" * 40
    for action, value in (("timings_open", huge), ("survey_answer_3", f"{huge}:1:3")):
        result = slack.block_action(action, value)
        assert result.status == 200
    [told] = slack.wait_for("response_url", lambda call: "not one I know" in str(call.params))
    assert told.params["response_type"] == "ephemeral"
    for metadata in (json.dumps({"cycle": 10**30}), "{", json.dumps([1])):
        assert slack.view_submission("timings_submit", {}, private_metadata=metadata) == {}
    assert slack.view_submission("survey_edit", {}, private_metadata='{"stream": 1e400}') == {}


@pytest.mark.parametrize("text", ["<|>", "< | >", "<>", "<@>", "<#|>", "<!|>", "&lt;|&gt;"])
def test_entities_with_nothing_in_them_get_a_reply(
    slack: SlackDriver, quiet_log: None, text: str
) -> None:
    # Sent as is, not escaped as Slack escapes what people type: anyone can post this.
    request, response_url, _ = slack.build_command("help")
    fields = dict(parse_qsl(request.body.decode()))
    fields["text"] = text
    result = slack.send(signed_form(fields))
    assert result.status == 200
    reply = slack.reply_to(
        HttpResult(result.status, result.headers, result.body, response_url, None)
    )
    assert ":warning: I do not know" in shown(reply)


# ---- replays -------------------------------------------------------------------------------


def test_the_same_signed_request_twice_is_a_replay(slack: SlackDriver, quiet_log: None) -> None:
    define(slack, "Onboarding", "Kickoff")
    request, _, _ = slack.build_command('improve Onboarding "Faster kickoff"')
    stamp = int(time.time())

    first = slack.send(request, timestamp=stamp)
    again = [slack.send(request, timestamp=stamp) for _ in range(2)]

    assert first.status == 200
    assert [result.status for result in again] == [401, 401]
    assert "replay" in again[0].text
    listing = shown(ok(slack, "improvements Onboarding"))
    assert listing.count("Faster kickoff") == 1


def test_a_retried_event_is_signed_anew_and_accepted(slack: SlackDriver, quiet_log: None) -> None:
    event = payloads.url_verification("abc")
    body = json.dumps(event).encode()
    assert slack.send(SlackRequest(body, JSON), timestamp=int(time.time())).status == 200
    # Slack signs every delivery with the time it is sent: a later one is no replay.
    assert slack.send(SlackRequest(body, JSON), timestamp=int(time.time()) + 3).status == 200


# ---- anything at all -----------------------------------------------------------------------


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
_KINDS = st.sampled_from(
    ["event_callback", "block_actions", "view_submission", "url_verification", "shortcut", "x"]
)
_SLACKISH = st.fixed_dictionaries(
    {"type": _KINDS},
    optional={
        "event": _JSONISH,
        "actions": _JSONISH,
        "view": _JSONISH,
        "user": _JSONISH,
        "team": _JSONISH,
        "team_id": _JSONISH,
        "event_id": _JSONISH,
        "challenge": _JSONISH,
        "authorizations": _JSONISH,
        "message": _JSONISH,
        "container": _JSONISH,
        "channel": _JSONISH,
        "enterprise": _JSONISH,
        "is_ext_shared_channel": _JSONISH,
        "callback_id": _JSONISH,
        "trigger_id": _JSONISH,
        "response_url": _JSONISH,
    },
)


def _body(draw: Any) -> tuple[bytes, str]:
    shape = draw(st.sampled_from(["json", "payload", "form", "bytes"]))
    if shape == "json":
        return json.dumps(draw(_SLACKISH)).encode(), JSON
    if shape == "payload":
        return urlencode({"payload": json.dumps(draw(_SLACKISH))}).encode(), FORM
    if shape == "form":
        fields = draw(st.dictionaries(st.sampled_from(["command", "text", "team_id"]), st.text()))
        return urlencode(fields).encode(), FORM
    return draw(st.binary(max_size=200)), draw(st.sampled_from([JSON, FORM, "text/plain"]))


@st.composite
def requests(draw: Any) -> tuple[bytes, str, dict[str, str], bool]:
    body, content_type = _body(draw)
    signed = draw(st.booleans())
    headers = (
        {}
        if signed
        else draw(
            st.dictionaries(
                st.sampled_from(
                    ["X-Slack-Request-Timestamp", "X-Slack-Signature", "X-Slack-Retry-Num"]
                ),
                st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80),
            )
        )
    )
    return body, content_type, headers, signed


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(request=requests())
def test_no_request_of_any_shape_gets_a_500(
    slack: SlackDriver, bot: BotProcess, request: tuple[bytes, str, dict[str, str], bool]
) -> None:
    body, content_type, headers, signed = request
    start = len(bot.log_text())
    if signed:
        # Each example is signed at another second: Hypothesis may send one body twice, and the
        # second would be a replay.
        stamp = int(time.time()) - next(_SECONDS) % 240
        result = slack.send(SlackRequest(body, content_type, headers), timestamp=stamp)
    else:
        result = slack.post_unsigned(body, content_type, headers)
    assert result.status in (200, 400, 401, 404), (result.status, result.text)
    added = bot.log_text()[start:]
    assert " ERROR " not in added, added
    assert "Traceback" not in added, added


# ---- an edit before its original -----------------------------------------------------------


def test_an_edit_that_arrives_before_its_original_is_stored_once(
    slack: SlackDriver, quiet_log: None
) -> None:
    define(slack, "Onboarding", '"Kickoff" people:<@UANN>')
    ok(slack, "measure Onboarding")
    [cycle_message] = [m for m in slack.messages("C1") if not m.thread_ts]
    thread = cycle_message.ts
    ts = slack.fake.new_ts()

    status, _, _ = slack.edit_message(
        ts, "1: wait 2d pt 3h", previous_text="1: wait 9d", user="UANN", thread_ts=thread
    )
    assert status == 200
    status, _, _ = slack.message("1: wait 9d", user="UANN", thread_ts=thread, ts=ts)
    assert status == 200
    status, _, _ = slack.message("1: wait 9d", user="UANN", thread_ts=thread, ts=ts)
    assert status == 200

    summary = shown(ok(slack, "close Onboarding"))
    assert "Closed cycle 1" in summary
    card = shown(ok(slack, "show Onboarding"))
    assert "lead time *2.1 d*" in card  # the edit's 2 d + 3 h, not the original's 9 d
