"""The fonts the pictures draw with: which characters they can show, and how wide a text is.

People name streams and steps in any script, with emoji. matplotlib warns ("Glyph … missing
from font(s)") and draws an empty box for a character no font in the family list has, so every
text passes through `drawable` first:

- The first family is DejaVu Sans, which ships with matplotlib: the same pictures on every
  host. It covers Latin, Greek, Cyrillic, Hebrew and Arabic (matplotlib ≥ 3.11 lays these out
  right to left and joins Arabic letters).
- Families known to cover what DejaVu Sans lacks (CJK above all) follow when the host has them
  installed; matplotlib falls back to them glyph by glyph.
- A character none of them has becomes "□" (DejaVu Sans has it), once per emoji sequence or
  combined character, so a name stays readable and the picture never warns. Colour emoji
  fonts are left out on purpose: Agg cannot draw their bitmap glyphs at any size.
"""

import threading
import unicodedata
from functools import cache

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font, LoadFlags

BASE_FAMILY = "DejaVu Sans"
FALLBACK_FAMILIES = (
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK KR",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "Noto Sans Symbols 2",
)
SUBSTITUTE = "□"
_JOINER = "\u200d"
# Marks, format characters and modifiers belong to the character before them: after a
# substitute, or when no font has them, they are dropped rather than drawn as boxes of their own.
_ATTACHED = frozenset({"Mn", "Me", "Cf", "Sk"})
_REGIONAL = range(0x1F1E6, 0x1F200)  # two of these make one flag


@cache
def families() -> tuple[str, ...]:
    """The font families to draw with, best first: DejaVu Sans, then installed fallbacks."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return (BASE_FAMILY, *(family for family in FALLBACK_FAMILIES if family in installed))


@cache
def _covered(bold: bool, italic: bool) -> frozenset[int]:
    """The code points DejaVu Sans in this face, or a fallback family, can draw."""
    codes = set(_font(BASE_FAMILY, bold=bold, italic=italic).get_charmap())
    for family in families()[1:]:
        codes.update(_font(family, bold=False, italic=False).get_charmap())
    return frozenset(codes)


def can_draw(text: str, *, bold: bool = False, italic: bool = False) -> bool:
    """Whether the face has every character of `text` (DejaVu Sans Oblique has no Arabic)."""
    covered = _covered(bold, italic)
    return all(ord(char) in covered or char.isspace() for char in text)


def drawable(text: str, *, bold: bool = False, italic: bool = False) -> str:
    """`text` on one line with every character the face cannot draw replaced by "□"."""
    covered = _covered(bold, italic)
    out: list[str] = []
    substituted = False  # the last character kept is a substitute
    joining = False  # … followed by a zero-width joiner: the next character joins it
    previous = ""
    for char in text:
        previous, before = char, previous
        code = ord(char)
        category = unicodedata.category(char)
        if char.isspace() or category == "Cc":
            if char.isspace() and out and out[-1] != " ":
                out.append(" ")
            substituted = joining = False
        elif substituted and (category in _ATTACHED or joining):
            joining = char == _JOINER
        elif substituted and code in _REGIONAL and before and ord(before) in _REGIONAL:
            substituted = False  # the second half of a flag
        elif code in covered:
            out.append(char)
            substituted = joining = False
        elif category not in _ATTACHED:
            out.append(SUBSTITUTE)
            substituted, joining = True, False
    return "".join(out).strip()


class _Advances:
    """Advance widths of one font in ems, read on demand (a lock: FT2Font is stateful)."""

    def __init__(self, font: FT2Font) -> None:
        self._font = font
        self._font.set_size(72, 72)  # 72 px to the em: advance / 72 is in ems
        self._charmap = font.get_charmap()
        self._known: dict[str, float] = {}
        self._lock = threading.Lock()

    def em(self, char: str) -> float:
        known = self._known.get(char)
        if known is not None:
            return known
        index = self._charmap.get(ord(char))
        if index is None:
            wide = unicodedata.east_asian_width(char) in ("W", "F")
            width = 1.0 if wide else 0.6  # a fallback font's glyph: CJK are one em
        else:
            with self._lock:
                glyph = self._font.load_glyph(index, flags=LoadFlags.NO_HINTING)
                width = glyph.linearHoriAdvance / 65536 / 72
        self._known[char] = width
        return width


@cache
def _advances(bold: bool) -> _Advances:
    return _Advances(_font(BASE_FAMILY, bold=bold, italic=False))


def _font(family: str, *, bold: bool, italic: bool) -> FT2Font:
    properties = font_manager.FontProperties(
        family=family, weight="bold" if bold else "normal", style="italic" if italic else "normal"
    )
    # A font object of our own: matplotlib's cached ones change size as it draws.
    return FT2Font(font_manager.findfont(properties, fallback_to_default=False))


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """About how wide `text` is at `size` points, in inches (kerning left out)."""
    advances = _advances(bold)
    return sum(advances.em(char) for char in text) * size / 72
