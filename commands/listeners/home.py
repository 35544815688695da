"""The App Home tab: published when its person opens it, and again whenever something it
shows changes — in the background, so no acknowledgement waits for it, and one at a time per
person, so an older view never lands after a newer one."""

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import Any

from slack_bolt import App, BoltContext

from commands.home import (
    home_audience,
    home_for,
    home_opened,
    home_viewers,
    one_home_at_a_time,
    workspace_has_home_viewers,
)
from commands.listeners.common import failure, tenant_of
from commands.ports import SlackFailure
from commands.services import Services
from commands.slash import grammar
from storage.tenant import Tenant

# The /vsm commands that change what a Home shows, for the stream they name.
CHANGING = {
    ("new",), ("rename",), ("archive",), ("unarchive",), ("owners",), ("measure",), ("close",),
    ("cancel",), ("improve",), ("improvement",), ("target",), ("schedule",),
    ("step", "add"), ("step", "edit"), ("step", "move"), ("step", "remove"),
}  # fmt: skip
_CHANGING_FIRST_WORDS = frozenset(path[0] for path in CHANGING)

_Key = tuple[Tenant, str]


class HomeRefresher:
    """Publishes Home tabs on a small pool of threads, one person at a time: a refresh asked
    for while that person's view is being built makes it be built once more afterwards, from
    what the database holds then, so the last view published is never older than the last ask.
    """

    def __init__(self, services: Services, workers: int = 2) -> None:
        self._services = services
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vsm-home")
        self._lock = threading.Lock()
        self._again: dict[_Key, bool] = {}  # a person's refresh is queued or running
        self._idle = threading.Condition()
        self._pending = 0  # jobs submitted and not finished
        # Workspaces where someone has opened a Home: it stays so, so this process asks once.
        self._watched: set[Tenant] = set()

    def wait_until_idle(self, timeout: float = 10.0) -> bool:
        """Whether every refresh asked for so far was done within `timeout` seconds (for
        orderly shutdowns and tests)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _submit(self, work: Callable[..., None], *args: Any) -> None:
        with self._idle:
            self._pending += 1
        self._pool.submit(work, *args).add_done_callback(self._done)

    def _done(self, _: object) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def refresh(self, tenant: Tenant, users: Iterable[str]) -> None:
        """Publish these people's Home tabs again, soon."""
        for user in dict.fromkeys(u for u in users if u):
            key = (tenant, user)
            with self._lock:
                if key in self._again:
                    self._again[key] = True
                    continue
                self._again[key] = False
            self._submit(self._publish_until_current, key)

    def after_stream_change(self, tenant: Tenant, stream: str, *also: str) -> None:
        """Refresh the Home of everyone the stream called `stream` shows on, and of `also`."""
        self._submit(self._guarded, self._stream_audience, tenant, stream, also)

    def after_command(self, tenant: Tenant, user: str, text: str) -> None:
        """After `/vsm text`: if it may have changed a stream, refresh the Homes it shows on."""
        words = text.split(maxsplit=1)
        # Most commands only read (show, list, help): not even a job for those.
        if words and words[0].lower() in _CHANGING_FIRST_WORDS:
            self._submit(self._guarded, self._command_audience, tenant, user, text)

    def _watched_workspace(self, tenant: Tenant) -> bool:
        """Whether anyone in the workspace has opened a Home: until then a change costs one
        lookup, not the stream's whole audience."""
        if tenant not in self._watched and workspace_has_home_viewers(self._services, tenant):
            self._watched.add(tenant)
        return tenant in self._watched

    def _stream_audience(self, tenant: Tenant, stream: str, also: tuple[str, ...]) -> None:
        if not self._watched_workspace(tenant):
            return
        # Only those who have opened their Home: nobody else's tab is worth a publish.
        self.refresh(
            tenant, home_audience(self._services, tenant, stream, *also, viewers_only=True)
        )

    def _command_audience(self, tenant: Tenant, user: str, text: str) -> None:
        if not self._watched_workspace(tenant):
            return  # nobody's Home to publish, the asker's included
        try:
            invocation = grammar.parse(text)
        except grammar.CommandError:
            return
        if invocation.path not in CHANGING:
            return
        named = invocation.args.get("new_name") or invocation.args.get("stream")
        what = invocation.args.get("what")
        named = named or getattr(what, "stream", None)
        if isinstance(named, str):
            self._stream_audience(tenant, named, (user,))
        else:
            self.refresh(tenant, (user,))

    def _guarded(self, work: Callable[..., None], *args: Any) -> None:
        try:
            work(*args)
        except Exception:
            failure("refreshing Home tabs", args[1:])

    def _publish_until_current(self, key: _Key) -> None:
        while True:
            with self._lock:
                self._again[key] = False
            self._guarded(publish_home, self._services, *key)
            with self._lock:
                if not self._again[key]:
                    del self._again[key]
                    return


def publish_home(services: Services, tenant: Tenant, user_id: str) -> None:
    """Publish `user_id`'s Home tab as it stands now, if they have ever opened it."""
    if services.slack is None or not home_viewers(services, tenant, (user_id,)):
        return
    with one_home_at_a_time(services, tenant, user_id):
        view = services.renderer.view_for(home_for(services, tenant, user_id))
        # A failure is logged by the gateway; the next opening publishes again.
        with suppress(SlackFailure):
            services.slack.publish_home(tenant, user_id=user_id, view=view)


def publish_stream_homes(services: Services, tenant: Tenant, stream: str) -> None:
    """Publish again, one after the other, the Home tab of everyone the stream shows on who
    has opened theirs (for processes without a refresher: the clock, after it opened or
    closed a cycle)."""
    for user in home_audience(services, tenant, stream, viewers_only=True):
        try:
            publish_home(services, tenant, user)
        except Exception:
            failure("publishing a Home tab", (tenant, user))


def register(app: App, services: Services, homes: HomeRefresher) -> None:
    """Publish the Home tab whenever its person opens it."""

    def handle_app_home_opened(event: dict[str, Any], context: BoltContext) -> None:
        tenant = tenant_of(context)
        if tenant is None or event.get("tab") != "home" or not event.get("user"):
            return
        home_opened(services, tenant, str(event["user"]))
        homes.refresh(tenant, (str(event["user"]),))

    app.event("app_home_opened")(handle_app_home_opened)
