"""The stream-definition templates, rendered with sample data: within Block Kit's limits, with
a plain-text fallback, and with what people typed escaped exactly once.

The hardest sample is a stream at every limit: 50 steps with 80-character names, 80-character
teams and 20 people each, and every text full of `*_~<>&`.
"""

from dataclasses import replace
from typing import Any

import pytest

from commands.home import (
    MOST_IMPROVEMENTS,
    MOST_OWED,
    MOST_STREAMS,
    Home,
    HomeStream,
    Owed,
    OwnImprovement,
)
from commands.latest import Latest, OpenCycle
from commands.renderer import make_renderer
from commands.slash.help import command_help
from commands.streams import StreamListing
from commands.summary import CycleRef
from standin import blockkit
from templates import Renderer
from templates.blocks import check_limits
from templates.mrkdwn import escape_mrkdwn
from tests.e2e.vsm_commands import USAGE, mrkdwn_problems, text_objects
from vsm.compare import compare
from vsm.durations import CALENDAR, TimeBasis
from vsm.metrics import Answer, StepAnswers, measure_cycle
from vsm.streams import StreamStep, ValueStream

HOSTILE = "*_~<>&"
WORKING = TimeBasis("working", 7.5, 4)
TWENTY_PEOPLE = tuple(f"U{n:010d}" for n in range(20))


def hostile(length: int, lead: str = "") -> str:
    """`lead`, then `*_~<>&` repeated, cut to `length` characters."""
    return (lead + HOSTILE * length)[:length]


def full_stream(stream_id: int = 1, *, archived: bool = True) -> ValueStream:
    """A stream at every limit, every text hostile."""
    steps = tuple(
        StreamStep(n, hostile(80, f"{n:02d} "), hostile(80), TWENTY_PEOPLE) for n in range(1, 51)
    )
    return ValueStream(
        id=stream_id,
        name=hostile(80, f"{stream_id:03d} "),
        channel_id="C0123456789",
        trigger=hostile(300),
        value=hostile(300),
        customer=hostile(300),
        basis=WORKING,
        archived=archived,
        steps=steps,
    )


FULL = full_stream()
EMPTY = ValueStream(2, "Onboarding", "C1", "", "", "", CALENDAR, False, ())
NOT_MEASURED = Latest(CALENDAR, None, None, None, None, None)


def latest_numbers(stream: ValueStream) -> Latest:
    """Latest numbers for every step of `stream`, against a baseline, with a cycle open."""

    def cycle(scale: int) -> list[StepAnswers]:
        return [
            StepAnswers(
                step.position,
                step.position,
                step.name,
                tuple(
                    Answer(person, scale * 3600 * n, 1800 * step.position, 0.9)
                    for n, person in enumerate(stream.steps[0].people, start=1)
                ),
            )
            for step in stream.steps
        ]

    baseline, latest = measure_cycle(cycle(2)), measure_cycle(cycle(1))
    return Latest(
        stream.basis,
        CycleRef(7, hostile(40)),
        latest,
        compare(baseline, latest, stream.basis),
        CycleRef(1, "baseline"),
        OpenCycle(8, 3, len(stream.steps)),
    )


def listing(here: int, elsewhere: int, archived: int) -> StreamListing:
    """A `/vsm list` with that many full streams in this channel, elsewhere and archived."""
    streams = [full_stream(n, archived=False) for n in range(1, here + elsewhere + 1)]
    return StreamListing(
        channel_id="C1",
        here=tuple(replace(s, channel_id="C1") for s in streams[:here]),
        elsewhere=tuple(streams[here:]),
        archived=tuple(hostile(80, f"{n:03d} ") for n in range(archived)),
    )


MESSAGES = [
    pytest.param(
        "stream_card.json.j2",
        {"stream": FULL, "latest": NOT_MEASURED, "owners": TWENTY_PEOPLE},
        id="card-full",
    ),
    pytest.param(
        "stream_card.json.j2",
        {"stream": FULL, "latest": latest_numbers(FULL), "owners": TWENTY_PEOPLE},
        id="card-full-measured",
    ),
    pytest.param(
        "stream_card.json.j2",
        {"stream": EMPTY, "latest": NOT_MEASURED, "owners": ()},
        id="card-empty",
    ),
    pytest.param("stream_created.json.j2", {"stream": FULL}, id="created-full"),
    pytest.param("stream_created.json.j2", {"stream": EMPTY}, id="created-empty"),
    pytest.param("stream_list.json.j2", {"listing": listing(40, 60, 30)}, id="list-100"),
    pytest.param("stream_list.json.j2", {"listing": listing(300, 400, 30)}, id="list-700"),
    pytest.param("stream_list.json.j2", {"listing": listing(0, 0, 0)}, id="list-empty"),
    pytest.param("stream_list.json.j2", {"listing": listing(0, 0, 3)}, id="list-archived-only"),
    pytest.param("stream_renamed.json.j2", {"old_name": hostile(80), "stream": FULL}, id="renamed"),
    *(
        pytest.param(
            "stream_archived.json.j2",
            {"name": hostile(80), "archived": archived, "changed": changed},
            id=f"archived-{archived}-changed-{changed}",
        )
        for archived in (True, False)
        for changed in (True, False)
    ),
    *(
        pytest.param(
            "step_changed.json.j2",
            {"change": change, "step": FULL.steps[-1], "stream": FULL},
            id=f"step-{change}",
        )
        for change in ("added", "edited", "moved", "removed")
    ),
    pytest.param(
        "help.json.j2", {"commands": command_help("").commands, "detailed": False}, id="help"
    ),
    pytest.param(
        "help.json.j2",
        {"commands": command_help("step").commands, "detailed": True},
        id="help-step",
    ),
    pytest.param(
        "help.json.j2",
        {"commands": command_help("step add").commands, "detailed": True},
        id="help-one",
    ),
    pytest.param(
        "problem.json.j2",
        {
            "problem": f"I don't know a stream called “{hostile(80)}”. " * 3,
            "usage": "\n".join(USAGE[c] for c in ("step add", "step edit", "step move")),
        },
        id="error-with-usage",
    ),
    pytest.param("problem.json.j2", {"problem": hostile(200), "usage": None}, id="error-no-usage"),
    pytest.param("failure.json.j2", {"reference": "0f1e2d3c"}, id="failure"),
]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return make_renderer()


def mrkdwn_of(payload: dict[str, Any]) -> list[str]:
    """The fallback text (mrkdwn in a message) and every mrkdwn text in the blocks."""
    fallback = [payload["text"]] if "text" in payload else []
    return fallback + list(text_objects(payload.get("blocks", []), "mrkdwn"))


@pytest.mark.parametrize(("template", "data"), MESSAGES)
def test_a_message_is_within_block_kit_limits(
    renderer: Renderer, template: str, data: dict[str, Any]
) -> None:
    payload = renderer.message(template, **data)

    assert check_limits(payload) == []
    assert blockkit.message_errors(payload["blocks"]) == []
    assert payload["text"].strip()
    assert len(payload["text"]) <= blockkit.MAX_MESSAGE_TEXT


@pytest.mark.parametrize(("template", "data"), MESSAGES)
def test_what_people_typed_is_escaped_once(
    renderer: Renderer, template: str, data: dict[str, Any]
) -> None:
    payload = renderer.message(template, **data)

    for text in mrkdwn_of(payload):
        assert mrkdwn_problems(text) == [], text
    for text in text_objects(payload["blocks"], "plain_text"):
        assert "&amp;" not in text, text
        assert "&lt;" not in text, text


@pytest.mark.parametrize(("template", "data"), MESSAGES)
def test_no_code_block_is_cut_between_blocks(
    renderer: Renderer, template: str, data: dict[str, Any]
) -> None:
    payload = renderer.message(template, **data)

    for text in mrkdwn_of(payload):
        assert text.count("```") % 2 == 0, text


def test_the_full_card_shows_every_step_escaped_and_the_name_plain(renderer: Renderer) -> None:
    payload = renderer.message(
        "stream_card.json.j2", stream=FULL, latest=NOT_MEASURED, owners=TWENTY_PEOPLE
    )

    text = "\n".join(mrkdwn_of(payload))
    assert payload["blocks"][0]["text"]["text"] == FULL.name  # a header is plain text
    for step in FULL.steps:
        line = f"*{step.position}. {escape_mrkdwn(step.name)}* — {escape_mrkdwn(step.team)} · "
        assert line + ", ".join(f"<@{person}>" for person in step.people) in text
    assert f"*Trigger:* {escape_mrkdwn(FULL.trigger)}" in text
    assert f"*Value:* {escape_mrkdwn(FULL.value)}" in text
    assert f"Customer: {escape_mrkdwn(FULL.customer)}" in text
    assert "_archived_" in text


def test_the_list_names_every_stream_escaped(renderer: Renderer) -> None:
    shown = listing(40, 60, 30)
    payload = renderer.message("stream_list.json.j2", listing=shown)

    text = "\n".join(mrkdwn_of(payload))
    for stream in shown.here + shown.elsewhere:
        assert f"• *{escape_mrkdwn(stream.name)}* — 50 steps" in text
    for name in shown.archived:
        assert escape_mrkdwn(name) in text
    assert "100 value streams" in payload["text"]


def test_a_long_archived_line_is_not_cut_inside_an_escape(renderer: Renderer) -> None:
    # 20 archived names of `&`s overflow the context line; shifting them moves where it is cut.
    for offset in range(5):
        names = tuple("x" * offset + "&" * 70 for _ in range(20))
        shown = StreamListing(channel_id="C1", here=(), elsewhere=(), archived=names)

        payload = renderer.message("stream_list.json.j2", listing=shown)

        for text in mrkdwn_of(payload):
            assert mrkdwn_problems(text) == [], (offset, text[-20:])


def full_home() -> Home:
    """A Home tab with every list as long as it gets, every text hostile."""
    stream = full_stream(archived=False)
    owed = tuple(
        Owed(n, hostile(80), 9999, "C1", tuple(f"{p}. {hostile(80)}" for p in range(1, 51)), None)
        for n in range(MOST_OWED)
    )
    streams = tuple(
        HomeStream(replace(stream, id=n), latest_numbers(stream), True, True)
        for n in range(MOST_STREAMS)
    )
    items = tuple(
        OwnImprovement(1, hostile(80), n, hostile(200), "doing", ("done", "dropped"))
        for n in range(MOST_IMPROVEMENTS)
    )
    return Home("U1", owed, 40, streams, 30, items, 20, 99, '{"team": "T1"}')


EMPTY_HOME = Home("U1", (), 0, (), 0, (), 0, 0, '{"team": "T1"}')


@pytest.mark.parametrize("shown", [full_home(), EMPTY_HOME], ids=["full", "empty"])
def test_the_home_tab_is_within_the_limits_of_a_view(renderer: Renderer, shown: Home) -> None:
    view = renderer.view_for(shown)

    assert view["type"] == "home"
    assert check_limits(view, "home") == []
    assert blockkit.view_errors(view) == []
    for text in text_objects(view["blocks"], "mrkdwn"):
        assert mrkdwn_problems(text) == [], text
    for select in [b["accessory"] for b in view["blocks"] if "options" in b.get("accessory", {})]:
        assert len(select["options"]) <= 100
        assert all(len(o["text"]["text"]) <= 75 for o in select["options"])


# ---- check_limits itself --------------------------------------------------------------------


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_check_limits_passes_a_message_within_the_limits() -> None:
    payload = {"text": "hi", "blocks": [section("a" * 3000)] * 50}

    assert check_limits(payload) == []
    assert blockkit.message_errors(payload["blocks"]) == []


def test_check_limits_catches_an_over_long_section() -> None:
    payload = {"text": "hi", "blocks": [section("a" * 3001)]}

    assert check_limits(payload) == ["block 0: section text of 3001 chars"]
    assert blockkit.message_errors(payload["blocks"]) != []


def test_check_limits_catches_51_blocks_in_a_message_but_not_in_a_home_tab() -> None:
    blocks = [{"type": "divider"}] * 51

    assert check_limits({"text": "hi", "blocks": blocks}) == ["51 blocks, more than 50"]
    assert blockkit.message_errors(blocks) != []
    assert check_limits({"type": "home", "blocks": blocks}, "home") == []
    assert check_limits({"type": "home", "blocks": blocks * 2}, "home") == [
        "102 blocks, more than 100"
    ]


@pytest.mark.parametrize("fallback", [None, "", "   "])
def test_check_limits_catches_a_missing_fallback(fallback: str | None) -> None:
    payload: dict[str, Any] = {"blocks": [section("hi")]}
    if fallback is not None:
        payload["text"] = fallback

    assert check_limits(payload) == ["no plain-text fallback"]


def test_check_limits_catches_a_long_header_and_too_many_fields() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}
    fields = {"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}

    problems = check_limits({"text": "hi", "blocks": [header, fields]})

    assert problems == ["block 0: header of 151 chars", "block 1: 11 fields"]
    assert len(blockkit.message_errors([header, fields])) == 2
