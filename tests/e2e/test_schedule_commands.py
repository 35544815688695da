"""`/vsm schedule` and `/vsm digest`, end to end: set, show, replace and stop; the time zone
from Slack or `tz:`; bad input refused with nothing stored; and what a digest says."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.clocking import next_instant
from tests.e2e.measuring import answer, assert_escaped_once, close, flat, open_cycle
from tests.e2e.vsm_commands import define, ok, readable, refused, shown
from tests.support.driver import Reply, SlackDriver
from vsm.cadence import Cadence, next_run

NO_SCHEDULE = "has no schedule; it is measured when someone runs `/vsm measure`"
WINDOW = (
    "window: must be at least 10 minutes and shorter than the time between measurements, "
    "so one cycle closes before the next opens."
)


def expected_runs(cadence: Cadence, before: datetime, after: datetime) -> set[datetime]:
    """The next run as the bot computes it at some instant between `before` and `after`."""
    zone = ZoneInfo(cadence.zone)
    return {
        next_run(cadence, anchor=moment.astimezone(zone).date(), after=moment)
        for moment in (before, after)
    }


def said(reply: Reply) -> str:
    """A short reply's text, as a person reads it."""
    return readable(reply.text)


def one_step_stream(slack: SlackDriver, name: str = "Onboarding", channel: str = "C1") -> None:
    define(slack, name, '"Contract review" people:<@UANN|ann>', channel=channel)


def show(slack: SlackDriver, stream: str = "Onboarding") -> str:
    return shown(ok(slack, f'schedule "{stream}"'))


# ---- /vsm schedule --------------------------------------------------------------------------


def test_a_schedule_is_set_in_the_persons_time_zone_shown_and_stopped(
    slack: SlackDriver,
) -> None:
    one_step_stream(slack)
    slack.set_user_tz("U1", "Asia/Tokyo")  # what Slack's users.info says for the person
    assert NO_SCHEDULE in show(slack)

    before = datetime.now(UTC)
    reply = ok(slack, 'schedule "Onboarding" every 2 weeks on mon at 9:30')
    after = datetime.now(UTC)

    text = shown(reply)
    assert text.startswith(
        ":calendar: *Onboarding* is measured every 2 weeks on Monday at 09:30 (Asia/Tokyo); "
        "each cycle stays open for 3 d, with one reminder at 80% of that"
    )
    due = next_instant(reply)
    cadence = Cadence(2, "weeks", 0, time(9, 30), "Asia/Tokyo")
    assert due in expected_runs(cadence, before, after)
    local = due.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"Next: {local:%a} {local.day} {local:%b %Y}, 09:30 Asia/Tokyo" in text
    assert show(slack) == text  # shown as set

    assert "*Onboarding* is no longer measured on a schedule." in shown(
        ok(slack, 'schedule "Onboarding" off')
    )
    assert NO_SCHEDULE in show(slack)
    assert said(ok(slack, 'schedule "Onboarding" off')) == "*Onboarding* had no schedule."


def test_tz_overrides_the_persons_zone_and_a_new_schedule_replaces_the_old(
    slack: SlackDriver,
) -> None:
    one_step_stream(slack)
    slack.set_user_tz("U1", "Asia/Tokyo")
    ok(slack, 'schedule "Onboarding" every 2 weeks on mon at 9:30')

    before = datetime.now(UTC)
    reply = ok(slack, 'schedule "Onboarding" every 3 days at 17:00 window:1d tz:america/new_york')
    after = datetime.now(UTC)

    text = shown(reply)
    assert "every 3 days at 17:00 (America/New_York); each cycle stays open for 1 d" in text
    cadence = Cadence(3, "days", None, time(17, 0), "America/New_York")
    assert next_instant(reply) in expected_runs(cadence, before, after)
    assert show(slack) == text
    assert "Asia/Tokyo" not in show(slack)


def test_a_weekly_schedule_without_a_weekday_keeps_the_day_it_was_set_on(
    slack: SlackDriver,
) -> None:
    one_step_stream(slack)
    before = datetime.now(UTC)
    reply = ok(slack, 'schedule "Onboarding" every 1 weeks at 8:00 tz:UTC')
    after = datetime.now(UTC)

    due = next_instant(reply)
    assert due in expected_runs(Cadence(1, "weeks", None, time(8, 0), "UTC"), before, after)
    assert f"is measured every week on {due:%A} at 08:00 (UTC)" in shown(reply)


# Bad schedules: what the reply must say. Nothing may be stored for any of them.
BAD_SCHEDULES = {
    "weekday": ("every 2 weeks on funday", "`funday` — that is not a weekday."),
    "time": ("every 2 weeks at 25:00", "`25:00` — the hours of a day go from 0 to 23."),
    "zone": ("every 2 weeks tz:Mars/Base", "`Mars/Base` — that is not a time zone I know."),
    "zero": ("every 0 weeks", "`every 0 weeks` — it must be every 1 to 52 weeks."),
    "unit": ("every 2 wekes", "`every 2 wekes` — weeks or days?"),
    "window-as-long": ("every 1 days window:1d", WINDOW),
    "window-longer": ("every 1 weeks window:8d", WINDOW),
    "window-short": ("every 2 weeks window:5m", WINDOW),
}


@pytest.mark.parametrize(("words", "why"), BAD_SCHEDULES.values(), ids=BAD_SCHEDULES.keys())
def test_a_bad_schedule_says_what_is_wrong_and_stores_nothing(
    slack: SlackDriver, words: str, why: str
) -> None:
    one_step_stream(slack, "Onboarding")
    one_step_stream(slack, "Hiring")
    ok(slack, 'schedule "Hiring" every 2 weeks on tue at 10:00 window:2d tz:Europe/Berlin')
    kept = show(slack, "Hiring")

    for stream in ("Onboarding", "Hiring"):
        assert why in shown(refused(slack, f'schedule "{stream}" {words}'))

    assert NO_SCHEDULE in show(slack, "Onboarding")
    assert show(slack, "Hiring") == kept


# ---- /vsm digest ----------------------------------------------------------------------------


def digest_off(slack: SlackDriver, channel: str = "C1") -> str:
    return said(ok(slack, "digest off", channel=channel))


def test_a_digest_is_set_in_the_persons_time_zone_replaced_and_stopped(
    slack: SlackDriver,
) -> None:
    slack.set_user_tz("U1", "America/Los_Angeles")
    before = datetime.now(UTC)
    reply = ok(slack, "digest weekly")
    after = datetime.now(UTC)

    text = shown(reply)
    assert text.startswith(
        ":newspaper: This channel gets the value stream digest every Monday at 09:00 "
        "(America/Los_Angeles)."
    )
    cadence = Cadence(1, "weeks", 0, time(9, 0), "America/Los_Angeles")
    assert next_instant(reply) in expected_runs(cadence, before, after)

    replaced = shown(ok(slack, "digest weekly on fri at 17:00 tz:UTC"))
    assert "every Friday at 17:00 (UTC)" in replaced

    assert digest_off(slack) == ":no_bell: This channel's weekly digest is stopped."
    assert digest_off(slack) == "This channel had no weekly digest."  # one, not two


BAD_DIGESTS = {
    "weekday": ("digest weekly on funday", "`funday` — that is not a weekday."),
    "time": ("digest weekly at 25:00", "`25:00` — the hours of a day go from 0 to 23."),
    "zone": ("digest weekly tz:Mars/Base", "`Mars/Base` — that is not a time zone I know."),
    "not-weekly": ("digest every 2 weeks", "Say `weekly`, `off` or `now` after `/vsm digest`."),
}


@pytest.mark.parametrize(("command", "why"), BAD_DIGESTS.values(), ids=BAD_DIGESTS.keys())
def test_a_bad_digest_says_what_is_wrong_and_stores_nothing(
    slack: SlackDriver, command: str, why: str
) -> None:
    ok(slack, "digest weekly on wed at 12:00", channel="C2")

    assert why in shown(refused(slack, command, channel="C1"))
    assert why in shown(refused(slack, command, channel="C2"))

    assert digest_off(slack, "C1") == "This channel had no weekly digest."
    assert digest_off(slack, "C2") == ":no_bell: This channel's weekly digest is stopped."


def test_digest_now_in_a_channel_without_streams_says_so_and_how_to_start(
    slack: SlackDriver,
) -> None:
    one_step_stream(slack, channel="C1")  # homed elsewhere: not this channel's news

    reply = ok(slack, "digest now", channel="C9")

    assert said(reply) == ":newspaper: Posted the digest here (0 streams)."
    [post] = slack.wait_for("chat.postMessage", lambda c: c.params["channel"] == "C9")
    assert post.ok
    assert post.params["text"] == (
        "No value streams are homed in this channel yet; start one with /vsm new."
    )
    lines = [line for line in flat(post.params).splitlines()[1:] if line.strip()]
    assert any("No value streams are homed in this channel yet." in line for line in lines)
    assert any('`/vsm new "' in line for line in lines)
    assert "Onboarding" not in flat(post.params)


def test_digest_now_shows_the_trend_the_open_cycle_the_next_run_and_the_biggest_wait(
    slack: SlackDriver,
) -> None:
    define(
        slack,
        "Onboarding",
        '"Contract review" people:<@UANN|ann>',
        '"Account setup" people:<@UBO|bo>',
        '"Kickoff call" people:<@UCY|cy>',
        channel="C1",
    )
    # Four closed cycles: the digest's trend is the baseline, the previous and the latest.
    for waits in (("2d", "1d", "1d"), ("2d", "2d", "1d"), ("1d", "3d", "1d"), ("1d", "2d", "12h")):
        thread = open_cycle(slack, 'measure "Onboarding"')
        for position, (person, wait) in enumerate(
            zip(("UANN", "UBO", "UCY"), waits, strict=True), 1
        ):
            answer(slack, thread, f"{position}: wait {wait}, pt 4h, ca 90%", person)
        close(slack)
    thread = open_cycle(slack, 'measure "Onboarding"')
    answer(slack, thread, "2: wait 1d, pt 4h", "UBO")
    due = next_instant(ok(slack, 'schedule "Onboarding" every 2 weeks on thu at 9:00 tz:UTC'))
    before = len(slack.calls("chat.postMessage"))

    assert said(ok(slack, "digest now")) == ":newspaper: Posted the digest here (1 stream)."

    [post] = slack.wait_for("chat.postMessage", count=before + 1)[before:]
    assert post.ok
    assert post.params["channel"] == "C1"
    assert post.params["text"] == "Value streams this week: Onboarding"
    assert_escaped_once(post.params)
    lines = flat(post.params).splitlines()
    [trend] = [line for line in lines if line.startswith("• Lead time ")]
    # c1: 4 d + 3 × 4 h; c3: 5 d + 12 h; c4: 3.5 d + 12 h, (4 − 4.5) / 4.5 since the baseline.
    assert trend == (
        "• Lead time 4.5 d _(c1)_ → 5.5 d _(c3)_ → 4 d _(c4)_ · −11.1% since cycle 1 "
        "(:large_green_circle: better)"
    )
    assert "• Activity ratio 12.5% · rolled %C&A 72.9%" in lines  # c4: 12 h of 4 d; 0.9³
    assert "• Cycle 5 open: 1 of 3 steps have answers" in lines
    assert f"• Next reassessment <!date^{int(due.timestamp())}^" in flat(post.params)
    assert "• Biggest wait: step 2 Account setup, 2 d" in lines
