"""Split the text of a `/vsm` command, exactly as Slack sends it, into tokens.

Slack (with `should_escape: true`) sends mentions, channels and links as `<…>` entities and
escapes `&`, `<` and `>` in what people typed. Clients may also turn quotes into curly ones.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from typing import TypeAlias

from vsm.errors import VsmError

MAX_TEXT = 3000

# Opening quote → the characters that close it. Keyboards and Slack clients mix these freely.
_DOUBLE_OPEN = '"“”„'
_DOUBLE_CLOSE = '"”“'
_SINGLE_OPEN = "'‘"
_SINGLE_CLOSE = "'’"
_OPENERS = _DOUBLE_OPEN + _SINGLE_OPEN
_KEY_CHARS = frozenset(string.ascii_letters)
_LAYOUT = frozenset("\t\n\r")  # the only control characters that are plain whitespace to us

_ENTITY = re.compile(r"<([^<>]+)>")
_ESCAPE = re.compile(r"&(amp|lt|gt);")
_UNESCAPED = {"amp": "&", "lt": "<", "gt": ">"}
_USER_ID = re.compile(r"[UW][A-Z0-9]+")


class CommandError(VsmError):
    """What someone typed after `/vsm` cannot be read; the message says what to change."""


@dataclass(frozen=True)
class Word:
    """A bare word, with Slack's escapes undone."""

    text: str

    @property
    def shown(self) -> str:
        return self.text


@dataclass(frozen=True)
class Quoted:
    """Text that was typed inside quotes: never an option or a mention."""

    text: str

    @property
    def shown(self) -> str:
        return f'"{self.text}"'


@dataclass(frozen=True)
class Mention:
    """A user mention, `<@U123|name>` or `<@U123>`."""

    user_id: str
    label: str = ""

    @property
    def shown(self) -> str:
        return f"@{self.label or self.user_id}"


@dataclass(frozen=True)
class Option:
    """`key:value` or `key=value`; `value` is None when nothing follows the separator."""

    key: str
    value: Word | Quoted | Mention | None

    @property
    def shown(self) -> str:
        return f"{self.key}:{self.value.shown if self.value else ''}"


Token: TypeAlias = Word | Quoted | Mention | Option


def tokenize(text: str) -> list[Token]:
    """Split Slack's command text into tokens.

    Raises:
        CommandError: the text is too long, holds control characters, or leaves a quote open.
    """
    _check_text(text)
    return _Scanner(_atoms(text)).tokens()


def unescape(text: str) -> str:
    """Undo Slack's escaping of `&`, `<` and `>` (and nothing else)."""
    return _ESCAPE.sub(lambda match: _UNESCAPED[match.group(1)], text)


def _check_text(text: str) -> None:
    if len(text) > MAX_TEXT:
        raise CommandError(
            f"That command is {len(text)} characters long; I read at most {MAX_TEXT}."
        )
    for char in text:
        if char not in _LAYOUT and unicodedata.category(char) == "Cc":
            raise CommandError(
                f"I cannot read control characters (found `U+{ord(char):04X}`); "
                "please retype the command."
            )


@dataclass(frozen=True)
class _Entity:
    """A `<…>` entity: `text` is what a person reads; `user_id` is set for user mentions."""

    text: str
    user_id: str = ""
    label: str = ""


_Atom: TypeAlias = str | _Entity  # one character of typed text, or one whole entity


def _entity(body: str) -> _Entity:
    target, _, label = body.partition("|")
    target, label = unescape(target), unescape(label)
    sigil, rest = target[:1], target[1:]
    if sigil == "@" and _USER_ID.fullmatch(rest):
        return _Entity(f"@{label or rest}", rest, label)
    if sigil in ("@", "#"):
        return _Entity(f"{sigil}{label or rest}")
    if sigil == "!":  # <!here>, <!subteam^S1|@team>, <!date^…|fallback>
        return _Entity(label or "@" + rest.partition("^")[0])
    return _Entity(label or target)


def _atoms(text: str) -> list[_Atom]:
    # Entities first, then unescape only the text between them: `&lt;@U1&gt;` was typed, not sent.
    atoms: list[_Atom] = []
    end = 0
    for match in _ENTITY.finditer(text):
        atoms.extend(unescape(text[end : match.start()]))
        atoms.append(_entity(match.group(1)))
        end = match.end()
    atoms.extend(unescape(text[end:]))
    return atoms


def _is_space(atom: _Atom | None) -> bool:
    return isinstance(atom, str) and atom.isspace()


def _ends_word(atom: _Atom) -> bool:
    # A single quote inside a word is an apostrophe (Bob's); a double quote starts a new token.
    if isinstance(atom, _Entity):
        return bool(atom.user_id)
    return atom.isspace() or atom in _DOUBLE_OPEN


def _readable(atom: _Atom) -> str:
    return atom if isinstance(atom, str) else atom.text


class _Scanner:
    def __init__(self, atoms: list[_Atom]) -> None:
        self._atoms = atoms
        self._pos = 0

    def _at(self, pos: int) -> _Atom | None:
        return self._atoms[pos] if pos < len(self._atoms) else None

    def _peek(self) -> _Atom | None:
        return self._at(self._pos)

    def _at_gap(self) -> bool:
        return self._peek() is None or _is_space(self._peek())

    def tokens(self) -> list[Token]:
        found: list[Token] = []
        while True:
            while _is_space(self._peek()):
                self._pos += 1
            if self._peek() is None:
                return found
            found.append(self._token())

    def _token(self) -> Token:
        key = self._key()
        if key:
            return Option(key, None if self._at_gap() else self._value())
        return self._value()

    def _key(self) -> str:
        """Consume `key:` or `key=` if the token starts with one; return the key or ""."""
        chars: list[str] = []
        end = self._pos
        while isinstance(atom := self._at(end), str) and atom in _KEY_CHARS:
            chars.append(atom)
            end += 1
        if not chars or self._at(end) not in (":", "="):
            return ""
        self._pos = end + 1
        return "".join(chars).lower()

    def _value(self) -> Word | Quoted | Mention:
        atom = self._peek()
        if isinstance(atom, _Entity) and atom.user_id:
            self._pos += 1
            return Mention(atom.user_id, atom.label)
        if isinstance(atom, str) and atom in _OPENERS:
            return self._quoted(atom)
        return Word(self._word())

    def _word(self) -> str:
        parts: list[str] = []
        while (atom := self._peek()) is not None and not _ends_word(atom):
            parts.append(_readable(atom))
            self._pos += 1
        return "".join(parts)

    def _quoted(self, opener: str) -> Quoted:
        self._pos += 1
        closers = _DOUBLE_CLOSE if opener in _DOUBLE_OPEN else _SINGLE_CLOSE
        parts: list[str] = []
        while (atom := self._peek()) is not None:
            self._pos += 1
            if isinstance(atom, str) and atom in closers and self._closes(opener):
                return Quoted("".join(parts).strip())
            parts.append(_readable(atom))
        raise CommandError(
            f"The quote at `{preview(opener + ''.join(parts))}` is never closed; "
            "add the closing quote."
        )

    def _closes(self, opener: str) -> bool:
        # A single quote closes only before a gap, so ‘Bob’s stream’ stays one string.
        return opener in _DOUBLE_OPEN or self._at_gap()


def preview(text: str, most: int = 30) -> str:
    """Shorten `text` for quoting in a message."""
    return text if len(text) <= most else text[: most - 1] + "…"
