"""Answers in a cycle's thread, end to end: how people name steps and fields, what the bot reads,
ignores, replaces and forgets, and how it tells people what it could not read.

What was stored is read back where people see it: the closed cycle's summary (the step table)
or the stream card's "n of m steps have answers".
"""

import json
import time
from typing import Any

from standin import payloads
from standin.webapi import BOT_USER_ID
from tests.e2e.measuring import (
    BYSTANDER,
    HOME,
    answer,
    barrier,
    close,
    edit_hint,
    hint,
    hints_to,
    open_cycle,
    reactions_on,
    row,
    wait_until,
)
from tests.e2e.vsm_commands import card, define, ok, shown
from tests.support.cli_in_process import run_main
from tests.support.driver import JSON, SlackDriver, SlackRequest

# Triage has two people; Review one; Ann is at Triage and Release.
STEPS = (
    '"Triage" people:<@UANN|ann> <@UBO|bo>',
    '"Review" people:<@UCY|cy>',
    '"Release" people:<@UANN|ann>',
)


def intake(slack: SlackDriver) -> str:
    """The Intake stream with its first cycle open; returns the cycle's thread."""
    define(slack, "Intake", *STEPS, channel=HOME)
    return open_cycle(slack, "measure intake")


def progress(slack: SlackDriver) -> str:
    """The card's line on the open cycle."""
    [line] = [line for line in shown(card(slack, "Intake")).splitlines() if "is open" in line]
    return line


def exported_cycles(slack: SlackDriver, database_url: str) -> list[dict[str, Any]]:
    """Intake's cycles as `vsm-bot export` gives them (an open one with its live numbers)."""
    exported = run_main(
        ["export", "Intake", "--team", slack.team_id, "--format", "json"],
        {"DATABASE_URL": database_url},
    )
    assert exported.returncode == 0, exported.stderr
    return list(json.loads(exported.stdout)["cycles"])


def post(slack: SlackDriver, thread: str | None, text: str, user: str, **fields: object) -> str:
    """A message in the thread whose outcome the test checks itself; returns its ts."""
    status, _, ts = slack.message(text, user=user, channel=HOME, thread_ts=thread, **fields)
    assert status == 200
    return ts


# ---- naming steps and fields -------------------------------------------------------------


def test_steps_are_named_by_number_or_name_and_fields_come_in_any_order(
    slack: SlackDriver,
) -> None:
    thread = intake(slack)

    answer(slack, thread, "1: pt 1h\n#2 wait 1d\nstep 3 ca 80%", "UDD")  # several lines
    answer(slack, thread, "review: process time 30m", "UEE")  # the name, any case
    answer(slack, thread, "Rel: wait 4h", "UFF")  # a unique start of a name
    answer(slack, thread, "TRIAGE: ca 90%, wait time 2h", "UGG")  # fields in any order
    summary = close(slack, "Intake")

    triage, review, release = row(summary, 1), row(summary, 2), row(summary, 3)
    assert (triage.wait, triage.pt, triage.lead, triage.ca, triage.respondents) == (
        "2 h", "1 h", "3 h", "90%", 2
    )  # fmt: skip
    assert (review.wait, review.pt, review.lead, review.ca, review.respondents) == (
        "1 d", "30 m", "1 d", "—", 2
    )  # fmt: skip
    assert (release.wait, release.pt, release.lead, release.ca, release.respondents) == (
        "4 h", "—", "—", "80%", 2
    )  # fmt: skip


def test_c_and_a_arrives_html_escaped_and_is_read(slack: SlackDriver) -> None:
    thread = intake(slack)

    # The driver sends "&" as Slack does: `c&amp;a`, `%C&amp;A`.
    answer(slack, thread, "1: c&a 75%, pt 2h, wait 1h", "UBO")
    answer(slack, thread, "2: %C&A 60", "UCY")
    summary = close(slack, "Intake")

    assert (row(summary, 1).ca, row(summary, 1).pt) == ("75%", "2 h")
    assert row(summary, 2).ca == "60%"


def test_someone_at_one_step_may_leave_the_step_out(slack: SlackDriver) -> None:
    thread = intake(slack)

    answer(slack, thread, "wait 1d, pt 2h", "UCY")  # Cy is at Review only
    answer(slack, thread, "ca 80%", "UBO")  # Bo is at Triage only
    summary = close(slack, "Intake")

    assert (row(summary, 2).wait, row(summary, 2).pt) == ("1 d", "2 h")
    assert row(summary, 1).ca == "80%"


def test_someone_at_two_steps_who_leaves_the_step_out_gets_a_hint(slack: SlackDriver) -> None:
    thread = intake(slack)

    text = hint(slack, thread, "wait 1d", "UANN")

    assert "> wait 1d" in text.splitlines()
    assert "which step is it for? Start the line with its number or name." in text
    assert "The steps are 1 Triage, 2 Review, 3 Release." in text
    assert progress(slack).endswith("0 of 3 steps have answers.")


# ---- lines that cannot be read -------------------------------------------------------------


def test_a_bad_line_gets_a_hint_that_quotes_it_and_nothing_of_it_is_stored(
    slack: SlackDriver,
) -> None:
    thread = intake(slack)

    text = hint(slack, thread, "1: pt 3h, wait <soon> & later", "UBO")

    assert text.startswith("<@UBO> I could not read this line (nothing of it is stored):")
    assert "> 1: pt 3h, wait <soon> & later" in text.splitlines()
    assert "I can't read `<soon>` in it." in text
    assert "Write one line per step, like `1: pt 3h, wait 1d, ca 90%`" in text
    both = hint(slack, thread, "9: pt 1h\nRe: wait 1h", "UCY")
    assert "I could not read these lines (nothing of them is stored):" in both
    assert "there is no step 9; the steps are 1–3." in both
    assert "“Re” could be the step “Review”, “Release”. Give more of the name." in both
    assert slack.calls("reactions.add") == []  # no ✅ for either
    answer(slack, thread, "3: wait 1h, pt 1h", "UANN")
    summary = close(slack, "Intake")
    assert (row(summary, 1).wait, row(summary, 1).pt, row(summary, 1).respondents) == (
        "—", "—", 0
    )  # fmt: skip
    assert (row(summary, 2).wait, row(summary, 2).respondents) == ("—", 0)


def test_a_partly_good_message_stores_the_good_lines_and_hints_at_the_bad(
    slack: SlackDriver,
) -> None:
    thread = intake(slack)

    text = hint(slack, thread, "1: pt 3h\n3: wait forever\nthanks!", "UANN")

    assert text.startswith(
        "<@UANN> I recorded step 1, but I could not read this line (nothing of it is stored):"
    )
    assert "> 3: wait forever" in text.splitlines()
    assert "thanks" not in text  # conversation between answers is let be
    summary = close(slack, "Intake")
    assert (row(summary, 1).pt, row(summary, 1).respondents) == ("3 h", 1)
    assert (row(summary, 3).wait, row(summary, 3).respondents) == ("—", 0)


# ---- what the bot lets be ------------------------------------------------------------------


def test_chatter_in_the_thread_gets_no_reaction_and_no_hint(slack: SlackDriver) -> None:
    thread = intake(slack)

    chatter = [
        post(slack, thread, "thanks!", "UBO"),
        post(slack, thread, "Sounds good, I'll get to it after lunch", "UCY"),
        post(slack, thread, "<@UANN> can you answer for Triage?", "UBO"),
    ]
    barrier(slack, thread)

    assert [reactions_on(slack, ts) for ts in chatter] == [[], [], []]
    assert hints_to(slack, thread, "UBO") == hints_to(slack, thread, "UCY") == []
    assert progress(slack).endswith("0 of 3 steps have answers.")


def test_messages_from_bots_are_ignored(slack: SlackDriver) -> None:
    thread = intake(slack)

    _, _, ours = slack.bot_message("1: wait 9d", channel=HOME, thread_ts=thread)
    # Apps that post as their bot user send no subtype, only a bot_id.
    _, _, theirs = slack.bot_message(
        "2: wait 9d", channel=HOME, thread_ts=thread, bot_id="BOTHER", user="UOTHERBOT",
        subtype=None,
    )  # fmt: skip
    _, _, no_user = slack.bot_message(
        "3: wait 9d", channel=HOME, thread_ts=thread, bot_id="BOTHER", user=None
    )
    barrier(slack, thread)

    assert [reactions_on(slack, ts) for ts in (ours, theirs, no_user)] == [[], [], []]
    assert hints_to(slack, thread, "UBOT") == hints_to(slack, thread, "UOTHERBOT") == []
    assert progress(slack).endswith("0 of 3 steps have answers.")


def test_messages_outside_the_cycle_thread_are_ignored(slack: SlackDriver) -> None:
    thread = intake(slack)
    elsewhere = slack.fake.new_ts()  # some other message's thread

    sent = [
        post(slack, None, "1: wait 9d", "UBO"),  # top level
        post(slack, elsewhere, "1: wait 9d", "UBO"),
        slack.message("1: wait 9d", user="UBO", channel="C2", thread_ts=thread)[2],
    ]
    barrier(slack, thread)

    assert [reactions_on(slack, ts) for ts in sent] == [[], [], []]
    assert hints_to(slack, thread, "UBO") == []
    posts = slack.calls("chat.postMessage")
    elsewhere_posts = [
        c
        for c in posts
        if c.params.get("thread_ts") in (*sent, elsewhere) or c.params["channel"] != HOME
    ]
    assert elsewhere_posts == []
    assert [c for c in posts if not c.params.get("thread_ts")] == posts[:1]  # the cycle message
    assert progress(slack).endswith("0 of 3 steps have answers.")


# ---- edits, deletions, retries -------------------------------------------------------------


def test_an_edit_replaces_what_the_message_recorded(slack: SlackDriver) -> None:
    thread = intake(slack)
    first = answer(slack, thread, "1: wait 2d, pt 3h", "UANN")
    second = answer(slack, thread, "2: wait 1d", "UCY")

    slack.edit_message(first, "1: wait 1d", previous_text="1: wait 2d, pt 3h", user="UANN",
                       channel=HOME, thread_ts=thread)  # fmt: skip
    # The bot confirms the edit with ✅ again (Slack answers already_reacted).
    slack.wait_for("reactions.add", lambda c: c.params.get("timestamp") == first, count=2)
    text = edit_hint(slack, thread, second, "2: wait whenever", "UCY")
    summary = close(slack, "Intake")

    assert "> 2: wait whenever" in text.splitlines()
    assert (row(summary, 1).wait, row(summary, 1).pt) == ("1 d", "—")
    assert (row(summary, 2).wait, row(summary, 2).respondents) == ("—", 0)


def test_a_deletion_removes_the_answer_and_an_earlier_one_comes_back(
    slack: SlackDriver, database_url: str
) -> None:
    thread = intake(slack)
    answer(slack, thread, "1: wait 2d", "UANN")
    later = answer(slack, thread, "1: wait 3d, pt 1h", "UANN")
    only = answer(slack, thread, "2: wait 1d, pt 1h", "UCY")

    slack.delete_message(later, user="UANN", channel=HOME, thread_ts=thread)
    slack.delete_message(only, user="UCY", channel=HOME, thread_ts=thread)

    def both_deleted() -> bool:  # as the open cycle's live numbers show it
        [cycle] = exported_cycles(slack, database_url)
        triage, review, _ = cycle["steps"]
        return (triage["wait_time_s"], triage["process_time_s"], review["respondents"]) == (
            2 * 86_400, None, 0
        )  # fmt: skip

    wait_until(both_deleted, "both deletions stored")
    summary = close(slack, "Intake")

    assert (row(summary, 1).wait, row(summary, 1).pt, row(summary, 1).respondents) == (
        "2 d", "—", 1
    )  # fmt: skip
    assert (row(summary, 2).wait, row(summary, 2).respondents) == ("—", 0)
    assert "Answered by 1: <@UANN>" in summary


def test_an_event_delivered_twice_counts_once_and_gets_one_reaction(slack: SlackDriver) -> None:
    thread = intake(slack)

    _, event_id, ts = slack.message("1: wait 2d", user="UBO", channel=HOME, thread_ts=thread)
    slack.message(
        "1: wait 2d", user="UBO", channel=HOME, thread_ts=thread, ts=ts, event_id=event_id,
        retry_num=1,
    )  # fmt: skip
    # A retry whose first delivery never arrived is acted on.
    _, _, retried = slack.message(
        "2: pt 1h", user="UCY", channel=HOME, thread_ts=thread, retry_num=2
    )
    slack.wait_for("reactions.add", lambda c: c.params.get("timestamp") in (ts, retried), count=2)
    barrier(slack, thread)
    summary = close(slack, "Intake")

    assert len(reactions_on(slack, ts)) == 1
    assert len(reactions_on(slack, retried)) == 1
    assert (row(summary, 1).wait, row(summary, 1).respondents) == ("2 d", 1)
    assert row(summary, 2).pt == "1 h"


def test_the_same_signed_answer_sent_again_counts_once(slack: SlackDriver) -> None:
    # A thread answer is not recorded as a signature (its event_id, claimed with the answer,
    # guards it): a replay is acknowledged and changes nothing.
    thread = intake(slack)
    ts = slack.fake.new_ts()
    event = payloads.user_message(
        slack.workspace, text="1: wait 2d", user="UBO", channel=HOME, ts=ts, thread_ts=thread,
        parent_user_id=BOT_USER_ID,
    )  # fmt: skip
    envelope = payloads.event_callback(slack.workspace, event, event_id=payloads.new_event_id())
    request = SlackRequest(json.dumps(envelope).encode(), JSON)
    stamp = int(time.time())

    statuses = [slack.send(request, timestamp=stamp).status for _ in range(3)]
    answer(slack, thread, "2: pt 1h", user="UCY")
    barrier(slack, thread)
    summary = close(slack, "Intake")

    assert statuses == [200, 200, 200]
    assert len(reactions_on(slack, ts)) == 1
    assert (row(summary, 1).wait, row(summary, 1).respondents) == ("2 d", 1)


# ---- closed and cancelled cycles -----------------------------------------------------------


def test_replies_to_a_closed_cycle_get_a_hint_and_are_not_recorded(slack: SlackDriver) -> None:
    first = intake(slack)
    kept = answer(slack, first, "1: wait 2d, pt 1h", "UBO")
    close(slack, "Intake")

    text = hint(slack, first, "2: wait 1d, pt 1h", "UCY")
    chatter = post(slack, first, "Great work, thanks everyone!", "UCY")
    slack.delete_message(kept, user="UBO", channel=HOME, thread_ts=first)
    barrier(slack, first)
    second = open_cycle(slack, "measure intake")
    answer(slack, second, "3: wait 1h, pt 1h", "UANN")
    summary = close(slack, "Intake")

    assert text.startswith(
        "<@UCY> Cycle 1 of *Intake* is closed, so I did not record this. "
        "Answers go in the thread of the next cycle."
    )
    assert reactions_on(slack, chatter) == []
    assert len(hints_to(slack, first, "UCY")) == 1  # none for the chatter
    # Nobody answered steps 1 and 2 in cycle 2: they carry over what cycle 1 really had.
    assert (row(summary, 1).wait, row(summary, 1).carried_over) == ("2 d", True)
    assert (row(summary, 2).wait, row(summary, 2).carried_over) == ("—", False)


def test_replies_to_a_cancelled_cycle_get_a_hint_and_are_not_recorded(
    slack: SlackDriver, database_url: str
) -> None:
    thread = intake(slack)
    ok(slack, "cancel intake")

    text = hint(slack, thread, "2: wait 1d, pt 1h", "UCY")

    assert text.startswith("<@UCY> Cycle 1 of *Intake* is cancelled, so I did not record this.")
    [cycle] = exported_cycles(slack, database_url)
    assert cycle["status"] == "cancelled"
    assert [step["respondents"] for step in cycle["steps"]] == [0, 0, 0]


# ---- several answers for one step ----------------------------------------------------------


def test_several_people_on_one_step_give_the_median_and_are_counted(slack: SlackDriver) -> None:
    thread = intake(slack)

    answer(slack, thread, "1: wait 1d, pt 1h, ca 80%", "UANN")
    answer(slack, thread, "1: wait 2d, pt 2h", "UBO")
    answer(slack, thread, "1: wait 6d, pt 3h, ca 90%", "UCY")
    answer(slack, thread, "1: pt 10h", BYSTANDER)
    summary = close(slack, "Intake")

    triage = row(summary, 1)
    assert triage.wait == "2 d"  # the middle of three
    assert triage.pt == "2.5 h"  # halfway between the middle two of four
    assert triage.ca == "85%"  # halfway between two
    assert triage.respondents == 4
    assert "Answered by 4:" in summary


def test_a_later_message_overrides_only_the_fields_it_gives(slack: SlackDriver) -> None:
    thread = intake(slack)

    answer(slack, thread, "1: wait 2d, pt 3h, ca 70%", "UANN")
    answer(slack, thread, "1: pt 1h", "UANN")
    summary = close(slack, "Intake")

    triage = row(summary, 1)
    assert (triage.wait, triage.pt, triage.ca, triage.respondents) == ("2 d", "1 h", "70%", 1)
