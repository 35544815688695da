import pytest
from hypothesis import given
from hypothesis import strategies as st

from vsm.waiting import (
    CAUSE_WORDS,
    CAUSES,
    CauseError,
    CauseShare,
    StepWait,
    WaitCause,
    decision_points,
    format_cause,
    parse_cause,
    step_cause,
    wait_by_cause,
)

H, D = 3600, 86_400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("for approval", "decision"),
        ("(queue)", "capacity"),
        ("why:dependency", "dependency"),
        ("waiting on another team", "dependency"),
        ("sign-off", "decision"),
        ("sign off", "decision"),
        ("Signoff", "decision"),
        ("why: decision", "decision"),
        ("why=decide", "decision"),
        ("for prioritisation", "decision"),
        ("prioritization", "decision"),
        ("priorities", "decision"),
        ("approvals", "decision"),
        ("[busy]", "capacity"),
        ("backlog", "capacity"),
        ("people", "capacity"),
        ("queues", "capacity"),
        ("waiting for the other team", "dependency"),
        ("other teams", "dependency"),
        ("on the vendor", "dependency"),
        ("Vendors", "dependency"),
        ("depends", "dependency"),
        ("dependencies", "dependency"),
        ("for info", "information"),
        ("missing info", "information"),  # two words of one cause
        ("for input", "information"),
        ("clarification", "information"),
        ("unclear", "information"),
        ("waiting for information", "information"),
        ("for the release window", "batch"),
        ("batches", "batch"),
        ("(schedule)", "batch"),
        ("releases", "batch"),
        ("other", "other"),
        ("OTHER!", "other"),
        ("due to the backlog", "capacity"),
        ("because of missing input", "information"),
    ],
)
def test_parse_cause_reads(text: str, expected: WaitCause) -> None:
    assert parse_cause(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no cause is given; say decision, capacity, dependency, information, batch or other."),
        ("for", "no cause is given;"),
        ("why:", "no cause is given;"),
        ("()", "no cause is given;"),
        ("extra", "I can't read `extra` as a cause; say decision, capacity, dependency, "),
        ("for legal", "I can't read `legal` as a cause;"),
        ("approval from legal", "I can't read `legal` as a cause;"),
        ("another", "I can't read `another` as a cause;"),
        ("team", "I can't read `team` as a cause;"),
        ("off", "I can't read `off` as a cause;"),
        ("approval backlog", "that names more than one cause (decision and capacity); give one."),
        ("queue 2", "I can't read `2` in a cause;"),
        ("for approval #1", "I can't read `#1` in a cause;"),
        ("a" * 81, "that is too long to be a cause of waiting."),
    ],
)
def test_parse_cause_refuses(text: str, reason: str) -> None:
    with pytest.raises(CauseError) as caught:
        parse_cause(text)
    assert caught.value.reason.startswith(reason)
    assert caught.value.message.endswith(
        "Try `wait 2d for approval`, `wait 1d (queue)` or `wait 3d why:dependency`."
    )


def test_the_message_lists_the_causes() -> None:
    with pytest.raises(CauseError) as caught:
        parse_cause("for Bob")
    assert caught.value.message == (
        "`for Bob` — I can't read `bob` as a cause; say decision, capacity, dependency, "
        "information, batch or other. "
        "Try `wait 2d for approval`, `wait 1d (queue)` or `wait 3d why:dependency`."
    )


def test_every_word_of_the_table_reads_as_its_cause() -> None:
    for cause, words in CAUSE_WORDS.items():
        for word in words:
            assert parse_cause(word) == cause
            assert parse_cause(f"for {word.upper()}") == cause
        assert parse_cause(format_cause(cause)) == cause


_FORMS = ["{}", "for {}", "({})", "why:{}", "why: {}", "waiting on {}", "[{}]", "for the {}s"]


@given(
    st.sampled_from([(c, w) for c, ws in CAUSE_WORDS.items() for w in ws]),
    st.sampled_from(_FORMS),
)
def test_a_cause_word_in_any_form_reads(found: tuple[WaitCause, str], form: str) -> None:
    cause, word = found
    assert parse_cause(form.format(word)) == cause


@given(st.text(max_size=100))
def test_any_text_is_a_cause_or_our_error(text: str) -> None:
    try:
        cause = parse_cause(text)
    except CauseError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert cause in CAUSES


@pytest.mark.parametrize(
    ("causes", "expected"),
    [
        ([], None),
        ([None, None], None),
        (["capacity"], "capacity"),
        (["capacity", "decision", "capacity"], "capacity"),
        (["capacity", "decision"], "decision"),  # a tie: decision comes first in the table
        (["other", "batch", None, None, None], "batch"),  # no cause does not vote
        (["dependency", "information", "information", "dependency", "batch"], "dependency"),
    ],
)
def test_step_cause(causes: list[WaitCause | None], expected: WaitCause | None) -> None:
    assert step_cause(causes) == expected


def waited(position: int, wait: int | None, cause: WaitCause | None) -> StepWait:
    return StepWait(100 + position, position, f"Step {position}", wait, cause)


# VSM.md's worked example, with causes: 2 d + 1 d + 3 d + 5 d + 1 d = 12 d of wait.
WORKED = (
    waited(1, 2 * D, "decision"),
    waited(2, D, "capacity"),
    waited(3, 3 * D, None),
    waited(4, 5 * D, "decision"),
    waited(5, D, "dependency"),
)


@pytest.mark.parametrize(
    ("steps", "total", "shares", "missing"),
    [
        (
            WORKED,
            12 * D,
            {
                "decision": (("Step 1", "Step 4"), 7 * D, 7 / 12),
                "capacity": (("Step 2",), D, 1 / 12),
                "dependency": (("Step 5",), D, 1 / 12),
                None: (("Step 3",), 3 * D, 0.25),
            },
            (),
        ),
        (
            (waited(1, None, "decision"), waited(2, 4 * H, "batch"), waited(3, 0, "other")),
            4 * H,
            {"batch": (("Step 2",), 4 * H, 1.0), "other": (("Step 3",), 0, 0.0)},
            ("Step 1",),
        ),
        (
            (waited(1, 3 * H, "information"), waited(2, H, "information")),
            4 * H,
            {"information": (("Step 1", "Step 2"), 4 * H, 1.0)},
            (),
        ),
    ],
)
def test_wait_by_cause(
    steps: tuple[StepWait, ...],
    total: int,
    shares: dict[WaitCause | None, tuple[tuple[str, ...], int, float]],
    missing: tuple[str, ...],
) -> None:
    found = wait_by_cause(tuple(reversed(steps)))
    assert found.wait_s == total
    assert [share.cause for share in found.shares] == [*CAUSES, None]
    for cause in (*CAUSES, None):
        names, wait, share = shares.get(cause, ((), 0, 0.0))
        assert found.share_of(cause) == CauseShare(cause, names, wait, share)
    assert sum(share.share or 0 for share in found.shares) == pytest.approx(1.0)
    assert (found.partial, found.missing_waits) == (bool(missing), missing)


def test_no_wait_no_shares() -> None:
    found = wait_by_cause((waited(1, 0, "decision"), waited(2, None, None)))
    assert found.wait_s == 0
    assert [share.share for share in found.shares] == [None] * 7
    assert found.share_of("decision").steps == ("Step 1",)
    assert wait_by_cause(()).shares[-1] == CauseShare(None, (), 0, None)


def test_decision_points() -> None:
    steps = (*WORKED, waited(6, None, "decision"))
    assert decision_points(tuple(reversed(steps))) == (steps[0], steps[3], steps[5])
    assert wait_by_cause(steps).decision_points == (steps[0], steps[3], steps[5])
    assert decision_points(()) == ()
