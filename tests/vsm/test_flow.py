import pytest

from vsm.flow import (
    Crossing,
    Finding,
    FlowStep,
    FlowStructure,
    HandOff,
    ModeSummary,
    WaitAt,
    crossing,
    flow_structure,
    hand_offs,
)
from vsm.teams import InteractionMode, TeamType

H, D = 3600, 86_400


def step(
    position: int,
    name: str,
    team: str | None,
    wait: int | None,
    ca: float | None = None,
    mode: InteractionMode = "none",
    team_type: TeamType | None = None,
) -> FlowStep:
    return FlowStep(
        key=100 + position,
        position=position,
        name=name,
        team=team,
        team_type=team_type,
        mode=mode,
        wait_s=wait,
        process_s=H,
        ca=ca,
    )


# VSM.md's worked example, with modes and %C&A added.
CLAIMS = (
    step(1, "Intake", "Front office", D, team_type="stream-aligned"),
    step(2, "Assessment", "Claims", 3 * D, 0.75, "x-as-a-service", "complicated-subsystem"),
    step(3, "Approval", "Claims", 2 * D, 0.9, "collaboration", "complicated-subsystem"),
    step(4, "Payment", "Finance", 4 * D, 0.5, "x-as-a-service", "platform"),
)
# The finding of the brief: 72% of the wait at 2 of 4 cross-team hand-offs.
DATA = (
    step(1, "Request", "Sales", 36 * H),
    step(2, "Triage", "Operations", 0, 0.9, "x-as-a-service"),
    step(3, "Fix", "Operations", 2 * D, 0.95),
    step(4, "Load", "Data", 5 * D, 0.6, "x-as-a-service"),
    step(5, "Report", "Finance", 4 * D, 0.8, "collaboration"),
    step(6, "Close", "Sales", 0, 1.0),
)
UNKNOWN = (
    step(1, "A", None, None),
    step(2, "B", "", H, 0.5),
    step(3, "C", "Ops", 3 * H),
    step(4, "D", "  ops ", None),
)
TIED = (step(1, "X", "T1", 0), step(2, "Y", "T2", 2 * H, 0.7), step(3, "Z", "T2", 2 * H, 0.7))
STILL = (step(1, "X", "T1", 0), step(2, "Y", "T2", 0))
TRIGGER_ONLY = (step(1, "X", "T1", 5 * H), step(2, "Y", "T1", 0, 0.4))


@pytest.mark.parametrize(
    ("steps", "total", "places"),
    [
        # place: (hand-offs, waiting, wait, share), for before-first, cross, within, unknown
        (
            CLAIMS,
            10 * D,
            [(1, 1, D, 0.1), (2, 2, 7 * D, 0.7), (1, 1, 2 * D, 0.2), (0, 0, 0, 0.0)],
        ),
        (
            DATA,
            300 * H,  # 1.5 + 2 + 5 + 4 days
            [(1, 1, 36 * H, 0.12), (4, 2, 9 * D, 0.72), (1, 1, 2 * D, 0.16), (0, 0, 0, 0.0)],
        ),
        (
            UNKNOWN,
            4 * H,
            [(1, 0, 0, 0.0), (0, 0, 0, 0.0), (1, 0, 0, 0.0), (2, 2, 4 * H, 1.0)],
        ),
        (TIED, 4 * H, [(1, 0, 0, 0.0), (1, 1, 2 * H, 0.5), (1, 1, 2 * H, 0.5), (0, 0, 0, 0.0)]),
        (STILL, 0, [(1, 0, 0, None), (1, 0, 0, None), (0, 0, 0, None), (0, 0, 0, None)]),
        (
            TRIGGER_ONLY,
            5 * H,
            [(1, 1, 5 * H, 1.0), (0, 0, 0, 0.0), (1, 0, 0, 0.0), (0, 0, 0, 0.0)],
        ),
        ((), 0, [(0, 0, 0, None), (0, 0, 0, None), (0, 0, 0, None), (0, 0, 0, None)]),
    ],
)
def test_wait_by_place(
    steps: tuple[FlowStep, ...],
    total: int,
    places: list[tuple[int, int, int, float | None]],
) -> None:
    flow = flow_structure(steps)
    assert flow.wait_s == total
    kinds = ["before-first", "cross-team", "within-team", "unknown"]
    assert list(flow.places) == [
        WaitAt(kind, *numbers) for kind, numbers in zip(kinds, places, strict=True)
    ]
    shares = [place.share for place in flow.places if place.share is not None]
    assert shares == [] or sum(shares) == pytest.approx(1.0)


def test_worked_example_hand_offs() -> None:
    assert hand_offs(CLAIMS) == (
        HandOff(
            102,
            2,
            "Intake",
            "Assessment",
            "Front office",
            "Claims",
            "stream-aligned",
            "complicated-subsystem",
            "cross-team",
            "x-as-a-service",
            3 * D,
            0.75,
        ),
        HandOff(
            103,
            3,
            "Assessment",
            "Approval",
            "Claims",
            "Claims",
            "complicated-subsystem",
            "complicated-subsystem",
            "within-team",
            "collaboration",
            2 * D,
            0.9,
        ),
        HandOff(
            104,
            4,
            "Approval",
            "Payment",
            "Claims",
            "Finance",
            "complicated-subsystem",
            "platform",
            "cross-team",
            "x-as-a-service",
            4 * D,
            0.5,
        ),
    )


@pytest.mark.parametrize(
    ("steps", "modes"),
    [
        # mode: (hand-offs, wait, median %C&A), for collaboration, XaaS, facilitating, none
        (CLAIMS, [(1, 2 * D, 0.9), (2, 7 * D, 0.625), (0, 0, None), (0, 0, None)]),
        (DATA, [(1, 4 * D, 0.8), (2, 5 * D, 0.75), (0, 0, None), (2, 2 * D, 0.975)]),
        (UNKNOWN, [(0, 0, None), (0, 0, None), (0, 0, None), (3, 4 * H, 0.5)]),
        ((), [(0, 0, None), (0, 0, None), (0, 0, None), (0, 0, None)]),
    ],
)
def test_per_mode(steps: tuple[FlowStep, ...], modes: list[tuple[int, int, float | None]]) -> None:
    kinds = ["collaboration", "x-as-a-service", "facilitating", "none"]
    assert list(flow_structure(steps).modes) == [
        ModeSummary(kind, *numbers) for kind, numbers in zip(kinds, modes, strict=True)
    ]


@pytest.mark.parametrize(
    ("steps", "longest", "lowest", "finding"),
    [
        (CLAIMS, 4, 4, ("cross-team", 0.7, 2, 2, 4)),
        (DATA, 4, 4, ("cross-team", 0.72, 2, 4, 4)),
        (UNKNOWN, 3, 2, ("unknown", 1.0, 2, 2, 3)),
        (TIED, 2, 2, ("cross-team", 0.5, 1, 1, 2)),  # ties: cross-team first, earliest step
        (STILL, None, None, None),
        (TRIGGER_ONLY, None, 2, None),  # all the wait is before step 1: no hand-off holds it
        ((), None, None, None),
    ],
)
def test_worst_hand_offs_and_the_finding(
    steps: tuple[FlowStep, ...],
    longest: int | None,
    lowest: int | None,
    finding: tuple[Crossing, float, int, int, int] | None,
) -> None:
    flow = flow_structure(steps)
    assert (flow.longest_wait and flow.longest_wait.position) == longest
    assert (flow.lowest_ca and flow.lowest_ca.position) == lowest
    if finding is None:
        assert flow.finding is None
        return
    kind, share, waiting, count, worst = finding
    handed = {h.position: h for h in flow.hand_offs}
    assert flow.finding == Finding(kind, share, waiting, count, handed[worst])


def test_the_finding_names_the_worst_hand_off() -> None:
    finding = flow_structure(DATA).finding
    assert finding is not None
    worst = finding.worst
    assert (worst.from_team, worst.to_team, worst.mode) == ("Operations", "Data", "x-as-a-service")
    assert (worst.wait_s, worst.ca) == (5 * D, 0.6)


@pytest.mark.parametrize(
    ("steps", "partial", "missing"),
    [(CLAIMS, False, ()), (UNKNOWN, True, ("A", "D")), ((), False, ())],
)
def test_missing_waits_make_it_partial(
    steps: tuple[FlowStep, ...], partial: bool, missing: tuple[str, ...]
) -> None:
    flow = flow_structure(steps)
    assert (flow.partial, flow.missing_waits) == (partial, missing)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("Claims", "Finance", "cross-team"),
        ("Claims", "Claims", "within-team"),
        ("Claims", "  CLAIMS", "within-team"),
        ("Front  office", "front office", "within-team"),
        ("Claims", None, "unknown"),
        (None, "Claims", "unknown"),
        ("", "Claims", "unknown"),
        ("Claims", "   ", "unknown"),
        (None, None, "unknown"),
    ],
)
def test_crossing(before: str | None, after: str | None, expected: Crossing) -> None:
    assert crossing(before, after) == expected


def test_steps_are_taken_in_position_order() -> None:
    assert flow_structure(tuple(reversed(CLAIMS))) == flow_structure(CLAIMS)


def test_the_first_steps_mode_is_ignored() -> None:
    first = step(1, "Intake", "Front office", D, mode="facilitating")
    flow = flow_structure((first, *CLAIMS[1:]))
    assert flow.modes == flow_structure(CLAIMS).modes


def test_positions_must_differ() -> None:
    with pytest.raises(ValueError, match="different positions"):
        flow_structure((step(1, "A", None, 0), step(1, "B", None, 0)))


def test_at_looks_up_a_place() -> None:
    flow: FlowStructure = flow_structure(CLAIMS)
    assert flow.at("cross-team").share == 0.7
    assert flow.at("before-first").wait_s == D
