"""The shapes of the `/vsm` grammar: arguments, options, commands, and a parsed command."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

ArgKind: TypeAlias = Literal["name", "int", "word"]
OptionKind: TypeAlias = Literal["text", "choice", "number", "int", "people", "user", "raw"]
OptionValue: TypeAlias = str | int | float | tuple[str, ...]


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
    hint: str = "…"  # how a `raw` value looks, e.g. "2d 4h"

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
    def raw(cls, hint: str) -> OptionSpec:
        """Any text, kept for a later check (durations); `hint` shows how it looks."""
        return cls("raw", hint=hint)


@dataclass(frozen=True)
class CommandSpec:
    """One subcommand: the words that name it, its arguments, its options, its usage line."""

    path: tuple[str, ...]
    usage: str
    args: tuple[ArgSpec, ...] = ()
    options: Mapping[str, OptionSpec] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return " ".join(self.path)


@dataclass(frozen=True)
class Invocation:
    """A parsed command: args by name (absent optional ones left out), options as given."""

    path: tuple[str, ...]
    args: Mapping[str, str | int] = field(default_factory=dict)
    options: Mapping[str, OptionValue] = field(default_factory=dict)


def name_arg(name: str, *, optional: bool = False) -> ArgSpec:
    return ArgSpec(name, "name", 1, 80, optional=optional)


def int_arg(name: str, low: int, high: int, *, optional: bool = False) -> ArgSpec:
    return ArgSpec(name, "int", low, high, optional=optional)


def word_arg(name: str, *choices: str, optional: bool = False) -> ArgSpec:
    return ArgSpec(name, "word", choices=choices, optional=optional)


def rest_arg(name: str, *, optional: bool = False) -> ArgSpec:
    return ArgSpec(name, "name", 1, 200, optional=optional, rest=True)
