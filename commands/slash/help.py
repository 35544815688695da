"""`/vsm help [command]`: what each command does and its exact form."""

from dataclasses import dataclass

from commands.slash import grammar
from vsm.errors import VsmError


@dataclass(frozen=True)
class CommandHelp:
    name: str
    usage: str


@dataclass(frozen=True)
class Help:
    """The reply to `/vsm help`: all commands, or the ones asked about in detail."""

    commands: tuple[CommandHelp, ...]
    detailed: bool


def command_help(topic: str) -> Help:
    """The commands to describe: all of them, or those `topic` names (`step` → all step ones).

    Raises:
        VsmError: no command is called `topic`; the message lists the commands.
    """
    specs = grammar.specs_for(topic)
    if not specs:
        raise VsmError(
            f"There is no command “{topic}”. The commands are: {', '.join(grammar.COMMAND_NAMES)}."
        )
    return Help(tuple(CommandHelp(spec.name, spec.usage) for spec in specs), detailed=bool(topic))
