"""The App Home tab, end to end: what the person who opens it owes, the streams they own or
work on with their latest numbers, the improvements they own with buttons to move them on —
published again, without being opened, when something it shows changes."""

from tests.e2e.measuring import (
    HOME,
    STREAM,
    answer,
    answer_example,
    close,
    define_example,
    open_cycle,
)
from tests.e2e.surfaces import (
    click,
    click_home,
    find_element,
    home_until,
    open_home,
    opened_by,
    submit_form,
    text_of,
)
from tests.e2e.vsm_commands import define, ok
from tests.support.driver import SlackDriver

STEPS = (
    '"Contract review" people:<@UANN|ann> <@UBO|bo>',
    '"Account setup" people:<@UCY|cy>',
    '"Kickoff call" people:<@UANN|ann>',
)


def test_the_home_shows_what_the_person_still_owes_and_the_button_opens_their_form(
    slack: SlackDriver,
) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    thread = open_cycle(slack, "measure onboarding")

    home = open_home(slack, "UANN", lambda v: "Answers you owe" in text_of(v))

    assert home["type"] == "home"
    shown = text_of(home)
    assert "Answers you owe" in shown
    assert f"*Onboarding*, cycle 1 in <#{HOME}>: 1. Contract review, 3. Kickoff call" in shown
    modal = click_home(slack, home, "home_timings", "UANN")
    assert modal["callback_id"] == "timings_submit", text_of(modal)
    assert submit_form(slack, modal, "UANN", s1_wait="1d") == {}
    # The form's answer refreshes the Home by itself: step 1 is no longer owed.
    home = home_until(slack, "UANN", lambda v: "1. Contract review" not in text_of(v))
    assert "cycle 1 in" in text_of(home)
    assert "3. Kickoff call" in text_of(home)
    said = answer(slack, thread, "3: wait 2h", "UANN")
    home = home_until(slack, "UANN", lambda v: "Answers you owe" not in text_of(v))
    assert "Cycle 1 is open: 2 of 3 steps have answers." in text_of(home)
    # Deleting the answer makes step 3 owed again.
    slack.delete_message(said, user="UANN", channel=HOME, thread_ts=thread)
    home = home_until(slack, "UANN", lambda v: "Answers you owe" in text_of(v))
    assert "3. Kickoff call" in text_of(home)


def test_someone_at_no_step_owes_nothing_and_sees_where_to_start(slack: SlackDriver) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    open_cycle(slack, "measure onboarding")

    shown = text_of(open_home(slack, "UZED"))

    assert "Answers you owe" not in shown
    assert "You own no value stream and are named at no step yet. The workspace has 1" in shown
    labels = [e["text"]["text"] for e in _bottom_buttons(open_home(slack, "UZED"))]
    assert labels == ["New value stream", "Add a step", "Measure now", "Schedule"]


def _bottom_buttons(view: dict) -> list[dict]:
    last_actions = [b for b in view["blocks"] if b["type"] == "actions"][-1]
    return list(last_actions["elements"])


def test_a_stream_shows_its_latest_numbers_and_its_owner_gets_the_buttons_to_change_it(
    slack: SlackDriver,
) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    answer_example(slack, thread)
    close(slack)

    owner = open_home(slack, "U1", lambda v: "35.2%" in text_of(v))
    worker = open_home(slack, "UANN", lambda v: "35.2%" in text_of(v))

    for view in (owner, worker):
        assert "activity ratio 3.8%, rolled %C&amp;A 35.2%" in text_of(view)
    assert "you own it" in text_of(owner)
    assert "you own it" not in text_of(worker)
    stream_id = find_element(owner, "home_add_step")["value"]
    for action in ("home_add_step", "home_measure", "home_schedule", "home_target"):
        find_element(owner, action, stream_id)
    assert [e["action_id"] for e in _stream_buttons(worker)] == ["home_propose"]
    changer = find_element(owner, "home_change_step")
    assert [o["text"]["text"] for o in changer["options"]][:2] == [
        "1. Contract review",
        "2. Account setup",
    ]


def _stream_buttons(view: dict) -> list[dict]:
    first_actions = next(b for b in view["blocks"] if b["type"] == "actions")
    return list(first_actions["elements"])


def test_the_home_is_published_again_when_a_stream_it_shows_changes(slack: SlackDriver) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    open_home(slack, "UCY", lambda v: "3 steps" in text_of(v))

    ok(slack, 'step add "Onboarding" "Go-live check" people:<@UCY|cy>')
    home = home_until(slack, "UCY", lambda v: "4 steps" in text_of(v))
    ok(slack, "measure onboarding")
    home = home_until(slack, "UCY", lambda v: "Answers you owe" in text_of(v))

    assert "2. Account setup, 4. Go-live check" in text_of(home)


def test_an_owner_of_an_improvement_moves_it_on_from_the_home(slack: SlackDriver) -> None:
    define(slack, STREAM, *STEPS, channel=HOME)
    ok(slack, 'improve "Onboarding" "Shared checklist" step:1 owner:<@UANN|ann>')
    home = open_home(slack, "UANN", lambda v: "Shared checklist" in text_of(v))
    assert "*#1 Shared checklist* — Onboarding · proposed" in text_of(home)
    start = find_element(home, "home_improvement_doing")

    click(slack, home, start, "UANN")
    home = home_until(slack, "UANN", lambda v: "under way" in text_of(v))

    assert [e["text"]["text"] for e in _improvement_buttons(home)] == ["Mark done", "Drop"]
    # Someone who neither owns it nor the stream is told who may, and nothing moves.
    _, trigger = click(slack, home, find_element(home, "home_improvement_done"), "UZED")
    notice = opened_by(slack, trigger)
    assert "Only the owners of *Onboarding* (<@U1>) or a workspace admin can move" in text_of(
        notice
    )
    assert "under way" in text_of(open_home(slack, "UANN", lambda v: "#1" in text_of(v)))


def _improvement_buttons(view: dict) -> list[dict]:
    return [e for e in _all_buttons(view) if e["action_id"].startswith("home_improvement_")]


def _all_buttons(view: dict) -> list[dict]:
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_a_long_home_stays_within_100_blocks_and_says_how_many_more(slack: SlackDriver) -> None:
    for n in range(14):
        define(slack, f"Stream {n:02}", '"Only step" people:<@UANN|ann>', channel=HOME)

    home = open_home(slack, "UANN", lambda v: "And 2 more streams" in text_of(v))

    assert len(home["blocks"]) <= 100
    assert "And 2 more streams: `/vsm list` shows them all." in text_of(home)
    assert "Stream 11" in text_of(home)
    assert "Stream 12" not in text_of(home)
