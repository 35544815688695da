"""Reading a submitted form's fields with the same rules as the `/vsm` command they stand in
for: the bounds and readers come from that command's entry in the grammar table, so a form
and its command can never accept different things. Errors are collected per field."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from commands.forms import GONE
from commands.home import stream_name_of
from commands.services import Services
from commands.slash.grammar import SPECS
from commands.slash.specs import ArgSpec, CommandSpec, OptionSpec
from storage.tenant import Tenant
from vsm.errors import VsmError

_BY_PATH = {spec.path: spec for spec in SPECS}


def command_spec(*path: str) -> CommandSpec:
    """The grammar's entry for `/vsm <path>`."""
    return _BY_PATH[path]


def _arg(spec: CommandSpec, name: str) -> ArgSpec:
    return next(arg for arg in spec.args if arg.name == name)


def _one_line(text: str) -> bool:
    return "\n" not in text and "\t" not in text and "\r" not in text


class Fields:
    """A form's values by block id, read one field at a time; `errors` holds what was wrong,
    by block id, in the words the form shows under the field."""

    def __init__(self, values: Mapping[str, Any], command: CommandSpec) -> None:
        self.values = values
        self.command = command
        self.errors: dict[str, str] = {}

    def _text(self, block: str) -> str:
        value = self.values.get(block)
        return value.strip() if isinstance(value, str) else ""

    def fail(self, block: str, message: str) -> None:
        self.errors.setdefault(block, message)

    def name(self, block: str, arg: str) -> str:
        """A required name, as the command's `<arg>` takes it."""
        spec, text = _arg(self.command, arg), self._text(block)
        if not text:
            self.fail(block, "Give a name.")
        elif not _one_line(text):
            self.fail(block, "One line, please.")
        elif len(text) > spec.high:
            self.fail(block, f"At most {spec.high} characters; this has {len(text)}.")
        return text

    def text(self, block: str, option: str) -> str:
        """Optional text, as the command's `option:` takes it ("" when left empty)."""
        spec, text = self.command.options[option], self._text(block)
        if text and not _one_line(text):
            self.fail(block, "One line, please.")
        elif len(text) > spec.high or (text and len(text) < spec.low):
            self.fail(block, f"At most {spec.high:g} characters; this has {len(text)}.")
        return text

    def number(self, block: str, option: str) -> float | None:
        """An optional number within the bounds of the command's `option:`."""
        spec, text = self.command.options[option], self._text(block)
        if not text:
            return None
        try:
            found = float(text)
        except ValueError:
            found = None
        if (
            found is None
            or not spec.low <= found <= spec.high
            or (spec.kind == "int" and not found.is_integer())
        ):
            whole = "a whole number" if spec.kind == "int" else "a number"
            self.fail(block, f"Give {whole} from {spec.low:g} to {spec.high:g}.")
            return None
        return found

    def read(self, block: str, option: str, *, text: str | None = None) -> Any:
        """An optional value the command's `option:` reader makes of the text (a duration, a
        percentage, a date…); its message is the field's error."""
        spec: OptionSpec = self.command.options[option]
        given = self._text(block) if text is None else text
        if not given or spec.reader is None:
            return None
        try:
            return spec.reader(given)
        except VsmError as error:
            self.fail(block, error.message)
            return None

    def read_arg(self, block: str, arg: str, text: str) -> Any:
        """What the command's `<arg>` reader makes of `text` (its message is the error)."""
        spec = _arg(self.command, arg)
        if spec.reader is None:
            raise ValueError(f"<{arg}> of /vsm {self.command.name} has no reader")
        try:
            return spec.reader(text)
        except VsmError as error:
            self.fail(block, error.message)
            return None

    def choice(self, block: str, option: str) -> str | None:
        """One of the command's choices for `option:` (None when none was picked)."""
        text = self._text(block).lower()
        if not text:
            return None
        if text not in self.command.options[option].choices:
            self.fail(block, "Pick one of the choices.")
            return None
        return text

    def people(self, block: str, option: str = "people") -> tuple[str, ...]:
        """The people picked, at most as many as the command's `option:` takes."""
        value = self.values.get(block)
        picked = tuple(dict.fromkeys(value)) if isinstance(value, tuple) else ()
        most = int(self.command.options[option].high)
        if len(picked) > most:
            self.fail(block, f"Pick at most {most} people.")
        return picked

    def person(self, block: str) -> str | None:
        value = self.values.get(block)
        return value if isinstance(value, str) and value else None

    def picked(self, block: str) -> str:
        """The value of the option picked in a select ("" when none)."""
        return self._text(block)

    def checked(self, block: str) -> tuple[str, ...]:
        value = self.values.get(block)
        return value if isinstance(value, tuple) else ()


@dataclass(frozen=True)
class FormOutcome:
    """Field errors by block id (the form stays open), or what was done and to which stream."""

    errors: dict[str, str] = field(default_factory=dict)
    done: object | None = None
    stream: str | None = None


@dataclass(frozen=True)
class Submitted:
    """A form as it arrived: who, its metadata, its values by block id."""

    services: Services
    tenant: Tenant
    user: str
    metadata: Mapping[str, Any]
    values: Mapping[str, Any]


def stream_name(form: Submitted, fields: Fields) -> str:
    """The stream the form is about: fixed when it opened, or picked in it."""
    raw = form.metadata.get("stream") or fields.picked("stream")
    stream_id = int(raw) if str(raw).isdigit() and len(str(raw)) < 19 else None
    name = None if stream_id is None else stream_name_of(form.services, form.tenant, stream_id)
    if name is None:
        where = "stream" if "stream" in form.values else next(iter(form.values), "name")
        fields.fail(where, GONE if raw else "Pick one.")
    return name or ""
