"""The "Change a step" form: `/vsm step edit`, `move` and `remove` in one, each submission
carried out by exactly one of those use cases, so nothing is ever half done."""

from commands import steps
from commands.form_fields import Fields, FormOutcome, Submitted, command_spec, stream_name
from storage import streams as stream_rows
from vsm.streams import StreamStep

STALE = "The steps changed since this form opened; close it and pick the step again."


def _step_now(form: Submitted, stream: str, position: int) -> StreamStep | None:
    """Step `position` of the stream as it is now (None if there is none)."""
    with form.services.unit_of_work(read_only=True) as session:
        found = stream_rows.stream_by_name(session=session, tenant=form.tenant, name=stream)
        rows = [] if found is None else stream_rows.list_steps(
            session=session, tenant=form.tenant, stream=found
        )  # fmt: skip
        return stream_rows.stream_step(rows[position - 1]) if 0 < position <= len(rows) else None


def step_change(form: Submitted) -> FormOutcome:
    """Remove the step, move it, or change its name, team and people: one of them."""
    fields = Fields(form.values, command_spec("step", "edit"))
    stream = stream_name(form, fields)
    raw = str(form.metadata.get("step") or "")
    n = int(raw) if raw.isdigit() and len(raw) < 4 else 0
    if fields.errors or n == 0:
        return FormOutcome(fields.errors or {"name": STALE})
    step = _step_now(form, stream, n)
    if step is None or step.name != form.metadata.get("name"):
        return FormOutcome({"name": STALE})
    if "remove" in fields.checked("remove"):
        done = steps.remove_step(form.services, form.tenant, stream, n, by=form.user)
        return FormOutcome(done=done, stream=stream)
    name, team = fields.text("name", "name"), fields.text("team", "team")
    people = fields.people("people")
    to = _position(fields)
    if not name and "name" not in fields.errors:
        fields.fail("name", "Give a name.")
    if fields.errors or to is None:
        return FormOutcome(fields.errors)
    new_name = name if name != step.name else None
    new_team = team if team != step.team else None
    new_people = people if sorted(people) != sorted(step.people) else None
    changed = (new_name, new_team, new_people) != (None, None, None)
    if to != n and changed:
        fields.fail(
            "position", "Move the step on its own: change only its position, or put it back."
        )
        return FormOutcome(fields.errors)
    if to != n:
        done = steps.move_step(form.services, form.tenant, stream, n, to, by=form.user)
    elif changed:
        done = steps.edit_step(
            form.services, form.tenant, stream, n, by=form.user,
            name=new_name, team=new_team, people=new_people,
        )  # fmt: skip
    else:
        return FormOutcome({"name": "Nothing changed."})
    return FormOutcome(done=done, stream=stream)


def _position(fields: Fields) -> int | None:
    spec = next(arg for arg in command_spec("step", "move").args if arg.name == "to")
    text = fields.picked("position")
    if not (text.isdigit() and spec.low <= int(text) <= spec.high):
        fields.fail("position", f"Give a whole number from {spec.low} to {spec.high}.")
        return None
    return int(text)
