"""What "acknowledged means stored" and "no duplicates" need: metadata, history, lost answers."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from standin.calls import DROPPED
from standin.server import FakeSlack

TOKEN = "xoxb-history-test"
METADATA = {"event_type": "cycle_prompt", "event_payload": {"outbox_id": 41, "cycle": 2}}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as slack:
        yield slack
    assert slack.internal_errors == []


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token=TOKEN, retry_handlers=[])


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


def history(client: WebClient, channel: str, **args: Any) -> dict[str, Any]:
    answer = client.conversations_history(channel=channel, **args).data
    assert isinstance(answer, dict)
    return answer


# ---- metadata --------------------------------------------------------------------------------


def test_metadata_is_stored_whether_sent_as_json_or_as_a_json_string(
    fake: FakeSlack, client: WebClient
) -> None:
    as_json = client.chat_postMessage(channel="CMETA", text="prompt", metadata=METADATA)
    as_form = client.api_call(
        "chat.postMessage",
        data={"channel": "CMETA", "text": "again", "metadata": json.dumps(METADATA)},
    )
    as_string_in_json = client.api_call(
        "chat.postMessage",
        json={"channel": "CMETA", "text": "third", "metadata": json.dumps(METADATA)},
    )

    for answer in (as_json, as_form, as_string_in_json):
        stored = fake.message("CMETA", answer["ts"])
        assert stored is not None
        assert stored.metadata == METADATA
    assert as_json["message"]["metadata"] == METADATA


@pytest.mark.parametrize(
    ("metadata", "error"),
    [
        ("{not json", "invalid_metadata_format"),
        ('["a list"]', "invalid_metadata_format"),
        ({"event_payload": {}}, "invalid_metadata_schema"),
        ({"event_type": "x", "event_payload": "not an object"}, "invalid_metadata_schema"),
        ({"event_type": "x", "event_payload": {"blob": "y" * 9000}}, "metadata_too_large"),
    ],
)
def test_malformed_metadata_is_refused(client: WebClient, metadata: Any, error: str) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call(
            "chat.postMessage", json={"channel": "CBADMETA", "text": "t", "metadata": metadata}
        )

    assert error_of(excinfo) == error


# ---- conversations.history -------------------------------------------------------------------


def test_history_is_top_level_newest_first_with_thread_counts(
    fake: FakeSlack, client: WebClient
) -> None:
    first = client.chat_postMessage(channel="CHIST", text="first")["ts"]
    client.chat_postMessage(channel="CHIST", text="reply 1", thread_ts=first)
    last_reply = client.chat_postMessage(channel="CHIST", text="reply 2", thread_ts=first)["ts"]
    second = client.chat_postMessage(channel="CHIST", text="second")["ts"]
    gone = client.chat_postMessage(channel="CHIST", text="deleted")["ts"]
    client.chat_delete(channel="CHIST", ts=gone)
    client.chat_postMessage(channel="COTHER", text="elsewhere")

    answer = history(client, "CHIST")

    assert [m["text"] for m in answer["messages"]] == ["second", "first"]
    parent = answer["messages"][1]
    assert (parent["ts"], parent["thread_ts"], parent["reply_count"]) == (first, first, 2)
    assert parent["latest_reply"] == last_reply
    assert "reply_count" not in answer["messages"][0]
    assert answer["messages"][0]["ts"] == second
    assert answer["has_more"] is False
    assert answer["response_metadata"]["next_cursor"] == ""


def test_history_shows_metadata_only_when_asked(client: WebClient) -> None:
    client.chat_postMessage(channel="CHMETA", text="with metadata", metadata=METADATA)

    plain = history(client, "CHMETA")
    with_metadata = history(client, "CHMETA", include_all_metadata=True)

    assert "metadata" not in plain["messages"][0]
    assert with_metadata["messages"][0]["metadata"] == METADATA


def test_oldest_and_latest_bound_the_history(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="CBOUND", text=f"m{n}")["ts"] for n in range(4)]

    between = history(client, "CBOUND", oldest=stamps[0], latest=stamps[3])
    inclusive = history(client, "CBOUND", oldest=stamps[0], latest=stamps[3], inclusive=True)
    since = history(client, "CBOUND", oldest=stamps[2])

    assert [m["text"] for m in between["messages"]] == ["m2", "m1"]
    assert [m["text"] for m in inclusive["messages"]] == ["m3", "m2", "m1", "m0"]
    assert [m["text"] for m in since["messages"]] == ["m3"]


def test_history_pages_with_a_cursor(client: WebClient) -> None:
    for n in range(5):
        client.chat_postMessage(channel="CPAGE", text=f"m{n}")

    pages = [history(client, "CPAGE", limit=2)]
    while pages[-1]["has_more"]:
        cursor = pages[-1]["response_metadata"]["next_cursor"]
        pages.append(history(client, "CPAGE", limit=2, cursor=cursor))

    assert [[m["text"] for m in page["messages"]] for page in pages] == [
        ["m4", "m3"],
        ["m2", "m1"],
        ["m0"],
    ]
    assert pages[-1]["response_metadata"]["next_cursor"] == ""
    with pytest.raises(SlackApiError) as excinfo:
        history(client, "CPAGE", cursor="bm90LW91cnM=")
    assert error_of(excinfo) == "invalid_cursor"


def test_a_bot_outside_the_channel_can_neither_post_nor_read(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.set_channel("COUTSIDE", is_member=False)
    fake.set_channel("GOUTSIDE", is_member=False)

    with pytest.raises(SlackApiError) as post_public:
        client.chat_postMessage(channel="COUTSIDE", text="hi")
    with pytest.raises(SlackApiError) as read_public:
        history(client, "COUTSIDE")
    with pytest.raises(SlackApiError) as post_private:
        client.chat_postMessage(channel="GOUTSIDE", text="hi")

    assert error_of(post_public) == "not_in_channel"
    assert error_of(read_public) == "not_in_channel"
    assert error_of(post_private) == "channel_not_found"


# ---- deliver, then time out --------------------------------------------------------------------


def test_a_post_whose_answer_is_late_was_stored_all_the_same(
    fake: FakeSlack, client: WebClient
) -> None:
    impatient = WebClient(base_url=fake.api_url, token=TOKEN, timeout=0.5, retry_handlers=[])
    mark = fake.mark()
    fake.deliver_then_time_out("chat.postMessage", seconds=2)

    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="CLATE", text="did it arrive?", metadata=METADATA)

    [call] = fake.calls_since(mark, "chat.postMessage")
    assert (call.applied, call.ok, call.fault) == (True, False, "deliver_then_time_out")
    [stored] = fake.messages("CLATE")
    assert (stored.text, stored.ts) == ("did it arrive?", call.response["ts"])
    found = history(client, "CLATE", include_all_metadata=True)["messages"]
    assert [(m["ts"], m["metadata"]) for m in found] == [(stored.ts, METADATA)]
    again = impatient.chat_postMessage(channel="CLATE", text="and now?")
    assert again["ok"] is True


def test_a_post_whose_connection_drops_after_delivery_was_stored(
    fake: FakeSlack, client: WebClient
) -> None:
    mark = fake.mark()
    fake.deliver_then_drop("chat.postMessage")

    with pytest.raises(ConnectionError):
        client.chat_postMessage(channel="CDROPPED", text="lost answer")

    [call] = fake.calls_since(mark, "chat.postMessage")
    assert (call.status, call.applied, call.ok) == (DROPPED, True, False)
    assert [m.text for m in fake.messages("CDROPPED")] == ["lost answer"]
    assert call.response["ts"] == fake.messages("CDROPPED")[0].ts


def test_a_plain_dropped_connection_stores_nothing(fake: FakeSlack, client: WebClient) -> None:
    fake.drop_connection("chat.postMessage")

    with pytest.raises(ConnectionError):
        client.chat_postMessage(channel="CNOTHING", text="never stored")

    assert fake.messages("CNOTHING") == []
    assert not fake.calls("chat.postMessage")[-1].applied
