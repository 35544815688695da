"""Reading a `/vsm` command with the grammar table: `parse` has no per-command branches.

The table is commands/slash/table.py; the shapes it is made of are commands/slash/specs.py.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from commands.slash.specs import ArgSpec, CommandSpec, OptionKind, OptionSpec, OptionValue
from commands.slash.specs import Invocation as Invocation

# The table and what `parse` returns are re-exported: callers read commands from here.
from commands.slash.table import SPECS as SPECS

# CommandError lives beside the tokenizer, which raises it first; callers import it from here.
from commands.slash.tokens import CommandError as CommandError
from commands.slash.tokens import Mention, Option, Quoted, Token, Word, preview, tokenize
from vsm.errors import VsmError

_MENTIONS = ("people", "user")  # option kinds that take mentions
MOST_MENTIONS = 20
_WHOLE = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,9}(?:\.[0-9]{0,9})?|\.[0-9]{1,9}")


COMMAND_NAMES: tuple[str, ...] = tuple(spec.name for spec in SPECS)


def specs_for(command: str, specs: Sequence[CommandSpec] = SPECS) -> tuple[CommandSpec, ...]:
    """The specs `/vsm help <command>` should show: the exact one, else all under that prefix.

    `specs_for("step add")` is one spec, `specs_for("step")` the four step commands,
    `specs_for("")` all of them, and an unknown command none.
    """
    words = tuple(command.lower().split())
    exact = tuple(spec for spec in specs if spec.path == words)
    return exact or tuple(spec for spec in specs if spec.path[: len(words)] == words)


def parse(text: str, specs: Sequence[CommandSpec] = SPECS) -> Invocation:
    """Read the text of a `/vsm` command; empty text asks for help.

    Raises:
        CommandError: the message says what is wrong; `usage` is that command's right form.
    """
    tokens = _tokenize(text, specs)
    if not tokens:
        return Invocation(("help",))
    spec = _longest_match(_leading_words(tokens), specs)
    if spec is None:
        raise _unknown_command(tokens, specs)
    options, positional, mentioned = _read_options(tokens[len(spec.path) :], spec)
    args = _read_args(positional, spec)
    if spec.mentions is not None:
        args[spec.mentions] = tuple(dict.fromkeys(mentioned))
    return Invocation(spec.path, MappingProxyType(args), MappingProxyType(options))


def _tokenize(text: str, specs: Sequence[CommandSpec]) -> list[Token]:
    try:
        return tokenize(text)
    except CommandError as error:
        spec = _longest_match(text.lower().split(), specs)
        raise CommandError(error.message, spec.usage if spec else None) from error


def _leading_words(tokens: Sequence[Token]) -> list[str]:
    words: list[str] = []
    for token in tokens:
        # An entity with nothing in it (`<|>`) reads as an empty word: no command starts so.
        if not isinstance(token, Word) or not token.text.strip():
            break
        words.append(token.text.lower())
    return words


def _longest_match(words: Sequence[str], specs: Sequence[CommandSpec]) -> CommandSpec | None:
    found = [spec for spec in specs if tuple(words[: len(spec.path)]) == spec.path]
    return max(found, key=lambda spec: len(spec.path), default=None)


def _unknown_command(tokens: Sequence[Token], specs: Sequence[CommandSpec]) -> CommandError:
    words = _leading_words(tokens)
    known = 0  # how many leading words some command path shares
    while known < len(words) and specs_for(" ".join(words[: known + 1]), specs):
        known += 1
    guess = _guess(words, specs)
    hint = f" Did you mean `/vsm {guess.name}`?" if guess else ""
    if known == 0:
        typed = words[0] if words else tokens[0].shown.strip()
        said = f"`/vsm {preview(typed)}`" if typed else "that command"
        return CommandError(
            f"I do not know {said}. Try `/vsm help`.{hint}", guess.usage if guess else None
        )
    group = specs_for(" ".join(words[:known]), specs)
    nexts = sorted({spec.path[known] for spec in group})
    listed = ", ".join(f"`{word}`" for word in nexts)
    message = f"After `/vsm {' '.join(words[:known])}`, use one of: {listed}."
    if len(words) > known:
        message = f"I do not know `/vsm {' '.join(words[: known + 1])}`. {message}"
    return CommandError(message + hint, "\n".join(spec.usage for spec in group))


def _guess(words: Sequence[str], specs: Sequence[CommandSpec]) -> CommandSpec | None:
    """The command the person most likely meant, if one is close to what they typed."""
    by_name = {spec.name: spec for spec in specs}
    for size in sorted({len(spec.path) for spec in specs}, reverse=True):
        typed = " ".join(words[:size])
        close = difflib.get_close_matches(typed, list(by_name), n=1, cutoff=0.75) if typed else []
        if close:
            return by_name[close[0]]
    return None


def _read_options(
    tokens: Sequence[Token], spec: CommandSpec
) -> tuple[dict[str, OptionValue], list[Word | Quoted], list[str]]:
    """The options, the other words (for the arguments), and the mentions of a command that
    takes them bare (`/vsm owners "X" add @a @b`)."""
    options: dict[str, OptionValue] = {}
    positional: list[Word | Quoted] = []
    mentioned: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if isinstance(token, Mention):
            if spec.mentions is None:
                raise _stray_mention(token, spec)
            if len(mentioned) >= MOST_MENTIONS:
                raise CommandError(f"Name at most {MOST_MENTIONS} people at once.", spec.usage)
            mentioned.append(token.user_id)
            continue
        if spec.mentions is not None and isinstance(token, Word) and not token.text.strip(","):
            continue  # `@a, @b`
        if not isinstance(token, Option):
            positional.append(token)
            continue
        name = _option_name(token, spec)
        if name in options:
            raise CommandError(f"`{name}:` is given twice; give it once.", spec.usage)
        mentions = _following_mentions(tokens, index)
        options[name], used = _option_value(name, spec.options[name], token, mentions, spec)
        index += used
    return options, positional, mentioned


def _stray_mention(token: Mention, spec: CommandSpec) -> CommandError:
    takers = [f"`{name}:`" for name, option in spec.options.items() if option.kind in _MENTIONS]
    where = f"mentions go after {' or '.join(takers)}" if takers else "it takes no mentions"
    return CommandError(
        f"I did not expect the mention `{token.shown}` in `/vsm {spec.name}`; {where}.", spec.usage
    )


def _option_name(token: Option, spec: CommandSpec) -> str:
    # Unique prefixes work (`cust:` for `customer:`); an exact name always wins.
    matches = sorted(name for name in spec.options if name.startswith(token.key))
    if token.key in spec.options:
        return token.key
    if len(matches) == 1:
        return matches[0]
    if matches:
        could = " or ".join(f"`{name}:`" for name in matches)
        raise CommandError(f"`{token.key}:` could mean {could}; write it out.", spec.usage)
    allowed = ", ".join(f"`{name}:`" for name in spec.options)
    takes = f"It takes {allowed}." if allowed else "It takes no options."
    hint = " If that is part of a name, put the name in quotes." if spec.args else ""
    raise CommandError(
        f"`/vsm {spec.name}` has no option `{token.key}:`. {takes}{hint}", spec.usage
    )


def _following_mentions(tokens: Sequence[Token], start: int) -> list[Mention | Word]:
    """Mentions right after `start`, with any lone commas between them (`@a, @b`)."""
    found: list[Mention | Word] = []
    for token in tokens[start:]:
        if isinstance(token, Mention) or (isinstance(token, Word) and not token.text.strip(",")):
            found.append(token)
        else:
            break
    while found and isinstance(found[-1], Word):  # a trailing comma is not part of the list
        found.pop()
    return found


def _option_value(
    name: str,
    option: OptionSpec,
    token: Option,
    following: list[Mention | Word],
    spec: CommandSpec,
) -> tuple[OptionValue, int]:
    """The option's value, and how many of the `following` tokens it used."""
    found: tuple[OptionValue, int] | None
    if option.kind == "people":
        crowd = _people(token, following)
        if crowd is not None and len(crowd[0]) > option.high:
            raise _bad_value(name, option, token, spec, f"at most {option.high:g} people")
        found = crowd
    elif option.kind == "user":
        found = _user(token, following)
    elif isinstance(token.value, Mention):
        found = None
    elif option.kind == "read":
        given = "" if token.value is None else token.value.text.strip()
        found = (_read_option(name, option, given, spec), 0)
    else:
        given = "" if token.value is None else token.value.text.strip()
        converted = _CONVERTERS[option.kind](given, option)
        found = None if converted is None else (converted, 0)
    if found is None:
        raise _bad_value(name, option, token, spec)
    return found


def _read_option(name: str, option: OptionSpec, given: str, spec: CommandSpec) -> OptionValue:
    """An option's value from its reader; the reader's error becomes the reply."""
    if option.reader is None:
        raise ValueError(f"option {name} of /vsm {spec.name} has no reader")
    try:
        return option.reader(given)
    except VsmError as error:
        if option.named:
            # The value's own examples (`2h`) would replace the command's form: name the
            # option instead and show the command.
            raise CommandError(f"{name}: {error.message}", spec.usage) from None
        raise CommandError(error.message, error.usage or spec.usage) from None


def _people(token: Option, following: list[Mention | Word]) -> tuple[tuple[str, ...], int] | None:
    if isinstance(token.value, Word | Quoted):
        return None
    ids = [token.value.user_id] if token.value else []
    ids += [item.user_id for item in following if isinstance(item, Mention)]
    return tuple(dict.fromkeys(ids)), len(following)


def _user(token: Option, following: list[Mention | Word]) -> tuple[str, int] | None:
    if isinstance(token.value, Mention):
        return token.value.user_id, 0
    if token.value is None and following and isinstance(following[0], Mention):
        return following[0].user_id, 1
    return None


def _text(given: str, option: OptionSpec) -> OptionValue | None:
    fits = option.low <= len(given) <= option.high
    return given if fits and not _has_control(given) else None


def _choice(given: str, option: OptionSpec) -> OptionValue | None:
    return given.lower() if given.lower() in option.choices else None


def _number(given: str, option: OptionSpec) -> OptionValue | None:
    if not _DECIMAL.fullmatch(given):
        return None
    return float(given) if option.low <= float(given) <= option.high else None


def _integer(given: str, option: OptionSpec) -> OptionValue | None:
    if not _WHOLE.fullmatch(given):
        return None
    return int(given) if option.low <= int(given) <= option.high else None


_CONVERTERS: Mapping[OptionKind, Callable[[str, OptionSpec], OptionValue | None]] = {
    "text": _text,
    "choice": _choice,
    "number": _number,
    "int": _integer,
}


def _bad_value(
    name: str, option: OptionSpec, token: Option, spec: CommandSpec, why: str = ""
) -> CommandError:
    expects = why or _expects(name, option)
    return CommandError(
        f"`{preview(token.shown)}` will not do: `{name}:` takes {expects}.", spec.usage
    )


def _expects(name: str, option: OptionSpec) -> str:
    low, high = f"{option.low:g}", f"{option.high:g}"
    if option.kind == "text":
        size = f"{low} to {high}" if option.low else f"at most {high}"
        return f'one line of {size} characters, like `{name}:"…"`'
    if option.kind == "choice":
        return "one of " + ", ".join(f"`{name}:{value}`" for value in option.choices)
    if option.kind == "number":
        return f"a number from {low} to {high}, like `{name}:{low}`"
    if option.kind == "int":
        return f"a whole number from {low} to {high}, like `{name}:{low}`"
    if option.kind == "people":
        return f"mentions, like `{name}:@a @b` (type @ and pick each person)"
    if option.kind == "user":
        return f"one mention, like `{name}:@someone` (type @ and pick the person)"
    return f"a value like `{name}:{option.hint}`"


def _read_args(positional: Sequence[Word | Quoted], spec: CommandSpec) -> dict[str, object]:
    args: dict[str, object] = {}
    waiting = list(positional)
    for arg in spec.args:
        taken, waiting = (waiting, []) if arg.rest else (waiting[:1], waiting[1:])
        if taken:
            args[arg.name] = _convert_arg(arg, " ".join(token.text for token in taken), spec)
        elif not arg.optional:
            raise CommandError(f"Missing {arg.label}.", spec.usage)
    if waiting:
        names = any(arg.kind == "name" for arg in spec.args)
        hint = " Names with spaces go in quotes." if names and isinstance(waiting[0], Word) else ""
        raise CommandError(f"I did not expect `{preview(waiting[0].shown)}`.{hint}", spec.usage)
    return args


def _convert_arg(arg: ArgSpec, given: str, spec: CommandSpec) -> object:
    given = given.strip()
    shown = preview(given)
    if arg.kind == "int":
        if _WHOLE.fullmatch(given) and arg.low <= int(given) <= arg.high:
            return int(given)
        raise CommandError(
            f"`{shown}` will not do: {arg.label} is a whole number from {arg.low} to {arg.high}.",
            spec.usage,
        )
    if arg.kind == "read":
        if arg.reader is None:
            raise ValueError(f"argument {arg.name} of /vsm {spec.name} has no reader")
        try:
            return arg.reader(given)
        except VsmError as error:
            raise CommandError(error.message, error.usage or spec.usage) from None
    if arg.kind == "word":
        if given.lower() in arg.choices:
            return given.lower()
        listed = ", ".join(f"`{word}`" for word in arg.choices)
        raise CommandError(f"`{shown}` will not do: {arg.label} is one of {listed}.", spec.usage)
    return _check_name(arg, given, spec)


def _check_name(arg: ArgSpec, given: str, spec: CommandSpec) -> str:
    if not given:
        raise CommandError(f"{arg.label} cannot be empty.", spec.usage)
    if _has_control(given):
        raise CommandError(f"{arg.label} must be one line, without tabs.", spec.usage)
    if len(given) > arg.high:
        raise CommandError(
            f"`{preview(given)}` is {len(given)} characters; "
            f"{arg.label} can have at most {arg.high}.",
            spec.usage,
        )
    return given


def _has_control(given: str) -> bool:
    # Names and labels end up in one-line places (headers, buttons), so no tabs or line breaks.
    return any(unicodedata.category(char) == "Cc" for char in given)
