"""The shapes of the `/vsm` grammar: arguments, options, commands, and a parsed command."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

ArgKind: TypeAlias = Literal["name", "int", "word", "read"]
OptionKind: TypeAlias = Literal["text", "choice", "number", "int", "people", "user", "read"]
# What an option or argument holds once read: text, a number, user ids, or a domain value
# that a reader built (a duration as typed, a date, a prediction…).
OptionValue: TypeAlias = object
Reader: TypeAlias = Callable[[str], object]


@dataclass(frozen=True)
class ArgSpec:
    """A positional argument: a name, a whole number in `low..high`, or one of `choices`.

    `rest` takes every remaining positional word, joined by single spaces.
    """

    name: str
    kind: ArgKind = "name"
    low: int = 1
    high: int = 80
    choices: tuple[str, ...] = ()
    optional: bool = False
    rest: bool = False
    # For kind "read": turns the text into the argument's value, or raises VsmError.
    reader: Reader | None = None

    @property
    def label(self) -> str:
        return f"<{self.name.replace('_', ' ')}>"


@dataclass(frozen=True)
class OptionSpec:
    """A `key:value` option. `low..high` bound the number, the text's length or the head count."""

    kind: OptionKind
    low: float = 0
    high: float = 0
    choices: tuple[str, ...] = ()
    hint: str = "…"  # how a value looks, e.g. "2d 4h"
    # For kind "read": turns the text into the option's value, or raises VsmError. `named`:
    # its message is given as "name: message" with the command's form (not the reader's).
    reader: Reader | None = None
    named: bool = True

    @classmethod
    def text(cls, most: int, *, least: int = 0) -> OptionSpec:
        """One line of `least..most` characters, stripped."""
        return cls("text", least, most)

    @classmethod
    def choice(cls, *choices: str) -> OptionSpec:
        """One of `choices` (lower-case), matched case-insensitively."""
        return cls("choice", choices=choices)

    @classmethod
    def number(cls, low: float, high: float) -> OptionSpec:
        """A decimal number (`8`, `7.5`) in `low..high`, as a float."""
        return cls("number", low, high)

    @classmethod
    def integer(cls, low: int, high: int) -> OptionSpec:
        """A whole number in `low..high`."""
        return cls("int", low, high)

    @classmethod
    def people(cls, most: int = 20) -> OptionSpec:
        """Zero or more mentions (none clears); a tuple of distinct user ids."""
        return cls("people", 0, most)

    @classmethod
    def user(cls) -> OptionSpec:
        """Exactly one mention; its user id."""
        return cls("user")

    @classmethod
    def read(cls, hint: str, reader: Reader, *, named: bool = True) -> OptionSpec:
        """Text that `reader` turns into a value (a duration, a date…); `hint` shows how it
        looks. The reader's error is the reply, prefixed with the option's name if `named`."""
        return cls("read", hint=hint, reader=reader, named=named)


@dataclass(frozen=True)
class CommandSpec:
    """One subcommand: the words that name it, its arguments, its options, its usage line."""

    path: tuple[str, ...]
    usage: str
    args: tuple[ArgSpec, ...] = ()
    options: Mapping[str, OptionSpec] = field(default_factory=dict)
    # The argument bare mentions go to (a tuple of user ids), for commands that take them.
    mentions: str | None = None

    @property
    def name(self) -> str:
        return " ".join(self.path)


@dataclass(frozen=True)
class Invocation:
    """A parsed command: args by name (absent optional ones left out), options as given."""

    path: tuple[str, ...]
    args: Mapping[str, object] = field(default_factory=dict)
    options: Mapping[str, OptionValue] = field(default_factory=dict)


def name_arg(name: str, *, optional: bool = False) -> ArgSpec:
    return ArgSpec(name, "name", 1, 80, optional=optional)


def int_arg(name: str, low: int, high: int, *, optional: bool = False) -> ArgSpec:
    return ArgSpec(name, "int", low, high, optional=optional)


def word_arg(name: str, *choices: str, optional: bool = False) -> ArgSpec:
    return ArgSpec(name, "word", choices=choices, optional=optional)


def rest_arg(name: str, *, optional: bool = False, reader: Reader | None = None) -> ArgSpec:
    """Every remaining word; with `reader`, turned into a value by it (its error is the reply)."""
    kind: ArgKind = "name" if reader is None else "read"
    return ArgSpec(name, kind, 1, 200, optional=optional, rest=True, reader=reader)
