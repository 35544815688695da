"""The shortcuts, end to end: *New value stream* from anywhere opens the form for a new
stream; *Propose as improvement* on a message opens the proposal form with the message's
text as its title and the stream homed in that channel picked."""

from tests.e2e.measuring import HOME, STREAM
from tests.e2e.surfaces import (
    inputs,
    opened_by,
    options_of,
    submit_form,
    text_of,
    use_message_shortcut,
    use_shortcut,
)
from tests.e2e.vsm_commands import card, define, ok, shown
from tests.support.driver import SlackDriver


def test_the_new_value_stream_shortcut_opens_the_form_that_makes_it(slack: SlackDriver) -> None:
    modal = opened_by(slack, use_shortcut(slack, "new_value_stream", "U1"))

    assert modal["callback_id"] == "form_new_stream"
    answer = submit_form(slack, modal, "U1", name="Order to cash", channel="C3")
    assert answer["response_action"] == "update"
    assert "Home: <#C3>" in shown(card(slack, "Order to cash"))


def test_a_message_becomes_an_improvement_of_the_stream_homed_where_it_was_said(
    slack: SlackDriver,
) -> None:
    define(slack, STREAM, '"Contract review"', '"Account setup"', channel=HOME)
    said = "Contracts wait 2 days for legal & <finance>\nevery single time"

    modal = opened_by(
        slack, use_message_shortcut(slack, "propose_improvement", "UBO", HOME, said, "UANN")
    )

    fields = inputs(modal)
    assert fields["title"]["element"]["initial_value"] == (
        "Contracts wait 2 days for legal & <finance> every single time"
    )
    where = fields["where"]["element"]
    sid = where["initial_option"]["value"].split(":")[0]
    assert options_of(fields["where"]) == [f"{sid}:0", f"{sid}:1", f"{sid}:2"]
    answer = submit_form(slack, modal, "UBO", where=f"{sid}:1", owner="UANN", effort="s")
    assert answer["response_action"] == "update"
    listed = shown(ok(slack, 'improvements "Onboarding"'))
    assert "Contracts wait 2 days for legal & <finance> every single time" in listed
    assert "Contract review" in listed


def test_a_long_message_is_cut_to_a_title(slack: SlackDriver) -> None:
    define(slack, STREAM, '"Contract review"', channel=HOME)

    modal = opened_by(
        slack,
        use_message_shortcut(slack, "propose_improvement", "UBO", "C9", "word " * 100, "UANN"),
    )

    title = inputs(modal)["title"]["element"]["initial_value"]
    assert len(title) == 200
    assert title.endswith("…")
    assert "initial_option" not in inputs(modal)["where"]["element"]  # no stream homed in C9


def test_with_no_stream_the_shortcut_says_so(slack: SlackDriver) -> None:
    trigger = use_message_shortcut(slack, "propose_improvement", "UBO", HOME, "An idea", "UANN")

    notice = opened_by(slack, trigger)

    assert "No value stream here yet to improve." in text_of(notice)


def test_the_stream_homed_where_it_was_said_is_offered_first_when_not_all_fit(
    slack: SlackDriver,
) -> None:
    for n in range(26):  # 26 streams of 3 steps: 104 places, more than a select holds
        define(slack, f"Stream {n:02}", '"A"', '"B"', '"C"', channel="C1" if n < 25 else "C5")

    modal = opened_by(
        slack, use_message_shortcut(slack, "propose_improvement", "U1", "C5", "Idea", "U1")
    )

    where = inputs(modal)["where"]["element"]
    assert where["option_groups"][0]["label"]["text"] == "Stream 25"
    assert where["initial_option"] == where["option_groups"][0]["options"][0]
    assert len(options_of(inputs(modal)["where"])) == 100
