"""A measurement cycle's life, end to end: `/vsm measure`, the cycle message, `/vsm close` and
`/vsm cancel`, and what each refuses."""

import re
import time

from tests.e2e.measuring import (
    HOME,
    PEOPLE,
    answer,
    assert_escaped_once,
    close,
    define_example,
    example_line,
    flat,
    hint,
    open_cycle,
)
from tests.e2e.vsm_commands import card, define, ok, refused, send, shown
from tests.support.driver import SlackDriver
from tests.support.usage import USAGE

MEASURE_USAGE = USAGE["measure"]


def cycle_messages(slack: SlackDriver) -> list[dict]:
    """Every cycle message the bot posted (top-level, starting "Measuring")."""
    return [
        c.params
        for c in slack.calls("chat.postMessage")
        if not c.params.get("thread_ts") and str(c.params["text"]).startswith("Measuring ")
    ]


def test_measuring_a_stream_without_steps_is_refused_and_posts_nothing(slack: SlackDriver) -> None:
    ok(slack, "new Onboarding")

    reply = refused(slack, "measure onboarding")

    text = shown(reply)
    assert "“Onboarding” has no steps to measure yet" in text
    assert '/vsm step add "Onboarding" "<step>" people:@someone' in text
    assert f"Use: `{MEASURE_USAGE}`" in text
    assert slack.calls("chat.postMessage") == []


def test_the_cycle_message_lists_the_steps_their_people_and_the_timings_button(
    slack: SlackDriver,
) -> None:
    define(
        slack,
        "Onboarding",
        '"Contract review" people:<@UANN|ann> <@UBO|bo>',
        '"Account setup" people:<@UCY|cy>',
        '"Kickoff call"',
        channel=HOME,
    )

    reply = ok(slack, "measure onboarding", channel="C7")  # typed anywhere: posted at home

    assert shown(reply).startswith(":stopwatch: Opened cycle 1 of *Onboarding* in <#C1>.")
    assert '/vsm close "Onboarding"' in shown(reply)
    [message] = cycle_messages(slack)
    assert message["channel"] == HOME
    assert_escaped_once(message)
    text = flat(message)
    assert "*1. Contract review* — <@UANN>, <@UBO>" in text.splitlines()
    assert "*2. Account setup* — <@UCY>" in text.splitlines()
    assert "*3. Kickoff call*" in text.splitlines()
    assert "Measuring Onboarding · cycle 1" in text.splitlines()
    assert "Closes" not in text
    [actions] = [b for b in message["blocks"] if b["type"] == "actions"]
    [button] = actions["elements"]
    assert button["text"]["text"] == "Enter my timings"
    assert button["action_id"] == "timings_open"
    assert button["value"].isdigit()


def test_only_one_cycle_of_a_stream_is_open_at_a_time(slack: SlackDriver) -> None:
    define_example(slack)
    open_cycle(slack, "measure onboarding")

    reply = refused(slack, "measure onboarding")

    text = shown(reply)
    assert "Cycle 1 of “Onboarding” is still open." in text
    assert '(/vsm close "Onboarding")' in text
    assert '(/vsm cancel "Onboarding")' in text
    assert len(cycle_messages(slack)) == 1
    # Another stream is measured on its own.
    define(slack, "Sales", "Qualify", channel=HOME)
    open_cycle(slack, "measure sales")


def closes_at(text: str) -> int:
    """The epoch second a cycle message or reply says the cycle closes at."""
    [epoch] = set(re.findall(r"[Cc]loses <!date\^(\d+)\^", text))
    return int(epoch)


def test_a_label_and_a_window_show_on_the_cycle_message(slack: SlackDriver) -> None:
    define_example(slack)
    started = time.time()

    reply = ok(slack, 'measure onboarding label:"Q3 baseline" window:3d')

    [message] = cycle_messages(slack)
    text = flat(message)
    assert "Measuring Onboarding · cycle 1 · Q3 baseline" in text.splitlines()
    assert "Answers can be changed until then" in text
    assert started + 3 * 86_400 - 5 <= closes_at(text) <= time.time() + 3 * 86_400
    assert closes_at(shown(reply)) == closes_at(text)  # "It closes …" in the reply too


def test_a_window_is_wall_clock_time_whatever_the_streams_basis(slack: SlackDriver) -> None:
    define_example(slack, options="basis:working hours:8")
    started = time.time()

    ok(slack, "measure onboarding window:1d")

    [message] = cycle_messages(slack)
    assert started + 86_400 - 5 <= closes_at(flat(message)) <= time.time() + 86_400


def test_a_window_shorter_than_ten_minutes_is_refused(slack: SlackDriver) -> None:
    define_example(slack)

    reply = refused(slack, "measure onboarding window:5m")

    assert "window: must be at least 10 minutes, e.g. window:3d." in shown(reply)
    assert MEASURE_USAGE in shown(reply)
    assert cycle_messages(slack) == []
    open_cycle(slack, "measure onboarding window:10m")  # the shortest allowed; still cycle 1
    assert "cycle 1" in cycle_messages(slack)[0]["text"]


def test_a_window_that_is_not_a_duration_is_refused_with_how_to_write_one(
    slack: SlackDriver,
) -> None:
    define_example(slack)

    reply = refused(slack, "measure onboarding window:2")

    text = shown(reply)
    assert "window: `2` — 2 what? Try `2h`." in text
    assert f"Use: `{MEASURE_USAGE}`" in text  # the command's form, not the duration's
    assert cycle_messages(slack) == []


def test_closing_a_cycle_nobody_answered_is_refused_and_points_to_cancel(
    slack: SlackDriver,
) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")

    reply = refused(slack, "close onboarding")

    text = shown(reply)
    assert "Nobody has answered cycle 1 of “Onboarding” yet" in text
    assert '/vsm cancel "Onboarding"' in text
    # Still open: an answer is taken, and then closing works.
    answer(slack, thread, example_line(1), PEOPLE[0])
    assert "Onboarding · cycle 1 summary" in close(slack).splitlines()


def test_closing_posts_the_summary_in_the_thread_and_in_the_channel(slack: SlackDriver) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, example_line(1), PEOPLE[0])
    before = len(slack.calls("chat.postMessage"))

    reply = ok(slack, "close onboarding")

    assert shown(reply).startswith(
        ":white_check_mark: Closed cycle 1 of *Onboarding*; the summary is posted in <#C1>."
    )
    in_thread, in_channel = slack.wait_for("chat.postMessage", count=before + 2)[before:]
    assert in_thread.ok
    assert in_channel.ok
    assert (in_thread.params["channel"], in_thread.params["thread_ts"]) == (HOME, thread)
    assert in_channel.params["channel"] == HOME
    assert not in_channel.params.get("thread_ts")
    for post in (in_thread, in_channel):
        assert flat(post.params).startswith("Onboarding, cycle 1: lead time 2.1 d")
    refused(slack, "close onboarding")  # nothing is open any more
    assert len(slack.calls("chat.postMessage")) == before + 2


def test_cancel_drops_the_open_cycle_and_its_thread_takes_no_more_answers(
    slack: SlackDriver,
) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, example_line(1), PEOPLE[0])

    reply = ok(slack, "cancel onboarding")

    assert shown(reply).startswith(":wastebasket: Cancelled cycle 1 of *Onboarding*.")
    assert "Cycle 1 of *Onboarding* is cancelled, so I did not record this" in hint(
        slack, thread, "2: wait 1d", PEOPLE[1]
    )
    assert "has no open cycle" in shown(refused(slack, "close onboarding"))
    assert "has no open cycle to cancel" in shown(refused(slack, "cancel onboarding"))
    assert "is open" not in shown(card(slack, "Onboarding"))
    assert "Not measured yet" in shown(card(slack, "Onboarding"))


def test_cycles_are_numbered_in_order_and_a_cancelled_one_keeps_its_number(
    slack: SlackDriver,
) -> None:
    define_example(slack)

    open_cycle(slack, "measure onboarding")
    ok(slack, "cancel onboarding")
    second = open_cycle(slack, "measure onboarding")
    answer(slack, second, example_line(1), PEOPLE[0])
    summary = close(slack)
    open_cycle(slack, "measure onboarding")

    headers = [m["blocks"][0]["text"]["text"] for m in cycle_messages(slack)]
    assert headers == [f"Measuring Onboarding · cycle {n}" for n in (1, 2, 3)]
    assert "Onboarding · cycle 2 summary" in summary.splitlines()
    assert "This is the baseline" in summary  # the cancelled cycle 1 is nobody's baseline
    assert "Cycle 3 is open: 0 of 5 steps have answers." in shown(card(slack, "Onboarding"))


def test_an_archived_stream_cannot_be_measured(slack: SlackDriver) -> None:
    define_example(slack)
    ok(slack, "archive onboarding")

    reply = refused(slack, "measure Onboarding")

    assert '“Onboarding” is archived. Bring it back first: /vsm unarchive "Onboarding"' in (
        shown(reply)
    )
    assert cycle_messages(slack) == []
    ok(slack, "unarchive onboarding")
    open_cycle(slack, "measure onboarding")


def test_a_cycle_whose_message_cannot_be_posted_is_dropped_with_a_reason(
    slack: SlackDriver,
) -> None:
    define_example(slack)
    slack.fake.error("chat.postMessage", "not_in_channel")

    reply = send(slack, "measure onboarding")

    text = shown(reply)
    assert text.startswith(
        ":warning: I could not post the cycle message in <#C1>: I am not a member of that channel."
    )
    assert "/invite @vsm-bot" in text
    assert '/vsm measure "Onboarding"' in text
    [refusal] = slack.calls("chat.postMessage")
    assert refusal.response["error"] == "not_in_channel"
    assert "is open" not in shown(card(slack, "Onboarding"))
    # Once the bot is invited, measuring works; the dropped cycle left no trace, not even
    # its number.
    thread = open_cycle(slack, "measure onboarding")
    answer(slack, thread, example_line(1), PEOPLE[0])
    summary = close(slack)
    assert "This is the baseline" in summary
    assert "cycle 1 summary" in summary
