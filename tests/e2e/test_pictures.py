"""Pictures in Slack, end to end: a cycle's summary brings its map (and from the second cycle
the trend) into its thread, `/vsm map` and `/vsm trend` draw on request, the weekly digest
carries a small trend per stream. They are queued, drawn by the clock, uploaded with alt text
stating their numbers; an upload that fails never holds up the text and is tried again; the
web process never loads matplotlib.

The module has its own bot, database and stand-in: its ticks deliver every workspace's outbox.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from standin.files import UploadedFile
from standin.server import FakeSlack
from tests.e2e.clocking import Clock, answer, cycle_posts, next_instant, tick, ts_of
from tests.e2e.clocking import own_bot as make_own_bot
from tests.e2e.measuring import flat
from tests.e2e.vsm_commands import define, ok, refused, shown
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, BotProcess]]:
    with make_own_bot(tmp_path_factory.mktemp("pictures")) as made:
        yield made


@pytest.fixture(scope="module")
def fake_slack(own: tuple[FakeSlack, BotProcess]) -> FakeSlack:
    return own[0]


@pytest.fixture(scope="module")
def bot(own: tuple[FakeSlack, BotProcess]) -> BotProcess:
    return own[1]


def soon() -> datetime:
    """An instant for a tick that sends whatever is queued (past the first backoff)."""
    return datetime.now(UTC) + timedelta(minutes=2)


def size(file: UploadedFile) -> tuple[int, int]:
    assert file.data is not None
    return int.from_bytes(file.data[16:20], "big"), int.from_bytes(file.data[20:24], "big")


def measured(slack: SlackDriver, channel: str, wait: str = "2d") -> str:
    """A closed cycle of Onboarding in `channel` (defined on first use); its thread."""
    if "Onboarding" not in shown(ok(slack, "list", channel=channel)):
        define(
            slack,
            "Onboarding",
            '"Contract review" team:Legal people:<@UANN>',
            '"Kickoff" people:<@UBO>',
            channel=channel,
        )
    ok(slack, "measure Onboarding", channel=channel)
    [*_, opened] = cycle_posts(slack, channel)
    thread = ts_of(opened)
    answer(slack, channel, thread, f"1: wait {wait} pt 3h ca 80%", "UANN")
    answer(slack, channel, thread, "2: wait 1d pt 1h", "UBO")
    ok(slack, "close Onboarding", channel=channel)
    return thread


def test_a_summary_brings_the_cycle_s_map_into_its_thread(
    slack: SlackDriver, fake_slack: FakeSlack, clock: Clock
) -> None:
    channel = "CPIC1"
    thread = measured(slack, channel)
    assert fake_slack.files(channel) == []  # queued by the web process, drawn by the clock

    tick(clock, soon())

    [picture] = fake_slack.files(channel)
    assert picture.thread_ts == thread
    assert picture.data is not None
    assert picture.data.startswith(PNG)
    width, height = size(picture)
    assert 700 <= width <= 2000
    assert 300 <= height <= 1500
    assert picture.filename == "map-cycle-1.png"
    alt = picture.alt_txt or ""
    assert "lead time 3.2 d" in alt.lower()  # 2 d 3 h + 1 d 1 h
    assert "Contract review" in alt


def test_from_the_second_cycle_on_the_trend_follows_the_map(
    slack: SlackDriver, fake_slack: FakeSlack, clock: Clock
) -> None:
    channel = "CPIC2"
    measured(slack, channel, wait="4d")
    tick(clock, soon())
    thread = measured(slack, channel, wait="1d")
    tick(clock, soon())

    names = [f.filename for f in fake_slack.files(channel)]
    assert names == ["map-cycle-1.png", "map-cycle-2.png", "trend-cycle-2.png"]
    trend = fake_slack.files(channel)[-1]
    assert trend.thread_ts == thread
    assert "cycle 1" in (trend.alt_txt or "")


def test_an_upload_that_fails_holds_up_nothing_and_is_tried_again(
    slack: SlackDriver, fake_slack: FakeSlack, clock: Clock
) -> None:
    channel = "CPIC3"
    fake_slack.fail("files.getUploadURLExternal", status=500, times=20)
    try:
        thread = measured(slack, channel)
        summaries = [
            c
            for c in slack.calls("chat.postMessage")
            if c.ok
            and c.params.get("thread_ts") == thread
            and "Onboarding, cycle 1: lead time" in flat(c.params)
        ]
        assert summaries, "the summary text went out without waiting for its picture"
        tick(clock, soon())
        assert fake_slack.files(channel) == []
    finally:
        fake_slack.clear_faults()
    tick(clock, soon() + timedelta(hours=1))

    [picture] = fake_slack.files(channel)
    assert picture.thread_ts == thread


def test_map_and_trend_on_request(slack: SlackDriver, fake_slack: FakeSlack, clock: Clock) -> None:
    channel = "CPIC4"
    measured(slack, channel)
    tick(clock, soon())

    reply = shown(ok(slack, "map Onboarding cycle:1", channel=channel))
    assert "The map of cycle 1 of *Onboarding* is being drawn" in reply
    assert f"<#{channel}>" in reply
    elsewhere = shown(ok(slack, "trend Onboarding", channel="CPICX", user="UREADER"))
    assert "you in a direct message" in elsewhere
    tick(clock, soon())

    assert [f.filename for f in fake_slack.files(channel)][-1] == "map-cycle-1.png"
    [direct] = fake_slack.files("DREADER")
    assert direct.filename == "trend.png"
    assert fake_slack.files("CPICX") == []


def test_map_of_a_cycle_that_is_not_there_is_refused(slack: SlackDriver) -> None:
    define(slack, "Empty", "Step")
    assert "has not been measured yet" in shown(refused(slack, "map Empty"))
    assert "no closed cycle yet" in shown(refused(slack, "trend Empty"))


def test_the_digest_carries_a_small_trend_per_stream(
    slack: SlackDriver, fake_slack: FakeSlack, clock: Clock
) -> None:
    channel = "CPIC5"
    measured(slack, channel)
    due = next_instant(ok(slack, "digest weekly on mon at 8:00 tz:UTC", channel=channel))
    tick(clock, due)

    digest = [f for f in fake_slack.files(channel) if f.filename == "digest-trends.png"]
    [picture] = digest
    assert picture.thread_ts is None
    assert "Onboarding" in (picture.alt_txt or "")


def test_the_web_process_never_loads_matplotlib(slack: SlackDriver, bot: BotProcess) -> None:
    measured(slack, "CPIC6")
    ok(slack, "map Onboarding", channel="CPIC6")

    pids = _group_members(bot)
    assert len(pids) >= 2  # the master and its workers
    for pid in pids:
        maps = Path(f"/proc/{pid}/maps").read_text(errors="replace")
        assert "matplotlib" not in maps, f"process {pid} of the web server loaded matplotlib"


def _group_members(bot: BotProcess) -> list[int]:
    process = bot._process
    assert process is not None
    group = os.getpgid(process.pid)
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == group:
                    members.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return members


def test_operators_draw_a_map_and_a_trend_from_the_database(
    slack: SlackDriver, bot: BotProcess, tmp_path: Path
) -> None:
    channel = "CPIC7"
    measured(slack, channel, wait="3d")
    measured(slack, channel, wait="1d")

    for args, name in (
        (["map", "Onboarding", "--cycle", "1"], "map.png"),
        (["map", "Onboarding"], "latest.png"),
        (["trend", "Onboarding"], "trend.png"),
    ):
        out = tmp_path / name
        result = bot.run_cli([*args, "--team", slack.team_id, "--out", str(out)])
        assert result.returncode == 0, result.stderr
        assert out.read_bytes().startswith(PNG)
        assert f"wrote {out}" in result.stdout
    unknown = bot.run_cli(
        ["map", "Nope", "--team", slack.team_id, "--out", str(tmp_path / "x.png")]
    )
    assert unknown.returncode == 1
    assert "I don't know a stream called “Nope”" in unknown.stderr
    assert not (tmp_path / "x.png").exists()
