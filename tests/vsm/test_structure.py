from dataclasses import replace

import pytest

from vsm.structure import StructureChange, StructureStep, structure_changes

INTAKE = StructureStep(11, 1, "Intake", "Front office", "stream-aligned")
ASSESS = StructureStep(12, 2, "Assessment", "Claims", "complicated-subsystem", "x-as-a-service")
APPROVE = StructureStep(13, 3, "Approval", "Claims", "complicated-subsystem", "collaboration")
PAY = StructureStep(14, 4, "Payment", "Finance", "platform", "x-as-a-service")
BEFORE = (INTAKE, ASSESS, APPROVE, PAY)
TRIAGE = StructureStep(15, 2, "Triage", "Front office", "stream-aligned", "collaboration")


def order(*steps: StructureStep) -> tuple[StructureStep, ...]:
    """The steps at positions 1, 2, … in the order given."""
    return tuple(replace(step, position=place) for place, step in enumerate(steps, start=1))


def changed(
    kind: str, key: int | None, name: str, before: object, after: object
) -> StructureChange:
    return StructureChange(kind, key, name, before, after)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (BEFORE, []),
        (order(INTAKE, ASSESS, PAY), [changed("step_removed", 13, "Approval", 3, None)]),
        (
            order(INTAKE, TRIAGE, ASSESS, APPROVE, PAY),
            [changed("step_added", 15, "Triage", None, 2)],
        ),
        (
            order(INTAKE, replace(ASSESS, name="Claim assessment"), APPROVE, PAY),
            [changed("step_renamed", 12, "Claim assessment", "Assessment", "Claim assessment")],
        ),
        (order(INTAKE, replace(ASSESS, name="  Assessment "), APPROVE, PAY), []),
        (
            order(INTAKE, replace(ASSESS, name="assessment"), APPROVE, PAY),
            [changed("step_renamed", 12, "assessment", "Assessment", "assessment")],
        ),
        # Payment moved first: the others shift, but only Payment moved. The hand-off into the
        # new first step has no mode, so its mode is not compared.
        (order(PAY, INTAKE, ASSESS, APPROVE), [changed("step_moved", 14, "Payment", 4, 1)]),
        (order(ASSESS, APPROVE, PAY, INTAKE), [changed("step_moved", 11, "Intake", 1, 4)]),
        # A swap: of two equally short explanations, the step earlier in the new order stays.
        (order(INTAKE, APPROVE, ASSESS, PAY), [changed("step_moved", 12, "Assessment", 2, 3)]),
        (
            order(PAY, APPROVE, ASSESS, INTAKE),
            [
                changed("step_moved", 13, "Approval", 3, 2),
                changed("step_moved", 12, "Assessment", 2, 3),
                changed("step_moved", 11, "Intake", 1, 4),
            ],
        ),
        (
            order(INTAKE, replace(ASSESS, team="Approvals team"), APPROVE, PAY),
            [changed("team_changed", 12, "Assessment", "Claims", "Approvals team")],
        ),
        (order(INTAKE, replace(ASSESS, team=" claims "), APPROVE, PAY), []),
        (
            order(replace(INTAKE, team=""), ASSESS, APPROVE, PAY),
            [changed("team_changed", 11, "Intake", "Front office", None)],
        ),
        (
            order(INTAKE, ASSESS, APPROVE, replace(PAY, team=None, team_type=None)),
            [
                changed("team_changed", 14, "Payment", "Finance", None),
            ],
        ),
        (
            order(
                INTAKE,
                replace(ASSESS, team_type="stream-aligned"),
                replace(APPROVE, team_type="stream-aligned"),
                PAY,
            ),
            [
                changed(
                    "team_type_changed", None, "Claims", "complicated-subsystem", "stream-aligned"
                )
            ],
        ),
        (
            order(INTAKE, ASSESS, APPROVE, replace(PAY, mode="collaboration")),
            [changed("mode_changed", 14, "Payment", "x-as-a-service", "collaboration")],
        ),
        (order(replace(INTAKE, mode="facilitating"), ASSESS, APPROVE, PAY), []),
        # Intake removed: Assessment is first now, so its mode is not compared.
        (
            order(replace(ASSESS, mode="none"), APPROVE, PAY),
            [changed("step_removed", 11, "Intake", 1, None)],
        ),
    ],
)
def test_structure_changes(
    after: tuple[StructureStep, ...], expected: list[StructureChange]
) -> None:
    assert list(structure_changes(BEFORE, after)) == expected


def test_changes_come_in_order() -> None:
    after = order(
        replace(PAY, team="Payments", mode="facilitating"),
        TRIAGE,
        replace(ASSESS, name="Assess", team_type="enabling"),
        replace(INTAKE, mode="collaboration"),
    )
    assert list(structure_changes(BEFORE, after)) == [
        changed("step_removed", 13, "Approval", 3, None),
        changed("step_moved", 14, "Payment", 4, 1),
        changed("team_changed", 14, "Payment", "Finance", "Payments"),
        changed("step_added", 15, "Triage", None, 2),
        changed("step_renamed", 12, "Assess", "Assessment", "Assess"),
        changed("step_moved", 11, "Intake", 1, 4),  # Assessment stays: still 2nd of the kept steps
        changed("team_type_changed", None, "Claims", "complicated-subsystem", "enabling"),
    ]


def test_a_team_only_in_one_structure_has_no_type_change() -> None:
    after = order(INTAKE, ASSESS, APPROVE, replace(PAY, team="Treasury", team_type="enabling"))
    assert [c.kind for c in structure_changes(BEFORE, after)] == ["team_changed"]


def test_from_and_to_nothing() -> None:
    assert structure_changes((), ()) == ()
    assert [c.kind for c in structure_changes((), BEFORE)] == ["step_added"] * 4
    assert [c.before for c in structure_changes(BEFORE, ())] == [1, 2, 3, 4]


def test_keys_must_differ() -> None:
    with pytest.raises(ValueError, match="step keys must differ"):
        structure_changes(BEFORE, (INTAKE, replace(ASSESS, key=11)))
