"""The meaning of value, end to end: `/vsm value` posts the instrument (in the open cycle's
thread), its button opens a form (a layer, 100 points over the dimensions, a sentence) checked
field by field; results are added up per layer, never per person, and shown in
`/vsm value … results`, the summary of the cycle it ran in and the digest; owners change the
layers and dimensions in a form."""

import json
from typing import Any

from tests.e2e.measuring import HOME, answer, close, define_example, flat, open_cycle
from tests.e2e.vsm_commands import ok, send, shown
from tests.support.cli_in_process import run_main
from tests.support.driver import SlackDriver

STREAM = "Onboarding"
# Three at leadership, three at operations, one producer (too few to show).
LEADERSHIP = {
    "ULEA1": {"revenue": 50, "customer-outcome": 30, "cost": 20},
    "ULEA2": {"revenue": 40, "customer-outcome": 40, "cost": 20},
    "ULEA3": {"revenue": 60, "customer-outcome": 20, "cost": 20},
}
OPERATIONS = {
    "UOPS1": {"customer-outcome": 40, "quality-and-risk": 40, "revenue": 20},
    "UOPS2": {"customer-outcome": 50, "quality-and-risk": 30, "revenue": 20},
    "UOPS3": {"customer-outcome": 30, "quality-and-risk": 50, "revenue": 20},
}


def instrument(slack: SlackDriver) -> Any:
    """The instrument the bot posted (the latest)."""
    posts = slack.wait_for(
        "chat.postMessage", lambda c: str(c.params.get("text", "")).startswith("What is ")
    )
    return posts[-1]


def open_form(slack: SlackDriver, user: str) -> dict[str, Any]:
    """`user` clicks *Give my view* on the latest instrument; returns the modal opened."""
    post = instrument(slack)
    [button] = [
        element
        for block in post.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    result = slack.block_action(
        button["action_id"], button["value"], user=user, channel=HOME,
        message_ts=post.response["ts"],
    )  # fmt: skip
    assert result.status == 200
    [opened] = slack.wait_for(
        "views.open", lambda c: c.params.get("trigger_id") == result.trigger_id
    )
    assert opened.ok, opened.response
    view = slack.fake.view(opened.response["view"]["id"])
    assert view is not None
    return view


def give(
    slack: SlackDriver,
    view: dict[str, Any],
    user: str,
    layer: str | None,
    points: dict[str, Any],
    sentence: str | None = None,
) -> dict[str, Any]:
    """Submit the form with this layer, these points (the rest empty) and sentence."""
    state: dict[str, Any] = {
        "layer": {
            "value": {
                "type": "static_select",
                "selected_option": {"value": layer} if layer else None,
            }
        },
        "sentence": {"value": {"type": "plain_text_input", "value": sentence}},
    }
    for block in view["blocks"]:
        if block.get("block_id", "").startswith("d_"):
            typed = points.get(block["block_id"][2:])
            text = None if typed is None else str(typed)
            state[block["block_id"]] = {"value": {"type": "plain_text_input", "value": text}}
    return slack.view_submission(None, state, user=user, view_id=view["id"])


def everyone_answers(slack: SlackDriver) -> None:
    for layer, people in (("leadership", LEADERSHIP), ("operations", OPERATIONS)):
        for user, points in people.items():
            sentence = "Growth in new markets." if user == "ULEA1" else None
            assert give(slack, open_form(slack, user), user, layer, points, sentence) == {}
    producer = {"customer-outcome": 100}
    assert give(slack, open_form(slack, "UPRO1"), "UPRO1", "producer", producer, "Mine.") == {}


def test_the_instrument_goes_into_the_open_cycles_thread_and_its_form_asks_100_points(
    slack: SlackDriver,
) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")

    reply = shown(ok(slack, 'value "Onboarding"'))

    assert "Asked what *Onboarding* is for (run 1) in the thread of cycle 1" in reply
    post = instrument(slack)
    assert post.params["thread_ts"] == thread
    assert "Spread 100 points" in post.params["text"]
    view = open_form(slack, "UANN")
    assert (view["callback_id"], json.loads(view["private_metadata"])) == (
        "value_submit",
        {"run": 1},
    )
    blocks = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert blocks == [
        "layer", "d_customer-outcome", "d_revenue", "d_cost", "d_speed-to-market",
        "d_quality-and-risk", "d_compliance", "d_learning", "d_people", "sentence",
    ]  # fmt: skip


def test_the_form_checks_each_field_and_the_sum_and_stores_nothing_wrong(
    slack: SlackDriver,
) -> None:
    define_example(slack)
    posted = shown(ok(slack, 'value "Onboarding"'))  # no cycle open: into the home channel
    assert f"Asked what *Onboarding* is for (run 1) in <#{HOME}>." in posted
    assert "thread_ts" not in instrument(slack).params
    view = open_form(slack, "UANN")

    short = give(slack, view, "UANN", "leadership", {"revenue": 60, "cost": 30})
    wrong = give(slack, view, "UANN", None, {"revenue": "ten", "cost": -5})

    assert short == {
        "response_action": "errors",
        "errors": {
            "d_people": "Your points add up to 90; spread exactly 100 over the dimensions "
            "(10 more)."
        },
    }
    assert wrong["errors"] == {
        "layer": "Pick your layer. The layers are Leadership, Management, Operations, "
        "Producer, Consumer.",
        "d_revenue": "`ten` for Revenue is not a whole number of points.",
        "d_cost": "Points cannot be negative (`-5` for Cost).",
    }
    assert "0 answers" in shown(ok(slack, 'value "Onboarding" results'))


def test_results_by_layer_alignment_and_the_most_disputed_dimension_never_per_person(
    slack: SlackDriver,
) -> None:
    define_example(slack)
    ok(slack, 'value "Onboarding"')
    everyone_answers(slack)
    # A later answer replaces the person's earlier one (still three leadership answers).
    again = {"revenue": 50, "customer-outcome": 30, "cost": 20}
    assert give(slack, open_form(slack, "ULEA1"), "ULEA1", "leadership", again, "Growth.") == {}

    text = shown(ok(slack, 'value "Onboarding" results', user="UOPS1"))

    # Leadership means: revenue 50, customer outcome 30, cost 20; operations: customer
    # outcome 40, quality and risk 40, revenue 20. Σ|A−B| = 30+10+20+40 = 100: 50% alike.
    assert "(value instrument, run 1, 7 answers)" in text
    assert "*Alignment between layers:* *50%*" in text
    assert "Leadership ↔ Operations 50%" in text
    assert "*Most disputed:* Quality and risk — Operations 40.0 points, Leadership 0.0" in text
    assert "• *Leadership*: 3 people — Revenue 50.0 · Customer outcome 30.0 · Cost 20.0" in text
    assert "• *Operations*: 3 people — Customer outcome 40.0 · Quality and risk 40.0" in text
    assert "• *Producer*: _too few answers_" in text
    table = text[text.index("*Mean points per dimension*") :].splitlines()
    assert table[2:5] == [
        "Dimension              Leadership Operations",
        "Customer outcome             30.0       40.0",
        "Revenue                      50.0       20.0",
    ]
    assert "_“Growth.”_" in text
    assert "Growth in new markets." not in text  # replaced
    assert "Mine." not in text  # a layer of one is never shown, nor its sentence
    for person in (*LEADERSHIP, *OPERATIONS, "UPRO1"):
        assert person not in text


def test_the_summary_of_the_cycle_it_ran_in_shows_it_and_the_next_run_the_change(
    slack: SlackDriver, database_url: str
) -> None:
    define_example(slack)
    thread = open_cycle(slack, "measure onboarding")
    ok(slack, 'value "Onboarding"')
    everyone_answers(slack)
    answer(slack, thread, "1: wait 2d pt 3h", "UANN")

    summary = close(slack)

    assert "*What is Onboarding for?* (value instrument, run 1, cycle 1, 7 answers)" in summary
    assert "*Alignment between layers:* *50%*" in summary
    # Run 2, in cycle 2: operations moves towards leadership (revenue 50, customer outcome
    # 30, cost 20).
    second_cycle = open_cycle(slack, "measure onboarding")
    ok(slack, 'value "Onboarding"')
    for user in OPERATIONS:
        assert give(slack, open_form(slack, user), user, "operations", LEADERSHIP["ULEA1"]) == {}
    for user, points in LEADERSHIP.items():
        assert give(slack, open_form(slack, user), user, "leadership", points) == {}
    answer(slack, second_cycle, "1: wait 1d", "UANN")
    later = close(slack)
    assert "*Alignment between layers:* 50% → *100%* (+50 pts since run 1)" in later
    text = shown(ok(slack, 'value "Onboarding" results'))
    assert "*Alignment between layers:* 50% → *100%* (+50 pts since run 1)" in text
    digest = flat(slack_digest(slack))
    assert "Value alignment (run 2): 50% → 100% (+50 pts)" in digest
    first, second = export(slack, database_url)["value"]
    assert (first["number"], first["cycle"], first["answers"]) == (1, 1, 7)
    assert (first["overall"], first["change"]) == (0.5, None)
    assert (second["cycle"], second["overall"], second["change"]) == (2, 1.0, 0.5)
    leadership, _, operations, producer, _ = first["profiles"]
    assert leadership["means"]["revenue"] == 50
    assert leadership["top"][0] == "revenue"
    assert leadership["sentences"] == ["Growth in new markets."]
    assert operations["people"] == 3
    assert producer == {
        "layer": "producer", "people": None, "too_few": True, "means": {}, "top": [],
        "sentences": [],
    }  # fmt: skip
    assert first["pairs"] == [{"first": "leadership", "second": "operations", "alignment": 0.5}]
    assert first["most_disputed"] == {
        "dimension": "quality-and-risk", "highest": "operations", "lowest": "leadership",
        "spread": 40.0,
    }  # fmt: skip


def slack_digest(slack: SlackDriver) -> dict[str, Any]:
    before = len(slack.calls("chat.postMessage"))
    ok(slack, "digest now")
    [post] = slack.wait_for("chat.postMessage", count=before + 1)[before:]
    return dict(post.params)


def test_owners_change_the_layers_and_dimensions_in_a_form(
    slack: SlackDriver, database_url: str
) -> None:
    define_example(slack)
    refusal = shown(send(slack, 'value "Onboarding" edit', user="USTRANGER"))
    assert "Only the owners of *Onboarding*" in refusal
    result = slack.command_raw('value "Onboarding" edit', channel=HOME)
    assert "Editing the layers and value dimensions" in flat(dict(slack.reply_to(result).payload))
    [opened] = slack.wait_for(
        "views.open", lambda c: c.params.get("trigger_id") == result.trigger_id
    )
    view = slack.fake.view(opened.response["view"]["id"])
    assert view is not None

    def save(layers: str, dimensions: str) -> dict[str, Any]:
        state = {
            "layers": {"value": {"type": "plain_text_input", "value": layers}},
            "dimensions": {"value": {"type": "plain_text_input", "value": dimensions}},
        }
        return slack.view_submission(None, state, view_id=view["id"])

    refused = save("Board", "Speed\nSpeed")
    assert set(refused["errors"]) == {"layers", "dimensions"}
    assert "That is 1 layer; give 2 to 8" in refused["errors"]["layers"]
    assert save("Board\nShop floor", "Speed, Safety, Cost") == {}

    ok(slack, 'value "Onboarding"')
    form = open_form(slack, "UANN")
    assert [b["block_id"] for b in form["blocks"] if b["type"] == "input"] == [
        "layer", "d_speed", "d_safety", "d_cost", "sentence"
    ]  # fmt: skip
    assert "value.edit" in json.dumps(export(slack, database_url)["changes"])


def export(slack: SlackDriver, database_url: str) -> dict[str, Any]:
    """`vsm-bot export` of the stream, as JSON."""
    result = run_main(
        ["export", STREAM, "--format", "json", "--team", slack.team_id],
        {"DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))
