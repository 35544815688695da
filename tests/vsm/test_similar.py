from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vsm.similar import (
    GroupRow,
    SimilarGroup,
    StreamStep,
    group_similar,
    name_similarity,
    name_words,
    same_work,
)

H, D = 3600, 86_400


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Contract review", {"contract", "review"}),
        ("Review of contracts", {"review", "contract"}),
        ("contract reviews", {"contract", "review"}),
        ("Reviewing the contracts", {"review", "contract"}),
        ("Code review", {"cod", "review"}),
        ("Coding", {"cod"}),
        ("Approve, approved & approving", {"approv"}),
        ("Release / releases / releasing", {"releas"}),
        ("Batches and boxes", {"batch", "box"}),
        ("Deliveries", {"delivery"}),
        ("Processes: process status analysis", {"process", "status", "analysis"}),
        ("Planning, planned; billing", {"plan", "bill"}),
        ("Speed speeding needed", {"speed", "need"}),
        ("Go-live check", {"goliv", "check"}),
        ("Customer's e-mail", {"customer", "email"}),
        ("Review/approval", {"review", "approval"}),
        ("String as red", {"string", "as", "red"}),  # stems too short or without a vowel
        ("Sign-off by the CFO", {"signoff", "cfo"}),
        ("Step_2 (v2)", {"step", "2", "v2"}),
        ("", set()),
        ("of the and", set()),
    ],
)
def test_name_words(name: str, words: set[str]) -> None:
    assert name_words(name) == words


@pytest.mark.parametrize(
    ("first", "second", "overlap", "same", "same_team"),
    [
        ("Contract review", "Review of contracts", 1, True, True),
        ("Contract review", "contract reviews", 1, True, True),
        ("Review of contracts", "contract reviews", 1, True, True),
        ("Contract review", "Code review", Fraction(1, 3), False, False),
        ("Legal contract review", "Contract review", Fraction(2, 3), True, True),
        ("Customer onboarding", "Onboarding", Fraction(1, 2), False, True),
        ("Contract review", "Contract drafting", Fraction(1, 3), False, False),
        ("Approve invoice", "Invoice approval", Fraction(1, 3), False, False),  # not inflections
        ("Data migration", "Migrating data", Fraction(1, 3), False, False),
        ("Deploy to production", "Production deployment", Fraction(1, 3), False, False),
        ("Kickoff call", "Kick-off call", 1, True, True),
        ("Kick off call", "Kick-off call", Fraction(1, 4), False, False),
        ("Security review and sign-off", "Security review", Fraction(2, 3), True, True),
        ("Security review, sign off", "Security review", Fraction(1, 2), False, True),
        ("", "Contract review", 0, False, False),
        ("", "", 0, False, False),
    ],
)
def test_same_work(first: str, second: str, overlap: Fraction, same: bool, same_team: bool) -> None:
    assert name_similarity(first, second) == float(overlap)
    assert name_similarity(second, first) == float(overlap)
    assert same_work(first, second) is same
    assert same_work(first, second, same_team=True) is same_team


@given(st.text(max_size=80), st.text(max_size=80))
def test_similarity_is_a_share(first: str, second: str) -> None:
    overlap = name_similarity(first, second)
    assert 0 <= overlap <= 1
    assert overlap == name_similarity(second, first)
    if name_words(first):
        assert name_similarity(first, first) == 1


def step(
    stream: int,
    position: int,
    name: str,
    team: str | None,
    wait: int | None,
    pt: int | None,
    ca: float | None = None,
) -> StreamStep:
    names = {1: "Sales", 2: "Partners", 3: "Procurement"}
    return StreamStep(
        stream, names[stream], stream * 10 + position, position, name, team, wait, pt, ca
    )


SALES_REVIEW = step(1, 1, "Contract review", "Legal", 2 * D, 3 * H, 0.7)
SALES_ONBOARD = step(1, 2, "Customer onboarding", "Ops", D, 2 * H, 0.9)
PARTNER_REVIEW = step(2, 1, "Review of contracts", "Legal", 5 * D, 4 * H, 0.6)
PARTNER_CODE = step(2, 2, "Code review", "Dev", D, H, 0.8)
PARTNER_ONBOARD = step(2, 3, "Onboarding", "HR", 3 * D, H, 0.5)
BUY_REVIEW = step(3, 1, "contract reviews", "legal", D, 2 * H, 0.9)
BUY_ONBOARD = step(3, 2, "Onboarding", " ops", None, H, None)
STEPS = (
    SALES_REVIEW,
    SALES_ONBOARD,
    PARTNER_REVIEW,
    PARTNER_CODE,
    PARTNER_ONBOARD,
    BUY_REVIEW,
    BUY_ONBOARD,
)


def test_groups_across_streams() -> None:
    reviews, onboarding = group_similar(STEPS)
    # Lead times: Sales 2 d 3 h = 183,600 s; Partners 5 d 4 h = 446,400 s;
    # Procurement 1 d 2 h = 93,600 s, the fastest. Sales' lead is 1.96×, but its wait is 2×.
    assert reviews == SimilarGroup(
        rows=(
            GroupRow(SALES_REVIEW, 183_600 / 93_600, 2.0, True),
            GroupRow(PARTNER_REVIEW, 446_400 / 93_600, 5.0, True),
            GroupRow(BUY_REVIEW, 1.0, 1.0, False),
        ),
        words=("contract", "review"),
        fastest=BUY_REVIEW,
        by_team=False,
    )
    assert reviews.spread
    # "Customer onboarding" meets Procurement's "Onboarding" only as the same team (Ops), and
    # Procurement's meets Partners' as the same work: one group. Procurement's wait is unknown.
    # Leads: Sales 1 d 2 h = 93,600 s, the fastest; Partners 3 d 1 h = 262,800 s (2.81×).
    assert onboarding == SimilarGroup(
        rows=(
            GroupRow(SALES_ONBOARD, 1.0, 1.0, False),
            GroupRow(PARTNER_ONBOARD, 262_800 / 93_600, 3.0, True),
            GroupRow(BUY_ONBOARD, None, None, False),
        ),
        words=("onboard",),
        fastest=SALES_ONBOARD,
        by_team=True,
    )


def test_steps_of_one_stream_are_not_matched_to_each_other() -> None:
    twins = (step(1, 1, "Contract review", None, D, H), step(1, 2, "Contract reviews", None, D, H))
    assert group_similar(twins) == ()


def test_groups_are_transitive_through_another_stream() -> None:
    first = step(1, 1, "Contract review", None, 4 * D, 0)
    second = step(1, 2, "Contract reviews", None, D, 0)
    other = step(2, 1, "Review of contracts", None, 2 * D, 0)
    (group,) = group_similar((first, second, other))
    assert [row.step for row in group.rows] == [first, second, other]
    assert [row.lead_ratio for row in group.rows] == [4.0, 1.0, 2.0]
    assert [row.much_slower for row in group.rows] == [True, False, True]
    assert group.fastest == second


def test_a_chain_may_share_no_word() -> None:
    chain = (
        step(1, 1, "Legal contract review", None, D, H),
        step(2, 1, "Contract review", None, D, H),
        step(3, 1, "Contract review meeting", None, D, H),
    )
    (group,) = group_similar(chain)
    assert group.words == ("contract", "review")
    far = (
        step(1, 1, "alpha beta gamma", None, D, H),
        step(2, 1, "beta gamma delta", None, D, H),
    )
    assert group_similar(far) == ()  # 2 of 4 words: 1/2, not the same work


@pytest.mark.parametrize(
    ("numbers", "ratios", "much"),
    [
        ([(D, H), (D, H)], [(1.0, 1.0), (1.0, 1.0)], [False, False]),
        ([(0, H), (D, H)], [(1.0, None), (25.0, None)], [False, True]),  # a wait of 0: no ratio
        ([(0, 0), (D, H)], [(None, None), (None, None)], [False, False]),  # a lead of 0 too
        ([(None, H), (D, None)], [(None, None), (None, 1.0)], [False, False]),
        ([(H, H), (3 * H, 0)], [(1.0, 1.0), (1.5, 3.0)], [False, True]),
    ],
)
def test_much_slower(
    numbers: list[tuple[int | None, int | None]],
    ratios: list[tuple[float | None, float | None]],
    much: list[bool],
) -> None:
    steps = tuple(
        step(stream, 1, "Contract review", None, wait, pt)
        for stream, (wait, pt) in enumerate(numbers, start=1)
    )
    (group,) = group_similar(steps)
    assert [(row.lead_ratio, row.wait_ratio) for row in group.rows] == ratios
    assert [row.much_slower for row in group.rows] == much


def test_no_lead_no_fastest() -> None:
    (group,) = group_similar(
        (step(1, 1, "Review", None, None, H), step(2, 1, "Reviews", None, D, None))
    )
    assert group.fastest is None
    assert not group.spread
