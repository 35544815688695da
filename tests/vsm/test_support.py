import pytest

from vsm.support import (
    SupportLink,
    SupportLoopError,
    add_support_link,
    check_support_link,
    support_path,
    supports_by_step,
)

CLAIMS, IT, IDENTITY, PROCUREMENT, HIRING, UNNAMED = 1, 2, 3, 4, 5, 9
NAMES = {CLAIMS: "Claims", IT: "IT access", IDENTITY: "Identity", PROCUREMENT: "Procurement"}
NAMES |= {HIRING: "Hiring"}
LINKS = (
    SupportLink(IT, CLAIMS, 10),  # IT access serves Claims at step 10
    SupportLink(IDENTITY, IT, 20),  # Identity serves IT access at step 20
    SupportLink(HIRING, UNNAMED, 50),
    SupportLink(UNNAMED, PROCUREMENT, 40),
)


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            SupportLink(CLAIMS, IT, 21),
            "“IT access” already serves “Claims”, so “Claims” cannot serve it.",
        ),
        (
            SupportLink(CLAIMS, IDENTITY, 30),
            "“Identity” already serves “Claims” (through “IT access”), "
            "so “Claims” cannot serve it.",
        ),
        (SupportLink(CLAIMS, CLAIMS, 11), "“Claims” cannot serve itself."),
        (
            SupportLink(PROCUREMENT, HIRING, 51),
            "“Hiring” already serves “Procurement” (through stream 9), "
            "so “Procurement” cannot serve it.",
        ),
        (SupportLink(PROCUREMENT, UNNAMED, 51), "Stream 9 already serves “Procurement”, so"),
        (SupportLink(UNNAMED, UNNAMED, 51), "Stream 9 cannot serve itself."),
    ],
)
def test_a_loop_is_refused_and_named(link: SupportLink, message: str) -> None:
    with pytest.raises(SupportLoopError) as caught:
        check_support_link(link, LINKS, NAMES)
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize(
    "link",
    [
        SupportLink(PROCUREMENT, CLAIMS, 12),  # a new support stream
        SupportLink(IDENTITY, CLAIMS, 10),  # a diamond, not a loop: Identity → IT → Claims too
        SupportLink(IT, HIRING, 52),
        SupportLink(CLAIMS, PROCUREMENT, 41),
        SupportLink(IT, CLAIMS, 10),  # already there
    ],
)
def test_links_that_close_no_loop_pass(link: SupportLink) -> None:
    check_support_link(link, LINKS, NAMES)


@pytest.mark.parametrize(
    ("start", "goal", "expected"),
    [
        (IDENTITY, CLAIMS, (IDENTITY, IT, CLAIMS)),
        (IT, CLAIMS, (IT, CLAIMS)),
        (CLAIMS, IDENTITY, None),
        (CLAIMS, CLAIMS, (CLAIMS,)),
        (HIRING, PROCUREMENT, (HIRING, UNNAMED, PROCUREMENT)),
        (HIRING, CLAIMS, None),
    ],
)
def test_support_path(start: int, goal: int, expected: tuple[int, ...] | None) -> None:
    assert support_path(start, goal, LINKS) == expected


def test_support_path_takes_the_shortest_chain() -> None:
    links = (
        SupportLink(1, 2, 0),
        SupportLink(2, 3, 0),
        SupportLink(3, 4, 0),
        SupportLink(1, 5, 0),
        SupportLink(5, 4, 0),
    )
    assert support_path(1, 4, links) == (1, 5, 4)
    with pytest.raises(SupportLoopError, match=r"“A” already serves “D” \(through “E”\), so “D”"):
        check_support_link(SupportLink(4, 1, 0), links, dict(enumerate("_ABCDE")))


def test_add_support_link() -> None:
    new = SupportLink(PROCUREMENT, CLAIMS, 12)
    assert add_support_link(new, LINKS, NAMES) == (*LINKS, new)
    assert add_support_link(LINKS[0], LINKS, NAMES) == LINKS
    with pytest.raises(SupportLoopError):
        add_support_link(SupportLink(CLAIMS, IT, 21), LINKS, NAMES)


def test_supports_by_step() -> None:
    links = (
        SupportLink(IT, CLAIMS, 10),
        SupportLink(PROCUREMENT, CLAIMS, 10),
        SupportLink(IDENTITY, CLAIMS, 11),
        SupportLink(IT, CLAIMS, 10),
        SupportLink(IDENTITY, IT, 20),
    )
    assert supports_by_step(CLAIMS, links) == {10: (IT, PROCUREMENT), 11: (IDENTITY,)}
    assert supports_by_step(HIRING, links) == {}
