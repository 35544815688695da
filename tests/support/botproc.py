"""The real bot as a separate process: `vsm-bot db upgrade`, then `vsm-bot serve`.

The process gets a minimal environment (nothing from the developer's shell that could point it
at a real Slack or database) and runs in its own directory, so no stray .env is read.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20.0
STOP_TIMEOUT = 25.0  # gunicorn's graceful_timeout is 20 s
BIND_ATTEMPTS = 3
# Passed through from the test runner's environment; everything else is set explicitly.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "SYSTEMROOT")


def bot_command() -> list[str]:
    """`vsm-bot` from the virtualenv when installed, else the same entry point via -m."""
    script = Path(sys.executable).with_name("vsm-bot")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "bot.cli"]


def base_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """A clean environment for the bot: the inherited basics, the project on PYTHONPATH, `env`."""
    clean = {name: os.environ[name] for name in INHERITED if name in os.environ}
    clean["PYTHONPATH"] = str(ROOT)
    clean["PYTHONUNBUFFERED"] = "1"
    clean.update(env or {})
    return clean


def run_cli(
    args: list[str],
    env: dict[str, str],
    *,
    cwd: Path | None = None,
    timeout: float = 60.0,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `vsm-bot ARGS` once with `env` (over a clean base) and capture its output.

    It runs in `cwd`, by default an empty temporary directory, so no .env file is read.
    """
    with tempfile.TemporaryDirectory(prefix="vsm-cli-") as empty:
        return subprocess.run(
            [*bot_command(), *args],
            env=base_env(env),
            cwd=cwd or empty,
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input,
            check=False,
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BotStartError(RuntimeError):
    """The bot did not come up; the message has the tail of its log."""


class BotProcess:
    """`vsm-bot serve` on a free port, against `database_url` and the fake Slack at `api_url`."""

    def __init__(
        self,
        database_url: str,
        api_url: str,
        token: str,
        signing_secret: str,
        tmp_dir: Path,
        *,
        workers: int = 2,
        log_level: str = "INFO",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.tmp_dir = Path(tmp_dir)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.tmp_dir / "bot.log"
        self.port = free_port()
        self.env = {
            "SLACK_BOT_TOKEN": token,
            "SLACK_SIGNING_SECRET": signing_secret,
            "SLACK_API_URL": api_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": log_level,
            "WEB_CONCURRENCY": str(workers),
            # gunicorn's control socket defaults to one per user ($HOME/.gunicorn/gunicorn.ctl):
            # each bot process gets its own, so two bots never take each other's.
            "XDG_RUNTIME_DIR": str(self.tmp_dir),
            **(extra_env or {}),
        }
        self._process: subprocess.Popen[bytes] | None = None
        self._migrated = False
        self._served = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def run_cli(
        self, args: list[str], *, timeout: float = 60.0, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """A one-shot `vsm-bot ARGS` with this bot's environment, run in its directory."""
        return run_cli(args, self.env, cwd=self.tmp_dir, timeout=timeout, input=input)

    def start(self) -> None:
        """Migrate (on the first start: a restart, like a web process's, runs no release phase),
        start serving, and wait until /healthz answers 200."""
        if not self._migrated:
            upgrade = self.run_cli(["db", "upgrade"])
            self._append_log(f"$ vsm-bot db upgrade -> {upgrade.returncode}\n")
            self._append_log(upgrade.stdout + upgrade.stderr)
            if upgrade.returncode != 0:
                raise BotStartError(
                    f"`vsm-bot db upgrade` exited {upgrade.returncode}:\n{self._tail()}"
                )
            self._migrated = True
        for attempt in range(1, BIND_ATTEMPTS + 1):
            logged = len(self.log_text())
            self._serve()
            try:
                self._wait_healthy()
                break
            except BotStartError:
                # The port was free when probed; another process (a parallel test worker's)
                # may have taken it since. On the first start only: a restart keeps its port.
                taken = "Connection in use" in self.log_text()[logged:]
                if self._served or not taken or attempt == BIND_ATTEMPTS:
                    raise
                self.port = free_port()
        self._served = True

    def _serve(self) -> None:
        self._append_log(f"$ vsm-bot serve --port {self.port}\n")
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [*bot_command(), "serve", "--port", str(self.port)],
                env=base_env(self.env),
                cwd=self.tmp_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() reaches the workers
            )

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        last = "no answer yet"
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                code = self._process.returncode
                self._process = None
                raise BotStartError(f"`vsm-bot serve` exited {code} on start:\n{self._tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
                    last = f"HTTP {answer.status}"
            except urllib.error.HTTPError as refused:
                last = f"HTTP {refused.code}"
            except OSError as error:
                last = str(error)
            time.sleep(0.1)
        self.stop()
        raise BotStartError(
            f"/healthz did not answer 200 within {START_TIMEOUT:.0f}s ({last}):\n{self._tail()}"
        )

    def stop(self) -> None:
        """SIGTERM the process group, wait, then SIGKILL it."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                # The whole group: workers of a master that hangs must not outlive the test.
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL the whole process group at once, as a crash would: nothing gets to finish."""
        process, self._process = self._process, None
        assert process is not None, "the bot is not running"
        _signal_group(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def restart(self) -> None:
        """Stop and start again on the same port and database."""
        self.stop()
        self.start()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def _append_log(self, text: str) -> None:
        with self.log_path.open("a") as log:
            log.write(text)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    # The group was created by start() (start_new_session), so its id is the bot's pid.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)
