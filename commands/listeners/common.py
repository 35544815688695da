"""What every listener needs: the workspace from Bolt's context, reading payload fields
defensively, and the one catch-all — a failure logged with a reference the person can quote."""

import json
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from slack_bolt import BoltContext

from commands.outcomes import Failure
from storage.tenant import Tenant

log = logging.getLogger("commands.listeners")

# Ids in payloads are database ids: anything beyond a 63-bit integer is not one of ours.
MAX_ID = 2**63 - 1


def tenant_of(context: BoltContext | Mapping[str, Any]) -> Tenant | None:
    """The workspace of a Bolt request, from Bolt's context; None if Slack did not say."""
    team_id = context.get("team_id") or ""
    enterprise_id = context.get("enterprise_id") or ""
    if not team_id and not enterprise_id:
        return None
    return Tenant(team_id=str(team_id), enterprise_id=str(enterprise_id))


def failure(surface: str, what: object = None) -> Failure:
    """Log the exception being handled, with a reference; the Failure shows the reference."""
    reference = uuid.uuid4().hex[:8]
    log.exception("%s failed (reference %s)%s", surface, reference, f": {what!r}" if what else "")
    return Failure(reference)


def as_id(value: object) -> int | None:
    """A database id from payload text or JSON, or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value or "")
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def metadata_id(view: Mapping[str, Any], key: str) -> int | None:
    """An id kept in a view's private_metadata (`{"cycle": 12}`), or None."""
    try:
        metadata = json.loads(str(view.get("private_metadata") or "{}"))
    except ValueError:
        return None
    return as_id(metadata.get(key)) if isinstance(metadata, dict) else None


def field_values(view: Mapping[str, Any]) -> dict[str, str]:
    """The text typed in each input of a submitted view, by block id."""
    found: dict[str, str] = {}
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    for block, actions in (values if isinstance(values, dict) else {}).items():
        for action in (actions if isinstance(actions, dict) else {}).values():
            value = action.get("value") if isinstance(action, dict) else None
            if isinstance(action, dict) and isinstance(action.get("selected_option"), dict):
                value = action["selected_option"].get("value")  # a static select's choice
            found[str(block)] = str(value or "")
    return found


def first_action(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The clicked action of a block_actions payload ({} if there is none)."""
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return first if isinstance(first, dict) else {}


def user_of(body: Mapping[str, Any]) -> str:
    """Who clicked or submitted."""
    user = body.get("user")
    return str(user.get("id") or "") if isinstance(user, dict) else ""
