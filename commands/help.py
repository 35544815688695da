"""`/vsm help [command]`: what each command does and its exact form."""

from dataclasses import dataclass

from commands import grammar
from commands.slash import Call, Reply, ephemeral
from vsm.errors import VsmError


@dataclass(frozen=True)
class CommandHelp:
    name: str
    usage: str


def command_help(topic: str) -> tuple[CommandHelp, ...]:
    """The commands to describe: all of them, or those `topic` names (`step` → all step ones).

    Raises:
        VsmError: no command is called `topic`; the message lists the commands.
    """
    specs = grammar.specs_for(topic)
    if not specs:
        raise VsmError(
            f"There is no command “{topic}”. The commands are: {', '.join(grammar.COMMAND_NAMES)}."
        )
    return tuple(CommandHelp(spec.name, spec.usage) for spec in specs)


def handle_help(call: Call) -> Reply:
    topic = str(call.args.get("command", ""))
    return ephemeral(
        call.services.renderer.message(
            "help.json.j2", commands=command_help(topic), detailed=bool(topic)
        )
    )
