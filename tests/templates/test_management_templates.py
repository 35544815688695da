"""The Value Stream Management parts of the card, the summary and compare, at their limits:
50 hostile steps, every one a cross-team hand-off that changed, many segments and support
streams — within Block Kit's limits and escaped once."""

from dataclasses import replace

import pytest

from commands.flows import flow_of, flow_view
from commands.handoffs import HandoffSet
from commands.management import CardManagement, Management, SegmentRange
from commands.renderer import make_renderer
from commands.segments import SegmentSet, SegmentView
from commands.streams import StreamCard
from commands.summary import CycleRef
from commands.support import ServedStep, Serves, SupportNumbers, SupportSet
from commands.team_keepers import TeamRefused
from commands.teams import (
    TeamCard,
    TeamLink,
    TeamList,
    TeamRemoved,
    TeamRow,
    TeamSaved,
    TeamStep,
    TeamView,
)
from templates import Renderer
from templates.pictures.alt import map_alt_text
from templates.pictures.data import MapData, MapStep, MapTotals, SupportFeed
from templates.pictures.data import Segment as MapSegment
from tests.templates.test_cycle_templates import (
    BIG_AFTER,
    BIG_BEFORE,
    assert_slack_takes,
    hostile,
    shown,
    side_by_side,
    summary,
)
from tests.templates.test_templates import FULL, latest_numbers
from vsm.compare import duration_change, share_change
from vsm.durations import CALENDAR
from vsm.segments import Segment, compare_segment, measure_segment
from vsm.structure import StructureStep, structure_changes
from vsm.teams import INTERACTION_MODES, TEAM_TYPES

REF = CycleRef(1, "baseline")


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return make_renderer()


def structure(salt: str) -> list[StructureStep]:
    return [
        StructureStep(
            s.key,
            s.position,
            s.name + salt,
            hostile(80, f"{s.position % 7}{salt}"),
            TEAM_TYPES[s.position % 4],
            INTERACTION_MODES[s.position % 4],
        )
        for s in BIG_AFTER.steps
    ]


BEFORE, AFTER = structure("a"), structure("b")
SEGMENTS = tuple(Segment(hostile(40, f"{n:02d}"), n, n + 9) for n in range(1, 41))
VIEWS = tuple(
    SegmentView(
        seg.name,
        "U0000000001",
        mine,
        compare_segment(theirs, mine, CALENDAR),
    )
    for seg in SEGMENTS
    if (mine := measure_segment(seg, BIG_AFTER.steps))
    and (theirs := measure_segment(seg, BIG_BEFORE.steps))
)
NUMBERS = SupportNumbers(
    hostile(80),
    CALENDAR,
    3,
    duration_change(86_400, 43_200, CALENDAR),
    share_change(0.05, 0.1),
    share_change(0.5, 0.6),
    2,
)
SUPPORTS = tuple(ServedStep(n, hostile(80), NUMBERS) for n in range(1, 51))
FULL_MANAGEMENT = Management(
    flow_view(BIG_AFTER, AFTER, (BIG_BEFORE, BEFORE, REF)),
    REF,
    structure_changes(BEFORE, AFTER),
    VIEWS,
    SUPPORTS,
)


def test_the_full_summary_with_management_fits(renderer: Renderer) -> None:
    shown_summary = replace(
        summary(BIG_AFTER, number=2, baseline=BIG_BEFORE), management=FULL_MANAGEMENT
    )
    payload = renderer.message("cycle_summary.json.j2", summary=shown_summary)
    assert_slack_takes(payload)
    text = shown(payload)
    assert "Where the work waits between teams" in text
    assert "What changed in the structure since cycle 1" in text


def test_the_full_compare_with_management_fits(renderer: Renderer) -> None:
    view = side_by_side(BIG_BEFORE, BIG_AFTER, management=FULL_MANAGEMENT)
    payload = renderer.message("compare.json.j2", view=view)
    assert_slack_takes(payload)
    assert "*Segments*" in shown(payload)


def test_the_full_card_with_management_fits(renderer: Renderer) -> None:
    card_part = CardManagement(
        flow_of(BIG_AFTER, AFTER).hand_offs,
        flow_view(BIG_AFTER, AFTER),
        CycleRef(2, ""),
        tuple(SegmentRange(seg.name, 1, 10, "U1") for seg in SEGMENTS),
        VIEWS,
        SUPPORTS,
        tuple(Serves(hostile(80), n, hostile(80)) for n in range(1, 51)),
    )
    card = StreamCard(FULL, latest_numbers(FULL), ("U1",), card_part)
    payload = renderer.message_for(card)
    assert_slack_takes(payload)
    assert "*Hand-offs*" in shown(payload)


def test_the_map_alt_text_names_team_types_hand_offs_segments_and_support() -> None:
    steps = (
        MapStep(1, "Intake", "Front office", None, 1, "90%", "1 d", "1 h"),
        MapStep(
            2,
            "Assessment",
            "Claims",
            "stream-aligned",
            1,
            "80%",
            "3 d",
            "2 h",
            handoff_cross_team=True,
            supports=(SupportFeed("IT access", "3.1 d"),),
        ),
        MapStep(
            3,
            "Payment",
            "Finance",
            "platform",
            1,
            "80%",
            "4 d",
            "30 m",
            handoff_mode="x-as-a-service",
            handoff_cross_team=True,
        ),
    )
    data = MapData(
        "Claims",
        "Filed",
        "Paid",
        "calendar days",
        "Cycle 1",
        steps,
        MapTotals("8.1 d", "3.5 h", "1.8%", "57.6%"),
        (MapSegment("Decision", 2, 3),),
    )
    text = map_alt_text(data)
    assert "Segments: Decision (steps 2–3)." in text
    assert "Step 1 Intake (Front office): wait 1 d, process time 1 h, %C&A 90%." in text
    assert "(Claims, stream-aligned team)" in text
    assert "handed over from another team; supported by IT access (lead time 3.1 d)." in text
    assert "handed over as X-as-a-Service from another team." in text


HOSTILE_TEAM = TeamView(
    hostile(80), "platform", hostile(300), tuple(f"U{n:010d}" for n in range(20))
)
BIG_TEAM_CARD = TeamCard(
    HOSTILE_TEAM,
    tuple(TeamStep(hostile(80), n % 50 + 1, hostile(80)) for n in range(1000)),
    tuple(
        TeamLink(hostile(80), "x-as-a-service", hostile(80), n % 49 + 2, hostile(80))
        for n in range(1000)
    ),
    tuple(TeamLink(hostile(80), "none", hostile(80), n % 49 + 2, hostile(80)) for n in range(1000)),
)
REPLIES = [
    pytest.param(BIG_TEAM_CARD, id="team-card"),
    pytest.param(TeamList(tuple(TeamRow(HOSTILE_TEAM, 50) for _ in range(2000))), id="team-list"),
    pytest.param(TeamRemoved(hostile(80), 12), id="team-removed"),
    pytest.param(TeamSaved(False, hostile(80, "old"), BIG_TEAM_CARD), id="team-saved"),
    pytest.param(TeamRefused(hostile(80), "change it", ("U1", "U2")), id="team-refused"),
    pytest.param(
        HandoffSet(
            hostile(80),
            2,
            hostile(80),
            hostile(80),
            hostile(80),
            "",
            "unknown",
            "facilitating",
            "none",
        ),
        id="handoff",
    ),
    pytest.param(SupportSet(hostile(80), hostile(80), 3, hostile(80), False, True), id="support"),
    pytest.param(
        SegmentSet(hostile(80), hostile(40), 2, 4, hostile(80), hostile(80), "U1", False, True),
        id="segment",
    ),
]


@pytest.mark.parametrize("reply", REPLIES)
def test_every_reply_fits_and_escapes_once(renderer: Renderer, reply: object) -> None:
    assert_slack_takes(renderer.message_for(reply))
