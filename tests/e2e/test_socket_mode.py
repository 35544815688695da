"""Socket Mode, end to end: `vsm-bot socket` connects to the stand-in's Socket Mode server
(apps.connections.open hands out its URL), and a slash command, a thread answer and a button
click arrive over the socket and are answered — acknowledged on the socket, the replies and
their effects reaching the stand-in's Web API.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from standin import payloads
from standin.server import RESPONSE_URL, FakeSlack
from storage.engine import make_engine
from storage.models import Measurement
from tests.conftest import BOT_TOKEN
from tests.support import databases
from tests.support.botproc import base_env, bot_command, run_cli

HOME = "C0SOCKET"
WORKSPACE = payloads.Workspace("T0SOCKET")
STEPS = ('"Contract review" people:<@UANN|ann>', '"Account setup" people:<@UBO|bo>')


class SocketBot:
    """`vsm-bot socket` as a process of its own, on a fresh database and the stand-in."""

    def __init__(self, fake: FakeSlack, database_url: str, tmp_dir: Path) -> None:
        self.fake = fake
        self.log_path = tmp_dir / "socket.log"
        self.env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": fake.app_token,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "INFO",
        }
        self.tmp_dir = tmp_dir
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        upgrade = run_cli(["db", "upgrade"], self.env, cwd=self.tmp_dir)
        assert upgrade.returncode == 0, upgrade.stderr
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [*bot_command(), "socket"],
                env=base_env(self.env),
                cwd=self.tmp_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self.fake.socket_mode.wait_for_connection(timeout=20.0)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{self.log()}") from None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture(scope="module")
def socket_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketBot]:
    tmp_dir = tmp_path_factory.mktemp("socket")
    with (
        FakeSlack(token=BOT_TOKEN) as fake,
        databases.fresh_database_url(tmp_dir / "database") as url,
    ):
        bot = SocketBot(fake, url, tmp_dir)
        bot.start()
        try:
            yield bot
        finally:
            bot.stop()
        assert "Traceback" not in bot.log(), bot.log()
        assert fake.internal_errors == []


def vsm(bot: SocketBot, text: str, user: str = "U1") -> str:
    """`/vsm text` over the socket: what the person sees (the ack's reply, or the reply the
    bot posted to the command's response_url)."""
    response_url = bot.fake.new_response_url()
    mark = bot.fake.mark()
    ack = bot.fake.socket_mode.slash_command(
        WORKSPACE, text=text, user=user, channel=HOME, response_url=response_url
    )
    if ack.get("text") or ack.get("blocks"):
        return _said(ack)
    path = response_url.removeprefix(bot.fake.url)
    [reply, *_] = bot.fake.wait_for(RESPONSE_URL, lambda c: c.path == path, since=mark)
    return _said(reply.params)


def stored_answers(bot: SocketBot) -> list[tuple[int | None, int | None, float | None]]:
    """Every measurement in the bot's database: (wait, process time, %C&A)."""
    engine = make_engine(bot.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            rows = session.exec(select(Measurement)).all()
            return [(m.wait_s, m.process_s, m.ca) for m in rows]
    finally:
        engine.dispose()


def cycle_message(fake: FakeSlack, since: int) -> Any:
    """The cycle's message, the first the bot posted at the top of the channel since `since`."""
    return fake.wait_for(
        "chat.postMessage",
        lambda c: c.params["channel"] == HOME and not c.params.get("thread_ts"),
        since=since,
    )[0]


def _said(message: dict[str, Any]) -> str:
    texts = [str(message.get("text") or "")]
    texts += [str(b.get("text", {}).get("text", "")) for b in message.get("blocks") or []]
    return "\n".join(texts)


def test_a_slash_command_is_answered_over_the_socket(socket_bot: SocketBot) -> None:
    # The stand-in waits Slack's 3 seconds for the acknowledgement, and fails the test after.
    reply = vsm(socket_bot, "help")

    assert "/vsm new" in reply


def test_a_thread_answer_over_the_socket_is_stored_and_acknowledged(
    socket_bot: SocketBot,
) -> None:
    fake = socket_bot.fake
    assert "Onboarding" in vsm(socket_bot, 'new "Onboarding"')
    for step in STEPS:
        vsm(socket_bot, f'step add "Onboarding" {step}')
    mark = fake.mark()
    assert "Opened cycle" in vsm(socket_bot, 'measure "Onboarding"')
    cycle = cycle_message(fake, mark)
    thread = str(cycle.response["ts"])

    ts = fake.new_ts()
    event = payloads.user_message(
        WORKSPACE,
        text="1: wait 2d pt 3h ca 70%",
        user="UANN",
        channel=HOME,
        ts=ts,
        thread_ts=thread,
    )
    assert fake.socket_mode.event(WORKSPACE, event) == {}  # acknowledged, with no payload

    [reaction] = fake.wait_for("reactions.add", lambda c: c.params.get("timestamp") == ts)
    assert reaction.params["name"] == "white_check_mark"
    assert stored_answers(socket_bot) == [(7200 * 24, 3 * 3600, 0.7)]


def test_a_button_click_over_the_socket_opens_the_form(socket_bot: SocketBot) -> None:
    fake = socket_bot.fake
    vsm(socket_bot, 'new "Billing"')
    vsm(socket_bot, 'step add "Billing" "Send invoice" people:<@UANN|ann>')
    mark = fake.mark()
    vsm(socket_bot, 'measure "Billing"')
    cycle = cycle_message(fake, mark)
    [button] = [
        element
        for block in cycle.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    message = {**cycle.params, "ts": cycle.response["ts"]}
    click = payloads.block_actions(
        WORKSPACE,
        action_id=button["action_id"],
        value=button["value"],
        block_id=str(button.get("block_id") or "actions"),
        user="UANN",
        channel=HOME,
        message=message,
        response_url=fake.new_response_url(),
        trigger_id=fake.new_trigger_id(),
    )

    assert fake.socket_mode.interactive(click) == {}

    [opened] = fake.wait_for(
        "views.open", lambda c: c.params.get("trigger_id") == click["trigger_id"]
    )
    assert opened.ok, opened.response
    assert "Send invoice" in str(opened.params["view"])
