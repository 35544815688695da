"""Starting the real bot: a clean environment, readable failures."""

from pathlib import Path

import pytest

from tests.support.botproc import BotProcess, BotStartError, base_env, run_cli


def test_the_bot_gets_a_clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-developers-shell")
    monkeypatch.setenv("DATABASE_URL", "postgresql://prod/db")

    env = base_env({"LOG_LEVEL": "DEBUG"})

    assert "SLACK_BOT_TOKEN" not in env
    assert "DATABASE_URL" not in env
    assert env["LOG_LEVEL"] == "DEBUG"
    assert Path(env["PYTHONPATH"], "bot", "cli.py").exists()


def test_run_cli_runs_the_command_line() -> None:
    result = run_cli(["--help"], {})

    assert result.returncode == 0, result.stderr
    assert "serve" in result.stdout


def test_a_bot_that_cannot_start_says_why(tmp_path: Path) -> None:
    bot = BotProcess(
        "mysql://root@127.0.0.1/nothing",
        "http://127.0.0.1:9/api/",
        "xoxb-unused",
        "unused-secret",
        tmp_path,
    )

    with pytest.raises(BotStartError) as excinfo:
        bot.start()

    assert "`vsm-bot db upgrade` exited" in str(excinfo.value)
    assert "DATABASE_URL" in str(excinfo.value)
    assert not bot.running
