"""`vsm-bot workspace list` and `vsm-bot workspace forget`: the operator's view of the
workspaces one deployment serves, and the one way to delete a workspace's data.

Forgetting cannot be undone, so it asks for the team id twice (`forget T… --confirm T…`):
without `--confirm` it only says what it would delete. It refuses a workspace that still has
the app installed.
"""

import argparse
from typing import TextIO

from sqlalchemy import Engine
from sqlmodel import Session

from commands.workspaces import ForgetRefused, find_held, forget, list_workspaces
from storage.workspaces import Held


def list_command(engine: Engine, out: TextIO) -> int:
    """Print one line per workspace: ids, name, streams, and whether the app is installed."""
    with Session(engine) as session:
        held = list_workspaces(session)
    if not held:
        print("no workspaces yet", file=out)
        return 0
    print("team        enterprise  streams  app", file=out)
    for workspace in held:
        print(_line(workspace), file=out)
    return 0


def forget_command(args: argparse.Namespace, engine: Engine, out: TextIO) -> int:
    """Delete a workspace's data once the team id is confirmed; 1 when nothing was deleted.

    Raises:
        ForgetRefused: no such workspace, a confirmation that does not match, or the app
            still installed there.
    """
    team_id: str = args.team_id
    if args.confirm is not None and args.confirm != team_id:
        raise ForgetRefused(
            f"--confirm {args.confirm} does not repeat the team id {team_id}: nothing deleted."
        )
    with Session(engine) as session:
        held = find_held(session, team_id, args.enterprise)
        if args.confirm is None:
            if held.installed_at is not None:
                forget(session, held)  # raises: the app is still installed
            print(
                f"{_name(held)} has {held.streams} stream(s) and all their cycles and answers. "
                f"Nothing is deleted yet: to delete it for good, run "
                f"`vsm-bot workspace forget {team_id} --confirm {team_id}`.",
                file=out,
            )
            return 1
        forgotten = forget(session, held)
        session.commit()
    rows = sum(forgotten.deleted.values())
    tables = ", ".join(f"{table} {n}" for table, n in sorted(forgotten.deleted.items()))
    print(f"forgot {_name(held)}: deleted {rows} row(s) ({tables or 'none'})", file=out)
    return 0


def _name(held: Held) -> str:
    team = held.tenant.team_id
    return f"{team} ({held.team_name})" if held.team_name else team


def _line(held: Held) -> str:
    installed = (
        f"installed {held.installed_at:%Y-%m-%d}"
        if held.installed_at is not None
        else "not installed (data kept)"
    )
    name = f"  {held.team_name}" if held.team_name else ""
    enterprise = held.tenant.enterprise_id or "-"
    team = held.tenant.team_id or "(org-wide)"
    return f"{team:<11} {enterprise:<11} {held.streams:>7}  {installed}{name}"
