"""FakeSlack answers the real slack_sdk clients the way Slack does."""

import threading
import time
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from standin.server import DROPPED, RESPONSE_URL, UPLOAD, FakeSlack

TOKEN = "xoxb-fake-test"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as slack:
        yield slack


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token=TOKEN, retry_handlers=[])


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


def test_auth_test_names_the_bot(client: WebClient) -> None:
    answer = client.auth_test()

    assert answer["ok"] is True
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T0FAKE", "UBOT", "BBOT")
    assert answer["user"] == "vsm-bot"
    assert answer["url"].startswith("https://")


def test_post_message_returns_increasing_ts_and_echoes_the_thread(
    fake: FakeSlack, client: WebClient
) -> None:
    mark = fake.mark()
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hello*"}}]

    first = client.chat_postMessage(channel="CPOST", text="hello", blocks=blocks)
    second = client.chat_postMessage(channel="CPOST", text="reply", thread_ts=first["ts"])

    assert first["channel"] == "CPOST"
    assert float(second["ts"]) > float(first["ts"])
    assert second["message"]["thread_ts"] == first["ts"]
    assert second["message"]["bot_id"] == "BBOT"
    assert first["message"]["blocks"] == blocks
    [call, _] = fake.calls_since(mark, "chat.postMessage")
    assert call.params["blocks"] == blocks  # slack_sdk sends chat.postMessage as JSON
    assert call.headers["content-type"].startswith("application/json")
    assert call.token == TOKEN
    assert [m.text for m in fake.messages("CPOST")] == ["hello", "reply"]
    assert [m.text for m in fake.messages("CPOST", thread_ts=first["ts"])] == ["reply"]
    assert "*hello*" in fake.messages("CPOST")[0].all_text


def test_form_encoded_blocks_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    mark = fake.mark()
    blocks = [{"type": "divider"}]

    client.api_call(
        "chat.postMessage",
        params={"channel": "CFORM", "text": "t", "blocks": '[{"type": "divider"}]'},
    )

    [call] = fake.calls_since(mark, "chat.postMessage")
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert call.params == {"channel": "CFORM", "text": "t", "blocks": blocks}


def test_token_in_the_form_is_accepted(fake: FakeSlack) -> None:
    no_header = WebClient(base_url=fake.api_url)

    answer = no_header.api_call("auth.test", params={"token": TOKEN})

    assert answer["ok"] is True
    assert fake.calls("auth.test")[-1].token == TOKEN


def test_a_wrong_token_is_invalid_auth_with_http_200(fake: FakeSlack) -> None:
    intruder = WebClient(base_url=fake.api_url, token="xoxb-wrong", retry_handlers=[])

    with pytest.raises(SlackApiError) as excinfo:
        intruder.chat_postMessage(channel="C1", text="hi")

    assert error_of(excinfo) == "invalid_auth"
    assert excinfo.value.response.status_code == 200


def test_a_missing_token_is_not_authed(fake: FakeSlack) -> None:
    anonymous = WebClient(base_url=fake.api_url, retry_handlers=[])

    with pytest.raises(SlackApiError) as excinfo:
        anonymous.auth_test()

    assert error_of(excinfo) == "not_authed"


def test_an_unknown_method_is_refused(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessageTypo", json={"channel": "C1"})

    assert error_of(excinfo) == "unknown_method"


def test_messages_without_text_or_with_bad_blocks_are_refused(client: WebClient) -> None:
    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    too_many = [{"type": "divider"}] * 51

    with pytest.raises(SlackApiError) as no_text:
        client.api_call("chat.postMessage", json={"channel": "C1", "text": ""})
    with pytest.raises(SlackApiError) as long_section:
        client.chat_postMessage(channel="C1", text="t", blocks=too_long)
    with pytest.raises(SlackApiError) as many_blocks:
        client.chat_postMessage(channel="C1", text="t", blocks=too_many)

    assert error_of(no_text) == "no_text"
    assert error_of(long_section) == "invalid_blocks"
    assert "/blocks/0/text/text" in str(long_section.value.response["errors"])
    assert error_of(many_blocks) == "invalid_blocks"


def test_post_ephemeral_returns_message_ts(fake: FakeSlack, client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel="CEPH", user="U1", text="only you")

    assert answer["message_ts"]
    assert fake.ephemerals("CEPH", "U1")[-1]["text"] == "only you"


def test_update_and_delete_change_the_stored_message(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "plain_text", "text": "v1"}}]
    posted = client.chat_postMessage(channel="CUPD", text="v1", blocks=blocks)

    updated = client.chat_update(channel="CUPD", ts=posted["ts"], text="v2")

    assert (updated["channel"], updated["ts"], updated["text"]) == ("CUPD", posted["ts"], "v2")
    message = fake.message("CUPD", posted["ts"])
    assert message is not None
    assert (message.text, message.blocks, message.edited) == ("v2", blocks, True)

    deleted = client.chat_delete(channel="CUPD", ts=posted["ts"])

    assert deleted["ts"] == posted["ts"]
    assert fake.messages("CUPD") == []
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel="CUPD", ts=posted["ts"], text="v3")
    assert error_of(excinfo) == "message_not_found"


def test_the_same_reaction_twice_is_already_reacted(fake: FakeSlack, client: WebClient) -> None:
    ts = fake.new_ts()

    client.reactions_add(channel="CREACT", timestamp=ts, name="white_check_mark")
    with pytest.raises(SlackApiError) as excinfo:
        client.reactions_add(channel="CREACT", timestamp=ts, name="white_check_mark")

    assert error_of(excinfo) == "already_reacted"
    assert fake.reactions("CREACT", ts) == {"white_check_mark"}


def test_users_info_reports_the_time_zone(fake: FakeSlack, client: WebClient) -> None:
    default = client.users_info(user="UTZ1")["user"]
    fake.set_user_tz("UTZ2", "America/New_York")
    moved = client.users_info(user="UTZ2")["user"]

    assert default["tz"] == "Europe/Berlin"
    assert default["tz_offset"] in {3600, 7200}
    assert default["tz_label"].startswith("Central European")
    assert moved["tz"] == "America/New_York"
    assert moved["tz_offset"] in {-18000, -14400}
    assert moved["tz_label"].startswith("Eastern")
    assert moved["id"] == "UTZ2"


def test_conversations_info_describes_the_channel(fake: FakeSlack, client: WebClient) -> None:
    fake.set_channel("GSECRET", name="secret-team", is_private=True)

    public = client.conversations_info(channel="CPUB")["channel"]
    private = client.conversations_info(channel="GSECRET")["channel"]

    assert (public["id"], public["is_channel"], public["is_private"]) == ("CPUB", True, False)
    assert (private["name"], private["is_private"]) == ("secret-team", True)


MODAL = {
    "type": "modal",
    "callback_id": "define_stream",
    "title": {"type": "plain_text", "text": "Define a stream"},
    "submit": {"type": "plain_text", "text": "Save"},
    "private_metadata": "stream=1",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Steps"}}],
}


def test_views_open_update_and_push(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id=fake.new_trigger_id(), view=MODAL)["view"]
    updated = client.views_update(view_id=opened["id"], view={**MODAL, "private_metadata": "x"})
    pushed = client.views_push(trigger_id=fake.new_trigger_id(), view=MODAL)["view"]

    assert opened["id"].startswith("V")
    assert (opened["callback_id"], opened["private_metadata"]) == ("define_stream", "stream=1")
    assert opened["blocks"] == MODAL["blocks"]
    assert updated["view"]["id"] == opened["id"]
    assert updated["view"]["private_metadata"] == "x"
    assert pushed["root_view_id"] == opened["id"]
    assert pushed["previous_view_id"] == opened["id"]


def test_a_trigger_id_opens_one_modal_only_and_only_if_issued(
    fake: FakeSlack, client: WebClient
) -> None:
    trigger_id = fake.new_trigger_id()
    client.views_open(trigger_id=trigger_id, view=MODAL)

    with pytest.raises(SlackApiError) as reused:
        client.views_open(trigger_id=trigger_id, view=MODAL)
    with pytest.raises(SlackApiError) as invented:
        client.views_open(trigger_id="12345.98765.abcd", view=MODAL)

    assert error_of(reused) == "exchanged_trigger_id"
    assert error_of(invented) == "invalid_trigger_id"


def test_a_modal_with_a_long_title_is_refused(fake: FakeSlack, client: WebClient) -> None:
    long_title = {
        **MODAL,
        "title": {"type": "plain_text", "text": "A title far too long for Slack"},
    }

    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=fake.new_trigger_id(), view=long_title)

    assert error_of(excinfo) == "invalid_arguments"
    assert "/view/title" in str(excinfo.value.response["response_metadata"])


def test_views_publish_keeps_one_home_view_per_user(fake: FakeSlack, client: WebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "divider"}]}

    first = client.views_publish(user_id="UHOME", view=home)["view"]
    second = client.views_publish(user_id="UHOME", view=home)["view"]

    assert first["id"] == second["id"]
    assert first["type"] == "home"
    assert fake.home_view("UHOME") == second


def test_rate_limit_is_retried_after_retry_after(fake: FakeSlack) -> None:
    client = WebClient(
        base_url=fake.api_url, token=TOKEN, retry_handlers=[RateLimitErrorRetryHandler()]
    )
    mark = fake.mark()
    fake.fail("chat.postMessage", status=429, retry_after=1)

    started = time.monotonic()
    answer = client.chat_postMessage(channel="CRATE", text="eventually")
    elapsed = time.monotonic() - started

    assert answer["ok"] is True
    assert elapsed >= 1.0
    calls = fake.calls_since(mark, "chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].response == {"ok": False, "error": "ratelimited"}


def test_rate_limit_without_a_handler_surfaces_retry_after(fake: FakeSlack) -> None:
    client = WebClient(base_url=fake.api_url, token=TOKEN, retry_handlers=[])
    fake.fail("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="CRATE", text="too fast")

    assert excinfo.value.response.status_code == 429
    assert excinfo.value.response.headers["Retry-After"] == "7"
    assert error_of(excinfo) == "ratelimited"


def test_server_errors_are_retried(fake: FakeSlack) -> None:
    client = WebClient(
        base_url=fake.api_url, token=TOKEN, retry_handlers=[ServerErrorRetryHandler(2)]
    )
    mark = fake.mark()
    fake.fail("reactions.add", status=500, times=2)

    client.reactions_add(channel="C5XX", timestamp=fake.new_ts(), name="eyes")

    assert [c.status for c in fake.calls_since(mark, "reactions.add")] == [500, 500, 200]


def test_a_dropped_connection_is_retried(fake: FakeSlack) -> None:
    client = WebClient(
        base_url=fake.api_url, token=TOKEN, retry_handlers=[ConnectionErrorRetryHandler()]
    )
    mark = fake.mark()
    fake.drop_connection("chat.postMessage")

    answer = client.chat_postMessage(channel="CDROP", text="again")

    assert answer["ok"] is True
    assert [c.status for c in fake.calls_since(mark, "chat.postMessage")] == [DROPPED, 200]


def test_a_dropped_connection_without_retries_is_a_connection_error(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.drop_connection("auth.test")

    with pytest.raises(ConnectionError):
        client.auth_test()


def test_injected_errors_answer_ok_false_then_recover(fake: FakeSlack, client: WebClient) -> None:
    fake.error("chat.postMessage", "channel_not_found")

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="CGONE", text="hello?")
    again = client.chat_postMessage(channel="CGONE", text="hello!")

    assert error_of(excinfo) == "channel_not_found"
    assert excinfo.value.response.status_code == 200
    assert again["ok"] is True
    assert not fake.calls("chat.postMessage")[-2].ok


def test_files_upload_v2_goes_through_the_whole_flow(fake: FakeSlack, client: WebClient) -> None:
    mark = fake.mark()
    parent = client.chat_postMessage(channel="CFILE", text="cycle")

    answer = client.files_upload_v2(
        channel="CFILE",
        content="step,minutes\nbuild,5\n",
        filename="cycle.csv",
        initial_comment="the numbers",
        thread_ts=parent["ts"],
    )

    methods = [c.method for c in fake.calls_since(mark)]
    assert methods[1:] == ["files.getUploadURLExternal", UPLOAD, "files.completeUploadExternal"]
    assert answer["file"]["name"] == "cycle.csv"
    [uploaded] = fake.files("CFILE")
    assert uploaded.data == b"step,minutes\nbuild,5\n"
    assert (uploaded.thread_ts, uploaded.initial_comment) == (parent["ts"], "the numbers")
    complete = fake.calls_since(mark, "files.completeUploadExternal")[0]
    assert complete.params["files"] == [{"id": uploaded.id, "title": "cycle.csv"}]


def test_response_url_posts_are_recorded_and_limited_to_five(fake: FakeSlack) -> None:
    url = fake.new_response_url()
    webhook = WebhookClient(url)

    answers = [webhook.send(text=f"reply {n}", response_type="ephemeral") for n in range(6)]

    assert [(a.status_code, a.body) for a in answers[:5]] == [(200, "ok")] * 5
    assert (answers[5].status_code, answers[5].body) == (404, "used_url")
    assert [r["text"] for r in fake.responses(url)] == [f"reply {n}" for n in range(5)]
    assert fake.calls(RESPONSE_URL)[-1].status == 404


def test_response_url_needs_text_and_must_have_been_issued(fake: FakeSlack) -> None:
    empty = WebhookClient(fake.new_response_url()).send_dict({"response_type": "ephemeral"})
    invented = WebhookClient(f"{fake.url}/response/nothing").send(text="hi")

    assert (empty.status_code, empty.body) == (400, "no_text")
    assert invented.status_code == 404


def test_wait_for_sees_calls_from_other_threads(fake: FakeSlack, client: WebClient) -> None:
    mark = fake.mark()
    later = threading.Timer(0.2, lambda: client.chat_postMessage(channel="CWAIT", text="late"))
    later.start()

    [call] = fake.wait_for("chat.postMessage", lambda c: c.params["channel"] == "CWAIT", since=mark)

    later.join()
    assert call.params["text"] == "late"


def test_wait_for_times_out_with_a_dump_of_what_arrived(fake: FakeSlack, client: WebClient) -> None:
    mark = fake.mark()
    client.chat_postMessage(channel="CDUMP", text="something else")

    with pytest.raises(AssertionError) as excinfo:
        fake.wait_for("views.open", timeout=0.2, since=mark)

    assert "expected 1 call(s) of views.open" in str(excinfo.value)
    assert "chat.postMessage -> 200" in str(excinfo.value)
    assert "CDUMP" in str(excinfo.value)


def test_unknown_paths_are_404(fake: FakeSlack) -> None:
    answer = WebhookClient(f"{fake.url}/nowhere").send(text="hi")

    assert answer.status_code == 404
    assert fake.calls("/nowhere")[-1].status == 404


def test_multipart_bodies_are_parsed(fake: FakeSlack, client: WebClient) -> None:
    mark = fake.mark()

    client.api_call("api.test", files={"file": b"\x00bytes"}, data={"channels": "C1"})

    [call] = fake.calls_since(mark, "api.test")
    assert call.headers["content-type"].startswith("multipart/form-data")
    assert call.params == {"channels": "C1", "file": b"\x00bytes"}
