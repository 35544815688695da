"""The clock process: APScheduler 3.x with one interval job that runs the dispatcher."""

import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.app import Core
from bot.clock_lock import ClockLock, wait_to_be_the_clock
from commands.clock import TickReport, dispatch_due
from commands.listeners.home import publish_stream_homes

log = logging.getLogger(__name__)

TICK_SECONDS = 30
JOB_ID = "vsm-dispatch"  # one stable id: a second add replaces, never doubles, the job
# Messages and pictures queued by a request (a map asked for, a post that failed) go out
# within seconds, not at the next tick.
OUTBOX_SECONDS = 2
OUTBOX_JOB_ID = "vsm-outbox"


def tick(core: Core, now: datetime) -> TickReport:
    """Refresh the tokens about to expire (OAuth), run the dispatcher for `now`, then send
    what is due in the outbox."""
    if core.tokens is not None:
        core.tokens.tend()
    report = dispatch_due(core.services, now)
    deliveries = core.sender.deliver_due()
    for tenant, stream in dict.fromkeys(report.touched):  # their people's Home tabs changed
        publish_stream_homes(core.services, tenant, stream)
    sent = sum(1 for d in deliveries if d.sent)
    if report.opened or report.reminded or report.closed or report.digests or deliveries:
        log.info(
            "tick %s: opened %s, reminded %s, closed %s, cancelled %s, digests %s; sent %s of %s",
            now.isoformat(),
            report.opened,
            report.reminded,
            report.closed,
            report.cancelled,
            report.digests,
            sent,
            len(deliveries),
        )
    return report


def _job(core: Core) -> Callable[[], None]:
    def run() -> None:
        try:
            tick(core, datetime.now(UTC))
        except Exception:
            log.exception("tick failed; the next one will try again")

    return run


def _send_outbox(core: Core) -> Callable[[], None]:
    def run() -> None:
        try:
            core.sender.deliver_due()
        except Exception:
            log.exception("sending the outbox failed; the next run will try again")

    return run


def _add_job(scheduler: BlockingScheduler | BackgroundScheduler, core: Core) -> None:
    scheduler.add_job(
        _job(core),
        "interval",
        seconds=TICK_SECONDS,
        id=JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        _send_outbox(core),
        "interval",
        seconds=OUTBOX_SECONDS,
        id=OUTBOX_JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )


def run_clock(core: Core) -> None:
    """Tick every 30 seconds until SIGTERM or SIGINT (the Procfile's `clock:` process). Any
    number run side by side on PostgreSQL; on SQLite a second one waits for the first to stop.

    On the signal the running tick is finished, not cut off halfway (a message posted but
    not yet marked sent would be posted again by the next clock), and the function returns.
    """
    scheduler = BlockingScheduler(timezone=UTC)
    _add_job(scheduler, core)

    def stop(signum: int, _frame: FrameType | None) -> None:
        if not scheduler.running:
            raise SystemExit(0)  # before the start, or a second signal while stopping
        log.info("clock: %s received; stopping after the running tick", signal.strsignal(signum))
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    lock = ClockLock.for_engine(core.engine)
    wait_to_be_the_clock(lock)  # on SQLite, a second clock waits here for the first to stop
    log.info("clock: started, ticking every %s s", TICK_SECONDS)
    try:
        scheduler.start()
    finally:
        if lock is not None:
            lock.release()
    log.info("clock: stopped")


def start_background_clock(core: Core) -> BackgroundScheduler:
    """The clock on a thread of this process, for `vsm-bot run` (on SQLite, once no other
    clock runs on the database: see bot/clock_lock.py)."""
    scheduler = BackgroundScheduler(timezone=UTC, daemon=True)
    _add_job(scheduler, core)
    lock = ClockLock.for_engine(core.engine)

    def start() -> None:
        wait_to_be_the_clock(lock)
        scheduler.start()

    if lock is None or lock.try_acquire():
        scheduler.start()
    else:
        threading.Thread(target=start, name="clock-waits", daemon=True).start()
    return scheduler
