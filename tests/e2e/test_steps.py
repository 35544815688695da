"""The steps of a stream through the running bot: add, edit, move, remove, and their limits."""

from tests.e2e.vsm_commands import (
    USAGE,
    card,
    define,
    list_rows,
    ok,
    refused,
    shown,
    step_lines,
    step_names,
)
from tests.support.driver import SlackDriver


def steps_of(slack: SlackDriver, stream: str = "Onboarding") -> list[str]:
    return step_lines(card(slack, stream))


def names_of(slack: SlackDriver, stream: str = "Onboarding") -> list[str]:
    return step_names(card(slack, stream))


# ---- add ------------------------------------------------------------------------------------


def test_a_step_is_added_at_the_end_with_its_team_and_people(slack: SlackDriver) -> None:
    ok(slack, "new Onboarding")

    first = ok(slack, 'step add Onboarding "Contract review" team:Legal people:<@U1|ann> <@U2>')
    second = ok(slack, "step add onboarding Kickoff")

    assert "Added step *Contract review* (now step 1) in *Onboarding*." in first.all_text
    assert "Added step *Kickoff* (now step 2) in *Onboarding*." in second.all_text
    expected = ["*1. Contract review* — Legal · <@U1>, <@U2>", "*2. Kickoff*"]
    assert step_lines(second) == expected
    assert steps_of(slack) == expected


def test_a_step_added_at_a_position_moves_the_later_steps_down(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Review", "Kickoff")

    first = ok(slack, "step add Onboarding Setup at:1")
    middle = ok(slack, "step add Onboarding Training at:3")
    last = ok(slack, "step add Onboarding Handover at:5")

    assert "(now step 1)" in first.all_text
    assert "(now step 3)" in middle.all_text
    assert "(now step 5)" in last.all_text
    assert names_of(slack) == ["Setup", "Review", "Training", "Kickoff", "Handover"]


def test_people_may_be_separated_by_commas_and_are_listed_once(slack: SlackDriver) -> None:
    ok(slack, "new Onboarding")

    ok(slack, "step add Onboarding Review people:<@U1>, <@U2|bo>, <@U1>")

    assert steps_of(slack) == ["*1. Review* · <@U1>, <@U2>"]


def test_twenty_people_fit_on_a_step(slack: SlackDriver) -> None:
    crowd = [f"U{n:04d}" for n in range(20)]
    ok(slack, "new Onboarding")

    ok(slack, "step add Onboarding Review people:" + " ".join(f"<@{u}>" for u in crowd))

    assert steps_of(slack) == ["*1. Review* · " + ", ".join(f"<@{u}>" for u in crowd)]


def test_a_step_name_in_use_is_refused_ignoring_case(slack: SlackDriver) -> None:
    define(slack, "Onboarding", '"Contract review"', "Kickoff")

    reply = refused(slack, 'step add Onboarding "CONTRACT REVIEW" team:Ops')

    assert "Step 1 is already called “Contract review”." in shown(reply)
    assert USAGE["step add"] in shown(reply)
    assert names_of(slack) == ["Contract review", "Kickoff"]


def test_the_same_step_name_may_be_used_in_another_stream(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Kickoff")
    define(slack, "Sales", "Kickoff")

    assert names_of(slack, "Sales") == ["Kickoff"]


def test_the_51st_step_is_refused(slack: SlackDriver) -> None:
    define(slack, "Onboarding", *(f'"Step {n}"' for n in range(1, 51)))

    reply = refused(slack, 'step add Onboarding "One more"')

    assert "“Onboarding” already has 50 steps, the most a stream can have." in shown(reply)
    assert USAGE["step add"] in shown(reply)
    assert list_rows(ok(slack, "list")) == ["• *Onboarding* — 50 steps"]
    assert names_of(slack)[-1] == "Step 50"


def test_adding_at_a_position_past_the_end_is_refused(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Review", "Kickoff")

    reply = refused(slack, "step add Onboarding Setup at:4")

    assert "at: can be 1 to 3 for “Onboarding”; 4 is out of range." in shown(reply)
    assert names_of(slack) == ["Review", "Kickoff"]


# ---- edit -----------------------------------------------------------------------------------


def test_edit_changes_only_what_is_given(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Review team:Legal people:<@U1>", "Kickoff")

    renamed = ok(slack, 'step edit Onboarding 1 name:"Contract review"')
    assert "Changed step *Contract review* in *Onboarding*." in renamed.all_text
    assert steps_of(slack)[0] == "*1. Contract review* — Legal · <@U1>"

    ok(slack, 'step edit Onboarding 1 team:"Legal ops"')
    assert steps_of(slack)[0] == "*1. Contract review* — Legal ops · <@U1>"

    ok(slack, "step edit Onboarding 1 people:<@U2> <@U3|cy>")
    assert steps_of(slack) == ["*1. Contract review* — Legal ops · <@U2>, <@U3>", "*2. Kickoff*"]


def test_edit_with_people_alone_clears_the_people(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Review team:Legal people:<@U1> <@U2>")

    ok(slack, "step edit Onboarding 1 people:")

    assert steps_of(slack) == ["*1. Review* — Legal"]


def test_edit_to_a_name_another_step_has_is_refused_ignoring_case(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Review", "Kickoff")

    reply = refused(slack, "step edit Onboarding 1 name:KICKOFF")

    assert "Step 2 is already called “Kickoff”." in shown(reply)
    assert names_of(slack) == ["Review", "Kickoff"]


def test_a_step_may_be_renamed_to_its_own_name_in_other_case(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Review", "Kickoff")

    ok(slack, "step edit Onboarding 2 name:KICKOFF")

    assert names_of(slack) == ["Review", "KICKOFF"]


def test_editing_a_step_that_is_not_there_is_refused(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "Review", "Kickoff")
    ok(slack, "new Empty")

    past = refused(slack, "step edit Onboarding 3 team:Ops")
    empty = refused(slack, "step edit Empty 1 team:Ops")

    assert "“Onboarding” has steps 1 to 2; there is no step 3." in shown(past)
    assert USAGE["step edit"] in shown(past)
    assert "“Empty” has no steps yet." in shown(empty)
    assert steps_of(slack) == ["*1. Review*", "*2. Kickoff*"]


# ---- move -----------------------------------------------------------------------------------


def test_move_a_step_up(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "A", "B", "C", "D")

    reply = ok(slack, "step move Onboarding 3 1")

    assert "Moved step *C* (now step 1) in *Onboarding*." in reply.all_text
    assert step_names(reply) == ["C", "A", "B", "D"]
    assert names_of(slack) == ["C", "A", "B", "D"]


def test_move_a_step_down(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "A", "B", "C", "D")

    ok(slack, "step move Onboarding 1 3")

    assert names_of(slack) == ["B", "C", "A", "D"]


def test_a_step_keeps_its_team_and_people_when_moved(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "A team:Ops people:<@U1>", "B")

    ok(slack, "step move Onboarding 1 2")

    assert steps_of(slack) == ["*1. B*", "*2. A* — Ops · <@U1>"]


def test_moving_from_or_to_a_position_that_is_not_there_is_refused(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "A", "B")

    to_far = refused(slack, "step move Onboarding 1 3")
    from_far = refused(slack, "step move Onboarding 3 1")

    assert "there is no step 3" in shown(to_far)
    assert "there is no step 3" in shown(from_far)
    assert USAGE["step move"] in shown(to_far)
    assert names_of(slack) == ["A", "B"]


# ---- remove ---------------------------------------------------------------------------------


def test_removing_a_step_moves_the_later_steps_up(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "A team:Ops", "B", "C people:<@U3>")

    reply = ok(slack, "step remove Onboarding 2")

    assert "Removed step *B* in *Onboarding*." in reply.all_text
    assert steps_of(slack) == ["*1. A* — Ops", "*2. C* · <@U3>"]


def test_a_removed_steps_name_can_be_used_again(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "A", "B")
    ok(slack, "step remove Onboarding 1")

    ok(slack, "step add Onboarding a at:1")

    assert names_of(slack) == ["a", "B"]


def test_removing_the_last_step_leaves_an_empty_card(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "A")

    ok(slack, "step remove Onboarding 1")

    reply = card(slack, "Onboarding")
    assert step_lines(reply) == []
    assert "No steps yet." in reply.all_text
    assert reply.text == "Onboarding: 0 steps"


def test_removing_a_step_that_is_not_there_is_refused(slack: SlackDriver) -> None:
    define(slack, "Onboarding", "A", "B")

    reply = refused(slack, "step remove Onboarding 3")

    assert "“Onboarding” has steps 1 to 2; there is no step 3." in shown(reply)
    assert USAGE["step remove"] in shown(reply)
    assert names_of(slack) == ["A", "B"]
