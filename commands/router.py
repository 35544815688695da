"""The `/vsm` slash command: one thin listener that hands each subcommand to its handler."""

import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import IntegrityError, OperationalError

from commands import (
    compare,
    cycles,
    export,
    grammar,
    help,
    kaizen,
    scheduling,
    steps,
    streams,
    survey,
    targets,
)
from commands.services import Services
from commands.slash import Call, Handler, Reply, SlashRequest, ephemeral, tenant_of
from vsm.errors import VsmError

log = logging.getLogger(__name__)

HANDLERS: Mapping[tuple[str, ...], Handler] = {
    ("help",): help.handle_help,
    ("new",): streams.handle_new,
    ("list",): streams.handle_list,
    ("show",): streams.handle_show,
    ("rename",): streams.handle_rename,
    ("archive",): streams.handle_archive,
    ("unarchive",): streams.handle_unarchive,
    ("step", "add"): steps.handle_step_add,
    ("step", "edit"): steps.handle_step_edit,
    ("step", "move"): steps.handle_step_move,
    ("step", "remove"): steps.handle_step_remove,
    ("measure",): cycles.handle_measure,
    ("close",): cycles.handle_close,
    ("cancel",): cycles.handle_cancel,
    ("compare",): compare.handle_compare,
    ("schedule",): scheduling.handle_schedule,
    ("digest",): scheduling.handle_digest,
    ("survey",): survey.handle_survey,
    ("improve",): kaizen.handle_improve,
    ("improvements",): kaizen.handle_improvements,
    ("improvement",): kaizen.handle_improvement,
    ("target",): targets.handle_target,
    ("export",): export.handle_export,
}

USAGES: Mapping[tuple[str, ...], str] = {spec.path: spec.usage for spec in grammar.SPECS}


def run_slash(services: Services, request: SlashRequest) -> Reply:
    """Parse and run one `/vsm` call; every outcome, good or bad, is a reply for the asker."""
    usage: str | None = None
    try:
        invocation = grammar.parse(request.text)
        usage = USAGES[invocation.path]
        handler = HANDLERS[invocation.path]
        return handler(Call(invocation.args, invocation.options, request, services))
    except VsmError as error:
        return error_reply(services, error.message, error.usage or usage)
    except IntegrityError:
        log.warning("conflicting write for /vsm %r", request.text, exc_info=True)
        return error_reply(
            services,
            "Someone changed the same thing at the same moment, so nothing was stored. "
            "Please try again.",
            usage,
        )
    except OperationalError:
        return failure_reply(services, "database unavailable")
    except Exception:
        return failure_reply(services, "unexpected error")


def error_reply(services: Services, problem: str, usage: str | None) -> Reply:
    return ephemeral(services.renderer.message("error.json.j2", problem=problem, usage=usage))


def failure_reply(services: Services, what: str) -> Reply:
    """A reply for our own failure: logged with a reference the person can quote."""
    reference = uuid.uuid4().hex[:8]
    log.exception("%s (reference %s)", what, reference)
    return ephemeral(services.renderer.message("failure.json.j2", reference=reference))


def register(app: App, services: Services) -> None:
    """Listen for `/vsm`."""
    app.command("/vsm")(_listener(services))


def _listener(services: Services) -> Callable[..., None]:
    def handle_vsm(
        ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        ack()
        tenant = tenant_of(context)
        if tenant is None:
            log.warning("a /vsm call without a workspace: %r", command)
            return
        request = SlashRequest(
            tenant=tenant,
            user_id=command.get("user_id", ""),
            channel_id=command.get("channel_id", ""),
            text=command.get("text", ""),
            trigger_id=command.get("trigger_id"),
        )
        respond(**run_slash(services, request))

    return handle_vsm
