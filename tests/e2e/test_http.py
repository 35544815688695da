"""HTTP basics of the running bot: signatures, url_verification, health, unknown paths."""

import json
import time

from standin.payloads import sign
from tests.support.driver import SlackDriver, SlackRequest


def test_a_bad_signature_is_401(slack: SlackDriver) -> None:
    body = b'{"type": "event_callback"}'
    headers = sign(body, slack.signing_secret)
    headers["X-Slack-Signature"] = "v0=" + "0" * 64

    result = slack.post_unsigned(body, "application/json", headers)

    assert result.status == 401


def test_a_command_signed_with_another_secret_is_401(slack: SlackDriver) -> None:
    result = slack.command_raw("help", secret="another-secret")

    assert result.status == 401
    assert slack.calls("response_url") == []


def test_a_six_minute_old_signed_request_is_401(slack: SlackDriver) -> None:
    result = slack.command_raw("help", timestamp=int(time.time()) - 360)

    assert result.status == 401


def test_a_request_without_signature_headers_is_401(slack: SlackDriver) -> None:
    result = slack.post_unsigned(b"{}", "application/json", {})

    assert result.status == 401


def test_url_verification_answers_the_challenge(slack: SlackDriver) -> None:
    result = slack.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")

    assert result.status == 200
    assert json.loads(result.body) == {
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    }


def test_healthz_is_200_when_the_database_answers(slack: SlackDriver) -> None:
    result = slack.get("/healthz")

    assert result.status == 200


def test_an_unknown_path_is_404(slack: SlackDriver) -> None:
    assert slack.get("/nowhere").status == 404


def test_a_signed_post_to_an_unknown_path_is_404(slack: SlackDriver) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "x"}).encode()

    result = slack.send(SlackRequest(body, "application/json"), path="/slack/other")

    assert result.status == 404


def test_with_one_workspaces_token_there_is_no_install_page(slack: SlackDriver) -> None:
    assert slack.get("/slack/install").status == 404
    assert slack.get("/slack/oauth_redirect?code=x&state=y").status == 404
