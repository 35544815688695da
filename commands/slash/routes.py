"""From a parsed `/vsm` command to its use case: one small function per command that hands
the grammar's values to the use case, and `run_command`, which turns every outcome into a
result to show (a problem the person can fix included)."""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy.exc import IntegrityError

from commands import (
    compare,
    cycles,
    export_upload,
    handoffs,
    kaizen,
    overlaps,
    owners,
    pictures,
    portfolio,
    scheduling,
    segments,
    steps,
    streams,
    support,
    survey,
    targets,
    teams,
    value,
)
from commands.access import NotAllowed, NotAllowedReply
from commands.outcomes import Problem
from commands.services import Services
from commands.slash import grammar
from commands.slash.help import command_help
from commands.slash.readers import DigestWord, ImprovementMove
from storage.tenant import Tenant
from vsm.errors import VsmError
from vsm.schedule_words import ScheduleWords

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asker:
    """Who asked, where (the tenant from Bolt's context, never from the text)."""

    tenant: Tenant
    user_id: str
    channel_id: str


@dataclass(frozen=True)
class Call:
    """A parsed command on its way to its use case."""

    services: Services
    asker: Asker
    args: Mapping[str, Any]
    options: Mapping[str, Any]

    @property
    def tenant(self) -> Tenant:
        return self.asker.tenant

    @property
    def stream(self) -> str:
        return str(self.args["stream"])

    @property
    def by(self) -> str:
        """Who asked: the person a change is recorded under."""
        return self.asker.user_id


Route = Callable[[Call], object]


def _new(call: Call) -> object:
    opts = call.options
    return streams.create_stream(
        call.services,
        call.tenant,
        streams.NewStream(
            name=call.stream,
            channel_id=call.asker.channel_id,
            created_by=call.asker.user_id,
            trigger=opts.get("trigger", ""),
            value=opts.get("value", ""),
            customer=opts.get("customer", ""),
            basis=opts.get("basis", "calendar"),
            hours_per_day=opts.get("hours"),
            days_per_week=opts.get("days"),
        ),
    )


def _step_add(call: Call) -> object:
    opts = call.options
    return steps.add_step(
        call.services,
        call.tenant,
        call.stream,
        name=call.args["step"],
        team=opts.get("team", ""),
        people=opts.get("people", ()),
        at=opts.get("at"),
        by=call.by,
    )


def _step_edit(call: Call) -> object:
    opts = call.options
    return steps.edit_step(
        call.services,
        call.tenant,
        call.stream,
        call.args["n"],
        name=opts.get("name"),
        team=opts.get("team"),
        people=opts.get("people"),
        by=call.by,
    )


def _measure(call: Call) -> object:
    return cycles.measure(
        call.services,
        call.tenant,
        call.stream,
        opened_by=call.asker.user_id,
        label=call.options.get("label", ""),
        window=call.options.get("window"),
    )


def _schedule(call: Call) -> object:
    when: ScheduleWords | Literal["off"] | None = call.args.get("when")
    if when is None:
        return scheduling.show_schedule(call.services, call.tenant, call.stream, by=call.by)
    if when == "off":
        return scheduling.stop_schedule(call.services, call.tenant, call.stream, by=call.by)
    return scheduling.set_schedule(
        call.services,
        call.tenant,
        call.stream,
        when,
        window=call.options.get("window"),
        zone=scheduling.zone_for(
            call.services, call.tenant, call.options.get("tz"), call.asker.user_id
        ),
        user=call.asker.user_id,
    )


def _digest(call: Call) -> object:
    when: ScheduleWords | DigestWord = call.args["when"]
    channel = call.asker.channel_id
    if when == "off":
        return scheduling.stop_digest(call.services, call.tenant, channel, by=call.by)
    if when == "now":
        return scheduling.digest_now(call.services, call.tenant, channel)
    return scheduling.set_digest(
        call.services,
        call.tenant,
        channel,
        when,
        zone=scheduling.zone_for(
            call.services, call.tenant, call.options.get("tz"), call.asker.user_id
        ),
        user=call.asker.user_id,
    )


def _improve(call: Call) -> object:
    opts = call.options
    return kaizen.propose(
        call.services,
        call.tenant,
        call.stream,
        kaizen.Proposal(
            title=call.args["title"],
            step=opts.get("step"),
            owner=opts.get("owner"),
            expect=opts.get("expect"),
            effort=opts.get("effort"),
        ),
        by=call.asker.user_id,
    )


def _improvement(call: Call) -> object:
    move: ImprovementMove = call.args["what"]
    return kaizen.move_improvement(
        call.services,
        call.tenant,
        move.stream,
        move.number,
        move.status,
        channel_id=call.asker.channel_id,
        by=call.by,
    )


def _target(call: Call) -> object:
    if call.args.get("off"):
        return targets.drop_target(call.services, call.tenant, call.stream, by=call.by)
    if not call.options:
        return targets.show_target(call.services, call.tenant, call.stream, by=call.by)
    opts = call.options
    asked = targets.TargetAsked(
        lead=opts.get("lead"), ratio=opts.get("ratio"), ca=opts.get("ca"), by=opts.get("by")
    )
    return targets.set_target(call.services, call.tenant, call.stream, asked, by=call.asker.user_id)


def _team(call: Call) -> object:
    opts, name = call.options, str(call.args["team"])
    if call.args.get("action") == "remove":
        if opts:
            raise VsmError("Removing a team takes no options; give them to change it instead.")
        return teams.remove_team(call.services, call.tenant, name, by=call.by)
    if not opts:
        return teams.show_team(call.services, call.tenant, name, call.by)
    return teams.save_team(
        call.services,
        call.tenant,
        name,
        team_type=opts.get("type"),
        mission=opts.get("mission"),
        people=opts.get("people"),
        new_name=opts.get("name"),
        by=call.by,
    )


ROUTES: Mapping[tuple[str, ...], Route] = {
    ("help",): lambda call: command_help(str(call.args.get("command", ""))),
    ("new",): _new,
    ("list",): lambda call: streams.list_streams(
        call.services, call.tenant, call.asker.channel_id, call.by
    ),
    ("show",): lambda call: streams.show_stream(call.services, call.tenant, call.stream, call.by),
    ("rename",): lambda call: streams.rename_stream(
        call.services, call.tenant, call.stream, call.args["new_name"], by=call.by
    ),
    ("archive",): lambda call: streams.archive_stream(
        call.services, call.tenant, call.stream, True, by=call.by
    ),
    ("unarchive",): lambda call: streams.archive_stream(
        call.services, call.tenant, call.stream, False, by=call.by
    ),
    ("owners",): lambda call: owners.change_owners(
        call.services,
        call.tenant,
        call.stream,
        cast(Any, call.args.get("action", "")),
        tuple(call.args.get("people", ())),
        by=call.by,
    ),
    ("history",): lambda call: owners.stream_history(
        call.services, call.tenant, call.stream, int(call.args.get("page", 1)), by=call.by
    ),
    ("step", "add"): _step_add,
    ("step", "edit"): _step_edit,
    ("step", "move"): lambda call: steps.move_step(
        call.services, call.tenant, call.stream, call.args["n"], call.args["to"], by=call.by
    ),
    ("step", "remove"): lambda call: steps.remove_step(
        call.services, call.tenant, call.stream, call.args["n"], by=call.by
    ),
    ("measure",): _measure,
    ("close",): lambda call: cycles.close(
        call.services, call.tenant, call.stream, closed_by=call.by
    ),
    ("cancel",): lambda call: cycles.cancel(call.services, call.tenant, call.stream, by=call.by),
    ("compare",): lambda call: compare.compare_cycles(
        call.services,
        call.tenant,
        call.stream,
        call.args.get("before"),
        call.args.get("after"),
        by=call.by,
    ),
    ("schedule",): _schedule,
    ("digest",): _digest,
    ("survey",): lambda call: survey.survey(
        call.services, call.tenant, call.stream, cast(Any, call.args.get("action", "")), by=call.by
    ),
    ("improve",): _improve,
    ("improvements",): lambda call: kaizen.list_improvements(
        call.services, call.tenant, call.stream, ranked=call.args.get("how") == "rank", by=call.by
    ),
    ("improvement",): _improvement,
    ("target",): _target,
    ("map",): lambda call: pictures.request_map(
        call.services,
        call.tenant,
        call.stream,
        call.options.get("cycle"),
        by=call.by,
        channel_id=call.asker.channel_id,
    ),
    ("trend",): lambda call: pictures.request_trend(
        call.services, call.tenant, call.stream, by=call.by, channel_id=call.asker.channel_id
    ),
    ("export",): lambda call: export_upload.export_file(
        call.services,
        call.tenant,
        call.stream,
        channel_id=call.asker.channel_id,
        user_id=call.by,
    ),
    # ---- Value Stream Management ----
    ("team",): _team,
    ("teams",): lambda call: teams.list_teams(call.services, call.tenant, call.by),
    ("handoff",): lambda call: handoffs.set_handoff(
        call.services,
        call.tenant,
        call.stream,
        call.args["n"],
        call.options.get("mode"),
        by=call.by,
    ),
    ("value",): lambda call: value.value(
        call.services,
        call.tenant,
        call.stream,
        cast(Any, call.args.get("action", "")),
        by=call.by,
    ),
    ("support",): lambda call: support.set_support(
        call.services,
        call.tenant,
        str(call.args["support"]),
        serves=call.options.get("serves"),
        step=call.options.get("step"),
        off=bool(call.args.get("off")),
        by=call.by,
    ),
    ("segment",): lambda call: segments.set_segment(
        call.services,
        call.tenant,
        call.stream,
        str(call.args["segment"]),
        steps=call.options.get("steps"),
        owner=call.options.get("owner"),
        off=bool(call.args.get("off")),
        by=call.by,
    ),
    ("portfolio",): lambda call: portfolio.portfolio(
        call.services,
        call.tenant,
        cast(Any, call.args.get("scope", "channel")),
        channel_id=call.asker.channel_id,
        by=call.by,
    ),
    ("portfolio", "rank"): lambda call: portfolio.rank_improvements(
        call.services,
        call.tenant,
        cast(Any, call.args.get("scope", "channel")),
        channel_id=call.asker.channel_id,
        by=call.by,
    ),
    ("overlaps",): lambda call: overlaps.find_overlaps(call.services, call.tenant, by=call.by),
}

USAGES: Mapping[tuple[str, ...], str] = {spec.path: spec.usage for spec in grammar.SPECS}

CONFLICT = (
    "Someone changed the same thing at the same moment, so nothing was stored. Please try again."
)


def run_command(services: Services, asker: Asker, text: str) -> object:
    """Parse and run one `/vsm` command. What the person got wrong (or could not have known,
    like a write that collided with another) is a Problem to show; anything else raises."""
    usage: str | None = None
    try:
        invocation = grammar.parse(text)
        usage = USAGES[invocation.path]
        route = ROUTES[invocation.path]
        return route(Call(services, asker, invocation.args, invocation.options))
    except NotAllowed as refused:
        return NotAllowedReply(refused.stream, refused.doing, refused.owners)
    except teams.TeamNotAllowed as refused:
        return refused.reply
    except VsmError as error:
        return Problem(error.message, error.usage or usage)
    except IntegrityError:
        log.warning("conflicting write for /vsm %r", text, exc_info=True)
        return Problem(CONFLICT, usage)
