"""The "Enter my timings" form, end to end: the button on the cycle message opens a modal with
the person's steps, prefilled; what they submit is checked field by field, stored in place of
what they said in the thread, and shows in the summary."""

from typing import Any
from urllib.parse import urlsplit

from tests.e2e.measuring import HOME, answer, close, cycle_message, open_cycle, row
from tests.e2e.vsm_commands import card, define, shown
from tests.support.driver import RESPONSE_URL, SlackDriver

STREAM = "Onboarding"
# Ann is at steps 1 and 3, Bo at 1, Cy at 2; Zed at none.
STEPS = (
    '"Contract review" people:<@UANN|ann> <@UBO|bo>',
    '"Account setup" people:<@UCY|cy>',
    '"Kickoff call" people:<@UANN|ann>',
)


def onboarding(slack: SlackDriver) -> str:
    """The stream with its first cycle open; returns the cycle's thread."""
    define(slack, STREAM, *STEPS, channel=HOME)
    return open_cycle(slack, "measure onboarding")


def click(slack: SlackDriver, thread: str, user: str) -> Any:
    """`user` clicks "Enter my timings" on the cycle message; returns the HTTP result."""
    [button] = [
        element
        for block in cycle_message(slack, thread)["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    result = slack.block_action(
        button["action_id"], button["value"], user=user, channel=HOME, message_ts=thread
    )
    assert result.status == 200
    return result


def open_form(slack: SlackDriver, thread: str, user: str) -> dict[str, Any]:
    """Click the button; returns the modal the bot opened with the click's trigger_id."""
    result = click(slack, thread, user)
    [opened] = slack.wait_for(
        "views.open", lambda c: c.params.get("trigger_id") == result.trigger_id
    )
    assert opened.ok, opened.response
    view = slack.fake.view(opened.response["view"]["id"])
    assert view is not None
    return view


def inputs(view: dict[str, Any]) -> dict[str, str]:
    """The form's fields by block id, with what they show (empty when not prefilled)."""
    return {
        block["block_id"]: block["element"].get("initial_value")
        or block["element"].get("initial_option", {}).get("value", "")
        for block in view["blocks"]
        if block["type"] == "input"
    }


def submit(slack: SlackDriver, view: dict[str, Any], user: str, **typed: str) -> dict[str, Any]:
    """Submit the form as the person sees it with `typed` changed ("" clears a field)."""
    values = {**inputs(view), **typed}
    state = {block: {"value": _state(block, text)} for block, text in values.items()}
    return slack.view_submission(None, state, user=user, view_id=view["id"])


def _state(block: str, text: str) -> dict[str, Any]:
    """What Slack sends for a field: a select's chosen option, or the text typed."""
    if block.endswith("_cause"):
        chosen = {"text": {"type": "plain_text", "text": text}, "value": text} if text else None
        return {"type": "static_select", "selected_option": chosen}
    return {"type": "plain_text_input", "value": text or None}


def test_the_button_opens_a_form_with_only_the_persons_steps_prefilled(
    slack: SlackDriver,
) -> None:
    thread = onboarding(slack)
    answer(slack, thread, "1: wait 2d, pt 1h 30m, ca 70%", "UANN")
    answer(slack, thread, "1: wait 9d", "UBO")  # someone else's answer is not Ann's to see

    view = open_form(slack, thread, "UANN")

    assert (view["type"], view["callback_id"]) == ("modal", "timings_submit")
    assert inputs(view) == {
        "s1_wait": "2d", "s1_cause": "", "s1_pt": "1h 30m", "s1_ca": "70%",
        "s3_wait": "", "s3_cause": "", "s3_pt": "", "s3_ca": "",
    }  # fmt: skip
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels[0] == "1. Contract review — wait before you start"
    assert "Your steps:" in shown_text(view)
    assert list(inputs(open_form(slack, thread, "UCY"))) == [
        "s2_wait", "s2_cause", "s2_pt", "s2_ca"
    ]  # fmt: skip


def shown_text(view: dict[str, Any]) -> str:
    return "\n".join(
        block["text"]["text"] for block in view["blocks"] if block["type"] == "section"
    )


def test_someone_at_no_step_gets_every_step(slack: SlackDriver) -> None:
    thread = onboarding(slack)

    view = open_form(slack, thread, "UZED")

    assert list(inputs(view)) == [
        f"s{n}_{f}" for n in (1, 2, 3) for f in ("wait", "cause", "pt", "ca")
    ]
    assert "You are not named at any step, so here are all of them" in shown_text(view)


def test_bad_values_are_refused_on_their_own_fields_and_nothing_is_stored(
    slack: SlackDriver,
) -> None:
    thread = onboarding(slack)
    view = open_form(slack, thread, "UANN")

    refused = submit(slack, view, "UANN", s1_wait="soon", s1_ca="150%", s3_pt="3h")

    assert refused["response_action"] == "errors"
    assert set(refused["errors"]) == {"s1_wait", "s1_ca"}
    assert "I can't read `soon` in it." in refused["errors"]["s1_wait"]
    assert "a percentage cannot be more than 100" in refused["errors"]["s1_ca"]
    assert "0 of 3 steps have answers" in shown(card(slack, STREAM))  # not even step 3's pt


def test_an_empty_form_is_refused(slack: SlackDriver) -> None:
    thread = onboarding(slack)
    view = open_form(slack, thread, "UANN")

    refused = submit(slack, view, "UANN")

    assert refused == {
        "response_action": "errors",
        "errors": {"s1_wait": "Give at least one value."},
    }
    assert "0 of 3 steps have answers" in shown(card(slack, STREAM))


def test_good_values_replace_what_the_person_said_in_the_thread(slack: SlackDriver) -> None:
    thread = onboarding(slack)
    answer(slack, thread, "1: wait 2d, pt 3h, ca 70%\n3: wait 1h", "UANN")
    answer(slack, thread, "1: wait 4d", "UBO")
    view = open_form(slack, thread, "UANN")

    accepted = submit(slack, view, "UANN", s1_wait="1d 2h 30m", s1_pt="", s1_ca="80")

    assert accepted == {}  # the modal closes
    again = inputs(open_form(slack, thread, "UANN"))
    assert again == {
        "s1_wait": "1d 2h 30m", "s1_cause": "", "s1_pt": "", "s1_ca": "80%",
        "s3_wait": "1h", "s3_cause": "", "s3_pt": "", "s3_ca": "",
    }  # fmt: skip
    summary = close(slack)
    contract = row(summary, 1)
    # Ann's 1 d 2 h 30 m beside Bo's 4 d: the median is 2 d 13 h 15 m.
    assert (contract.wait, contract.pt, contract.ca, contract.respondents) == (
        "2.6 d", "—", "80%", 2
    )  # fmt: skip
    assert row(summary, 3).wait == "1 h"


def test_a_later_thread_answer_overrides_the_form(slack: SlackDriver) -> None:
    thread = onboarding(slack)
    view = open_form(slack, thread, "UCY")
    assert submit(slack, view, "UCY", s2_wait="1d", s2_pt="2h") == {}

    answer(slack, thread, "pt 1h", "UCY")
    summary = close(slack)

    assert (row(summary, 2).wait, row(summary, 2).pt) == ("1 d", "1 h")


def test_a_form_submitted_after_the_cycle_closed_is_refused_and_stores_nothing(
    slack: SlackDriver,
) -> None:
    thread = onboarding(slack)
    answer(slack, thread, "1: wait 2d, pt 3h", "UANN")
    view = open_form(slack, thread, "UANN")
    close(slack)

    refused = submit(slack, view, "UANN", s1_wait="1d", s3_wait="5h")

    assert refused == {
        "response_action": "errors",
        "errors": {"s1_wait": "Cycle 1 of “Onboarding” is closed; answers are over."},
    }
    # Cycle 2 carries step 1 over from what cycle 1 really holds, and has nothing for step 3.
    second = open_cycle(slack, "measure onboarding")
    answer(slack, second, "2: wait 1h", "UCY")
    summary = close(slack)
    assert (row(summary, 1).wait, row(summary, 1).carried_over) == ("2 d", True)
    assert row(summary, 3).wait == "—"


def test_the_button_of_a_closed_cycle_says_answers_are_over(slack: SlackDriver) -> None:
    thread = onboarding(slack)
    answer(slack, thread, "1: wait 2d", "UANN")
    close(slack)

    result = click(slack, thread, "UANN")

    path = urlsplit(result.response_url).path
    [reply] = slack.wait_for(RESPONSE_URL, lambda c: c.path == path)
    assert reply.params["response_type"] == "ephemeral"
    assert "Cycle 1 of “Onboarding” is closed; answers are over." in str(reply.params["text"])
    assert slack.calls("views.open") == []


def test_the_cause_picker_stores_why_work_waited_and_shows_it_again(slack: SlackDriver) -> None:
    thread = onboarding(slack)
    answer(slack, thread, "1: wait 2d for approval", "UANN")
    view = open_form(slack, thread, "UANN")
    assert inputs(view)["s1_cause"] == "decision"  # what the thread said, picked already
    [picker] = [b for b in view["blocks"] if b.get("block_id") == "s1_cause"]
    values = [option["value"] for option in picker["element"]["options"]]
    assert values == ["decision", "capacity", "dependency", "information", "batch", "other"]

    accepted = submit(slack, view, "UANN", s1_cause="capacity", s3_wait="1d", s3_cause="batch")

    assert accepted == {}
    again = inputs(open_form(slack, thread, "UANN"))
    assert (again["s1_cause"], again["s3_cause"]) == ("capacity", "batch")


def test_a_cause_without_a_wait_is_refused_on_its_field(slack: SlackDriver) -> None:
    thread = onboarding(slack)
    view = open_form(slack, thread, "UANN")

    refused = submit(slack, view, "UANN", s1_pt="1h", s3_cause="decision")

    assert refused == {
        "response_action": "errors",
        "errors": {"s3_cause": "A cause says why work waited: give the wait too."},
    }
    assert "0 of 3 steps have answers" in shown(card(slack, STREAM))
