"""`vsm-bot ARGS` run as `bot.cli.main(ARGS)` in the test's own process.

    result = run_main(["export", "Onboarding", "--format", "json"], {"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr

For the checks that a process adds nothing to (settings and arguments refused before any
work, what `export` prints), without the half second of imports each `vsm-bot` process costs.
The command sees what run_cli gives a process: of the bot's settings only the variables passed
(none from the developer's shell, no .env: it runs in an empty directory), and its stdout,
stderr (text, newlines as a process's read as text) and exit status come back the same way.
Logging starts as in a new process, so the command's log records land on its stderr, and is
put back afterwards. Tests about the process itself (the console script, signals, a clock
that runs) use run_cli.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings


def run_main(
    args: list[str], env: dict[str, str], *, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `vsm-bot ARGS` in-process with only `env` among the bot's settings."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        tempfile.TemporaryDirectory(prefix="vsm-cli-") as empty,
        pytest.MonkeyPatch.context() as patch,
    ):
        clear_bot_settings(patch)
        for name, value in env.items():
            patch.setenv(name, value)
        patch.chdir(cwd or empty)
        with (
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
            _fresh_logging(),
            warnings.catch_warnings(),
        ):
            # As in a process, where Python ignores them: an engine the command does not
            # dispose of closes its connections when dropped, which psycopg warns about.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                code = main(args)
            except SystemExit as stop:  # argparse stops on bad arguments
                code = stop.code if isinstance(stop.code, int) else 1
            gc.collect()  # what a process's exit would drop
    return subprocess.CompletedProcess(
        ["vsm-bot", *args], code, _as_text(stdout.getvalue()), _as_text(stderr.getvalue())
    )


def clear_bot_settings(patch: pytest.MonkeyPatch) -> None:
    """Remove every environment variable the bot's Settings would read (any case)."""
    for name in list(os.environ):
        if name.lower() in Settings.model_fields:
            patch.delenv(name)


def _as_text(output: str) -> str:
    """What a process's output reads as in text mode (universal newlines)."""
    return output.replace("\r\n", "\n").replace("\r", "\n")


@contextlib.contextmanager
def _fresh_logging() -> Iterator[None]:
    """Logging as a new process has it (no root handlers, WARNING), so that the command's
    own setup sends its records to the stderr it writes to; put back as it was afterwards."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {"": root.level}
    for name, logger in logging.root.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            levels[name] = logger.level
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name or None).setLevel(level)
