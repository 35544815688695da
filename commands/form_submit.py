"""Taking a submitted form: its fields are read with the rules of the command it stands in for
(commands/form_fields.py), then the SAME use case as that command runs. What is wrong goes
back under the field it is about; what was done is the use case's own result."""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from commands import cycles, kaizen, scheduling, steps, streams, targets
from commands.access import NotAllowed
from commands.form_fields import Fields, FormOutcome, Submitted, command_spec, stream_name
from commands.form_steps import step_change
from commands.forms import GONE
from commands.home import stream_name_of
from commands.services import Services
from commands.slash.routes import CONFLICT
from storage.tenant import Tenant
from vsm.errors import VsmError
from vsm.streams import ValueStream


@dataclass(frozen=True)
class StreamCreatedByForm:
    """A stream made with the form: homed in the channel picked, not where it was made."""

    stream: ValueStream


Submitter = Callable[[Submitted], FormOutcome]
# The block a use case's refusal is shown under, when it is not about one field.
MAIN = {"form_new_stream": "name", "form_step_add": "name", "form_step_change": "name",
        "form_measure": "label", "form_schedule": "every", "form_target": "lead",
        "form_propose": "title"}  # fmt: skip


def submit_form(
    services: Services,
    tenant: Tenant,
    callback_id: str,
    user: str,
    private_metadata: str,
    values: Mapping[str, Any],
) -> FormOutcome:
    """Take the form `callback_id` as `user` submitted it."""
    try:
        metadata = json.loads(private_metadata or "{}")
    except ValueError:
        metadata = {}
    form = Submitted(services, tenant, user, metadata if isinstance(metadata, dict) else {}, values)
    main = MAIN.get(callback_id, next(iter(values), "name"))
    try:
        return SUBMITTERS[callback_id](form)
    except NotAllowed as refused:
        return FormOutcome({_stream_block(form, main): refused.message})
    except VsmError as error:
        return FormOutcome({_block_of(error, form, main): error.message})
    except IntegrityError:
        return FormOutcome({main: CONFLICT})


def _stream_block(form: Submitted, main: str) -> str:
    return "stream" if "stream" in form.values else main


def _block_of(error: VsmError, form: Submitted, main: str) -> str:
    """Which field a use case's refusal is about, from the option its message names."""
    if "basis:working" in error.message and "basis" in form.values:
        return "basis"
    for option, block in (("at:", "at"), ("window", "window"), ("expect:", "expect"),
                          ("hours:", "hours"), ("days:", "days"), ("by:", "by")):  # fmt: skip
        if error.message.startswith(option) and block in form.values:
            return block
    return main


def _new_stream(form: Submitted) -> FormOutcome:
    fields = Fields(form.values, command_spec("new"))
    new = streams.NewStream(
        name=fields.name("name", "stream"),
        channel_id=fields.picked("channel"),
        created_by=form.user,
        trigger=fields.text("trigger", "trigger"),
        value=fields.text("value", "value"),
        customer=fields.text("customer", "customer"),
        basis=fields.choice("basis", "basis") or "calendar",
        hours_per_day=fields.number("hours", "hours"),
        days_per_week=fields.number("days", "days"),
    )
    if not new.channel_id:
        fields.fail("channel", "Pick the channel where the team works.")
    if fields.errors:
        return FormOutcome(fields.errors)
    created = streams.create_stream(form.services, form.tenant, new)
    return FormOutcome(done=StreamCreatedByForm(created.stream), stream=new.name)


def _step_add(form: Submitted) -> FormOutcome:
    fields = Fields(form.values, command_spec("step", "add"))
    stream = stream_name(form, fields)
    name, team = fields.name("name", "step"), fields.text("team", "team")
    people, at = fields.people("people"), fields.number("at", "at")
    if fields.errors:
        return FormOutcome(fields.errors)
    done = steps.add_step(
        form.services, form.tenant, stream, name=name, team=team, people=people,
        at=None if at is None else int(at), by=form.user,
    )  # fmt: skip
    return FormOutcome(done=done, stream=stream)


def _measure(form: Submitted) -> FormOutcome:
    fields = Fields(form.values, command_spec("measure"))
    stream = stream_name(form, fields)
    label, window = fields.text("label", "label"), fields.read("window", "window")
    if fields.errors:
        return FormOutcome(fields.errors)
    done = cycles.measure(
        form.services, form.tenant, stream, opened_by=form.user, label=label, window=window
    )
    return FormOutcome(done=done, stream=stream)


def _schedule(form: Submitted) -> FormOutcome:
    fields = Fields(form.values, command_spec("schedule"))
    stream = stream_name(form, fields)
    if "off" in fields.checked("off") and not fields.errors:
        done: object = scheduling.stop_schedule(form.services, form.tenant, stream, by=form.user)
        return FormOutcome(done=done, stream=stream)
    every = _whole(fields, "every")
    words = [f"every {every or 1} {fields.picked('unit') or 'weeks'}"]
    if fields.picked("weekday"):
        words.append(f"on {fields.picked('weekday')}")
    if fields.picked("at"):
        words.append(f"at {fields.picked('at')}")
    said = fields.read_arg("every", "when", " ".join(words))
    window, zone = fields.read("window", "window"), fields.read("tz", "tz")
    if fields.errors or said is None:
        return FormOutcome(fields.errors)
    done = scheduling.set_schedule(
        form.services, form.tenant, stream, said, window=window,
        zone=scheduling.zone_for(form.services, form.tenant, zone, form.user), user=form.user,
    )  # fmt: skip
    return FormOutcome(done=done, stream=stream)


def _whole(fields: Fields, block: str) -> int | None:
    text = fields.picked(block)
    if text and not (text.isdigit() and 1 <= int(text) <= 52):
        fields.fail(block, "Give a whole number from 1 to 52.")
        return None
    return int(text) if text else None


def _target(form: Submitted) -> FormOutcome:
    fields = Fields(form.values, command_spec("target"))
    stream = stream_name(form, fields)
    if "off" in fields.checked("off") and not fields.errors:
        dropped = targets.drop_target(form.services, form.tenant, stream, by=form.user)
        return FormOutcome(done=dropped, stream=stream)
    asked = targets.TargetAsked(
        lead=fields.read("lead", "lead"),
        ratio=fields.read("ratio", "ratio"),
        ca=fields.read("ca", "ca"),
        by=fields.read("by", "by"),
    )
    if not fields.errors and asked.is_empty():
        fields.fail("lead", "Give at least one of lead time, activity ratio or rolled %C&A.")
    if fields.errors:
        return FormOutcome(fields.errors)
    done = targets.set_target(form.services, form.tenant, stream, asked, by=form.user)
    return FormOutcome(done=done, stream=stream)


def _propose(form: Submitted) -> FormOutcome:
    fields = Fields(form.values, command_spec("improve"))
    stream_id, _, position = fields.picked("where").partition(":")
    known = stream_id.isdigit() and len(stream_id) < 19
    name = stream_name_of(form.services, form.tenant, int(stream_id)) if known else None
    if name is None:
        fields.fail("where", GONE if stream_id else "Pick a stream or one of its steps.")
    title = fields.name("title", "title")
    proposal = kaizen.Proposal(
        title=title,
        step=int(position) if position.isdigit() and int(position) > 0 else None,
        owner=fields.person("owner"),
        expect=fields.read("expect", "expect"),
        effort=fields.choice("effort", "effort"),
    )
    if fields.errors or name is None:
        return FormOutcome(fields.errors)
    done = kaizen.propose(form.services, form.tenant, name, proposal, by=form.user)
    return FormOutcome(done=done, stream=name)


SUBMITTERS: dict[str, Submitter] = {
    "form_new_stream": _new_stream,
    "form_step_add": _step_add,
    "form_step_change": step_change,
    "form_measure": _measure,
    "form_schedule": _schedule,
    "form_target": _target,
    "form_propose": _propose,
}
