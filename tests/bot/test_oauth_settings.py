"""Settings for installing by OAuth: either way of installing, never half of one, never both,
each mistake named on one line; and the scopes "Add to Slack" asks for are the manifest's."""

import re
from pathlib import Path

import pytest

from bot.oauth import SCOPES, authorization_url
from tests.bot.test_cli import assert_stops_with_one_line
from tests.support.cli_in_process import run_main
from tests.support.databases import sqlite_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def oauth_env(tmp_path: Path) -> dict[str, str]:
    return {
        "SLACK_CLIENT_ID": "1111.2222",
        "SLACK_CLIENT_SECRET": "client-secret",
        "SLACK_SIGNING_SECRET": "signing-secret",
        "DATABASE_URL": sqlite_url(tmp_path),
    }


@pytest.mark.parametrize("missing", ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"])
def test_half_of_the_oauth_settings_names_the_other_half(
    oauth_env: dict[str, str], missing: str
) -> None:
    env = {k: v for k, v in oauth_env.items() if k != missing}

    result = run_main(["serve"], env)

    assert_stops_with_one_line(result, 2, missing)


def test_a_bot_token_beside_oauth_says_to_choose(oauth_env: dict[str, str]) -> None:
    result = run_main(["serve"], {**oauth_env, "SLACK_BOT_TOKEN": "xoxb-also"})

    line = assert_stops_with_one_line(result, 2, "SLACK_BOT_TOKEN", "SLACK_CLIENT_ID")
    assert "unset" in line


def test_oauth_without_a_signing_secret_names_it(oauth_env: dict[str, str]) -> None:
    env = {k: v for k, v in oauth_env.items() if k != "SLACK_SIGNING_SECRET"}

    result = run_main(["serve"], env)

    assert_stops_with_one_line(result, 2, "SLACK_SIGNING_SECRET")


def test_a_malformed_redirect_url_is_named(oauth_env: dict[str, str]) -> None:
    result = run_main(["serve"], {**oauth_env, "SLACK_REDIRECT_URI": "vsm.example.com/x"})

    assert_stops_with_one_line(result, 2, "SLACK_REDIRECT_URI", "https://")


@pytest.mark.parametrize("command", [["socket"], ["run"]])
def test_socket_mode_with_oauth_says_to_serve_http(
    oauth_env: dict[str, str], command: list[str]
) -> None:
    result = run_main(command, {**oauth_env, "SLACK_APP_TOKEN": "xapp-1-x"})

    assert_stops_with_one_line(result, 1, "SLACK_APP_TOKEN", "vsm-bot serve")


def test_the_clock_needs_no_bot_token_with_oauth(oauth_env: dict[str, str]) -> None:
    assert run_main(["db", "upgrade"], oauth_env).returncode == 0

    result = run_main(["tick", "--now", "2026-03-02T09:00:00Z"], oauth_env)

    assert result.returncode == 0, result.stderr
    assert "opened 0" in result.stdout


def test_the_authorize_page_is_beside_the_web_api() -> None:
    assert authorization_url("https://slack.com/api/") == "https://slack.com/oauth/v2/authorize"
    assert (
        authorization_url("http://127.0.0.1:8123/api/")
        == "http://127.0.0.1:8123/oauth/v2/authorize"
    )


def test_add_to_slack_asks_for_the_manifests_bot_scopes() -> None:
    manifest = (ROOT / "manifest.yml").read_text()
    block = re.search(r"^  scopes:\n    bot:\n((?:      .*\n)+)", manifest, re.MULTILINE)
    assert block, "manifest.yml has no oauth_config.scopes.bot list"
    listed = [
        line.strip().removeprefix("- ")
        for line in block[1].splitlines()
        if line.strip().startswith("- ")
    ]
    assert listed == list(SCOPES)
