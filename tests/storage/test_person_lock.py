"""The per-person lock keeps two processes apart (PostgreSQL advisory lock, or a byte-range
lock beside the SQLite file), and leaves other people alone."""

import subprocess
import sys
import threading

from sqlalchemy import Engine

from storage.person_lock import person_lock
from storage.tenant import Tenant

_HOLDER = """
import sys
from storage.engine import make_engine
from storage.person_lock import person_lock
from storage.tenant import Tenant
engine = make_engine(sys.argv[1])
with person_lock(engine, Tenant(team_id="T1"), "UANN", "home"):
    print("held", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""


def test_another_process_waits_for_the_same_person_but_not_for_another(
    migrated_engine: Engine,
) -> None:
    url = migrated_engine.url.render_as_string(hide_password=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        with person_lock(migrated_engine, Tenant(team_id="T1"), "UBO", "home"):
            pass  # someone else: no waiting
        got = threading.Event()

        def take() -> None:
            with person_lock(migrated_engine, Tenant(team_id="T1"), "UANN", "home"):
                got.set()

        taker = threading.Thread(target=take)
        taker.start()
        assert not got.wait(0.5)  # held by the other process
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
        assert got.wait(10)
        taker.join(10)
    finally:
        holder.kill()
        holder.wait()
