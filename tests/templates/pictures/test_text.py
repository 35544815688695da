"""Texts cut to fit, and characters the fonts cannot draw replaced cleanly."""

from collections.abc import Callable

import pytest

from templates.pictures._fonts import SUBSTITUTE, can_draw, drawable
from templates.pictures._words import clip, clip_to, name_list, wrap


def fits(width: int) -> Callable[[str], bool]:
    return lambda text: len(text) <= width


WRAPS = [
    ("short", 10, 3, ["short"]),
    ("one two three", 7, 3, ["one two", "three"]),
    ("one two three four five six", 7, 2, ["one two", "three…"]),
    ("abcdefghijkl", 5, 3, ["abcde", "fghij", "kl"]),
    ("abcdefghijklmnopq", 5, 3, ["abcde", "fghij", "klmn…"]),
    ("  spaced \n out\ttext ", 20, 2, ["spaced out text"]),
    ("", 5, 2, [""]),
]


@pytest.mark.parametrize(("text", "width", "most", "lines"), WRAPS)
def test_wrap(text: str, width: int, most: int, lines: list[str]) -> None:
    wrapped = wrap(text, fits(width), most)
    assert wrapped == lines
    assert all(len(line) <= width for line in wrapped)


@pytest.mark.parametrize(
    ("text", "width", "clipped"),
    [("fits", 4, "fits"), ("too long", 5, "too…"), ("ab cd ef", 6, "ab cd…"), ("x", 0, "…")],
)
def test_clip_to_width(text: str, width: int, clipped: str) -> None:
    assert clip_to(text, fits(width)) == clipped


@pytest.mark.parametrize(("text", "limit", "clipped"), [("abc", 3, "abc"), ("abcd", 3, "ab…")])
def test_clip_to_characters(text: str, limit: int, clipped: str) -> None:
    assert clip(text, limit) == clipped


DRAWABLE = {
    "plain": ("Contract review", "Contract review"),
    "an emoji": ("Deploy 🚀 now", f"Deploy {SUBSTITUTE} now"),
    "a joined family": ("👨\u200d👩\u200d👧 team", f"{SUBSTITUTE} team"),
    "a flag": ("🇫🇷 Paris", f"{SUBSTITUTE} Paris"),
    "a skin tone": ("👍🏽 ok", f"{SUBSTITUTE} ok"),
    "two emoji": ("🚀🚀", SUBSTITUTE * 2),
    "hebrew": ("בדיקת איכות", "בדיקת איכות"),
    "arabic": ("مراجعة العقد", "مراجعة العقد"),
    "accents": ("Überprüfung é e\u0301", "Überprüfung é e\u0301"),
    "newlines and tabs": ("a\nb\tc", "a b c"),
    "control characters": ("x\x00\x07y", "xy"),
}


@pytest.mark.parametrize(("text", "shown"), DRAWABLE.values(), ids=DRAWABLE.keys())
def test_characters_no_font_has_become_one_box_each(text: str, shown: str) -> None:
    assert drawable(text) == shown
    assert can_draw(drawable(text))


def test_a_slant_without_arabic_is_noticed() -> None:
    assert can_draw("مراجعة")
    assert not can_draw("مراجعة", italic=True)
    assert can_draw("בדיקה", italic=True)


NAME_LISTS = [
    ((), "some steps"),
    (("Intake",), "Intake"),
    (("A", "B", "C", "D", "E"), "A, B, C, D, E"),
    (("A", "B", "C", "D", "E", "F"), "A, B, C, D, E and 1 more step"),
    (tuple("ABCDEFGH"), "A, B, C, D, E and 3 more steps"),
    (("x" * 70,), "x" * 59 + "…"),
]


@pytest.mark.parametrize(("names", "said"), NAME_LISTS)
def test_name_list(names: tuple[str, ...], said: str) -> None:
    assert name_list(names, "step") == said
