"""A Bolt app on slack_sdk's own Socket Mode client gets Slack's envelopes from the stand-in.

The app connects the way a real one does: SocketModeHandler → apps.connections.open (with the
app-level token) on the stand-in's Web API → the WebSocket URL it answers.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, Say
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient

from standin import payloads
from standin.server import FakeSlack

TOKEN = "xoxb-socket-mode-test"
WORKSPACE = payloads.Workspace("T0SOCKET")


def small_app(fake: FakeSlack) -> App:
    app = App(client=WebClient(base_url=fake.api_url, token=TOKEN))

    @app.command("/vsm")
    def handle_vsm(ack: Ack, command: dict[str, Any]) -> None:
        ack(text=f"you said: {command['text']}", response_type="ephemeral")

    @app.event("message")
    def handle_message(event: dict[str, Any], client: WebClient) -> None:
        client.reactions_add(channel=event["channel"], timestamp=event["ts"], name="eyes")

    @app.action("close_cycle")
    def handle_close(ack: Ack, body: dict[str, Any], say: Say) -> None:
        ack()
        say(text=f"closed by {body['user']['id']}")

    @app.view("define_stream")
    def handle_define(ack: Ack, view: dict[str, Any]) -> None:
        name = view["state"]["values"]["name_block"]["name_input"]["value"]
        if not name.strip():
            ack(response_action="errors", errors={"name_block": "A stream needs a name"})
            return
        ack()

    return app


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as slack:
        yield slack


@pytest.fixture(scope="module")
def handler(fake: FakeSlack) -> Iterator[SocketModeHandler]:
    handler = SocketModeHandler(small_app(fake), fake.app_token)
    handler.connect()
    fake.socket_mode.wait_for_connection()
    yield handler
    handler.close()


def test_the_app_connects_through_apps_connections_open(
    fake: FakeSlack, handler: SocketModeHandler
) -> None:
    [opened, *_] = fake.calls("apps.connections.open")

    assert opened.token == fake.app_token
    assert opened.response["url"].startswith(fake.socket_mode.url + "/link/?ticket=")
    assert fake.socket_mode.connections()[0].ticket in opened.response["url"]


def test_a_slash_commands_reply_comes_back_in_the_ack(
    fake: FakeSlack, handler: SocketModeHandler
) -> None:
    reply = fake.socket_mode.slash_command(WORKSPACE, text="new c&a", user="U1", channel="C1")

    assert reply == {"text": "you said: new c&amp;a", "response_type": "ephemeral"}


def test_an_event_is_acked_and_handled(fake: FakeSlack, handler: SocketModeHandler) -> None:
    mark = fake.mark()
    ts = fake.new_ts()
    event = payloads.user_message(WORKSPACE, text="5m", user="U2", channel="CEV", ts=ts)

    ack = fake.socket_mode.event(WORKSPACE, event)

    assert ack == {}
    [call] = fake.wait_for("reactions.add", lambda c: c.params["timestamp"] == ts, since=mark)
    assert call.params["channel"] == "CEV"


def test_a_block_action_is_acked(fake: FakeSlack, handler: SocketModeHandler) -> None:
    mark = fake.mark()
    message = {"type": "message", "ts": fake.new_ts(), "text": "Cycle 2", "blocks": []}
    click = payloads.block_actions(
        WORKSPACE,
        action_id="close_cycle",
        value="cycle-2",
        block_id="cycle_actions",
        user="U9",
        channel="CACT",
        message=message,
        response_url=fake.new_response_url(),
        trigger_id=fake.new_trigger_id(),
    )

    assert fake.socket_mode.interactive(click) == {}
    [said] = fake.wait_for("chat.postMessage", since=mark)
    assert (said.params["channel"], said.params["text"]) == ("CACT", "closed by U9")


def test_a_view_submissions_errors_come_back_in_the_ack(
    fake: FakeSlack, handler: SocketModeHandler
) -> None:
    view = payloads.new_modal_view(callback_id="define_stream", private_metadata="", view_id="V1")

    def submit(name: str) -> dict[str, Any]:
        submission = payloads.view_submission(
            WORKSPACE,
            view=view,
            values={"name_block": {"name_input": name}},
            user="U3",
            trigger_id=fake.new_trigger_id(),
        )
        return fake.socket_mode.interactive(submission)

    assert submit(" ") == {
        "response_action": "errors",
        "errors": {"name_block": "A stream needs a name"},
    }
    assert submit("Onboarding") == {}


def test_the_stand_in_gets_a_pong_for_its_ping(fake: FakeSlack, handler: SocketModeHandler) -> None:
    fake.socket_mode.ping(b"standin-ping")

    assert b"standin-ping" in fake.socket_mode.connections()[-1].pongs


def test_a_disconnect_leads_to_a_reconnect(fake: FakeSlack, handler: SocketModeHandler) -> None:
    before = len(fake.socket_mode.connections())
    opened = len(fake.calls("apps.connections.open"))

    asked = fake.socket_mode.disconnect()

    fresh = fake.socket_mode.wait_for_connection(count=before + 1)
    # slack_sdk's client closes the old connection once its reader lets go (up to 3 s).
    old = fake.socket_mode.wait_for_close(asked.id)
    assert fresh.id != asked.id
    assert not old.open
    assert len(fake.calls("apps.connections.open")) == opened + 1
    reply = fake.socket_mode.slash_command(WORKSPACE, text="still here", user="U1", channel="C1")
    assert reply["text"] == "you said: still here"
    assert fake.socket_mode.connections()[-1].received[-1]["payload"] == reply
