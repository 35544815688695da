"""OAuth for many workspaces: the authorize redirect, oauth.v2.access, tokens per workspace.

The last tests run a Bolt app with its own OAuth flow in-process and follow the real
redirects from /slack/install through the stand-in's authorize page back to the app.
"""

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App, Say
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import FileInstallationStore, Installation
from slack_sdk.oauth.state_store import FileOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from standin import payloads
from standin.server import AUTHORIZE, FakeSlack

TOKEN = "xoxb-oauth-single"
SECRET = "oauth-signing-secret"
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


ONE_STEP = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def visit(url: str, cookie: str = "") -> tuple[int, dict[str, str], str]:
    """GET without following redirects: (status, lower-cased headers, body)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with ONE_STEP.open(request, timeout=10) as answer:
            headers = {k.lower(): v for k, v in answer.headers.items()}
            return answer.status, headers, answer.read().decode()
    except urllib.error.HTTPError as refused:
        headers = {k.lower(): v for k, v in refused.headers.items()}
        return refused.code, headers, refused.read().decode()


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as slack:
        yield slack
    assert slack.internal_errors == []


@pytest.fixture
def anonymous(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, retry_handlers=[])


def exchange(client: WebClient, fake: FakeSlack, **fields: Any) -> dict[str, Any]:
    fields.setdefault("client_id", fake.oauth.client_id)
    fields.setdefault("client_secret", fake.oauth.client_secret)
    answer = client.oauth_v2_access(**fields).data
    assert isinstance(answer, dict)
    return answer


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


# ---- oauth.v2.access ---------------------------------------------------------------------------


def test_a_code_becomes_a_bot_token_for_its_workspace(
    fake: FakeSlack, anonymous: WebClient
) -> None:
    code = fake.oauth.new_code("T0AAA", team_name="Team A", user="U0ADMIN")

    answer = exchange(anonymous, fake, code=code)

    assert answer["ok"] is True
    assert answer["access_token"].startswith("xoxb-")
    assert (answer["token_type"], answer["app_id"]) == ("bot", "A0VSMBOT")
    assert answer["team"] == {"id": "T0AAA", "name": "Team A"}
    assert (answer["enterprise"], answer["is_enterprise_install"]) == (None, False)
    assert answer["authed_user"] == {"id": "U0ADMIN"}
    assert "chat:write" in answer["scope"].split(",")
    assert answer["bot_user_id"].startswith("U")
    assert "refresh_token" not in answer
    assert "expires_in" not in answer
    # slack_sdk sends the client credentials as HTTP Basic auth, not in the form.
    [call] = fake.calls("oauth.v2.access")
    assert call.headers["authorization"].startswith("Basic ")
    assert "client_secret" not in call.params


def test_client_credentials_may_come_as_form_fields(fake: FakeSlack, anonymous: WebClient) -> None:
    fields = {
        "client_id": fake.oauth.client_id,
        "client_secret": fake.oauth.client_secret,
        "code": fake.oauth.new_code("T0FORM"),
    }

    answer = anonymous.api_call("oauth.v2.access", data=fields)

    assert answer["team"]["id"] == "T0FORM"


def test_a_code_works_once(fake: FakeSlack, anonymous: WebClient) -> None:
    code = fake.oauth.new_code("T0ONCE")
    exchange(anonymous, fake, code=code)

    with pytest.raises(SlackApiError) as again:
        exchange(anonymous, fake, code=code)
    with pytest.raises(SlackApiError) as invented:
        exchange(anonymous, fake, code="1.2.3")

    assert (error_of(again), error_of(invented)) == ("invalid_code", "invalid_code")


@pytest.mark.parametrize(
    ("override", "error"),
    [
        ({"client_secret": "not-the-secret"}, "bad_client_secret"),
        ({"client_id": "999.999"}, "invalid_client_id"),
        ({"redirect_uri": "https://elsewhere.test/back"}, "bad_redirect_uri"),
        ({"grant_type": "password"}, "invalid_grant_type"),
    ],
)
def test_wrong_credentials_or_redirects_are_refused(
    fake: FakeSlack, anonymous: WebClient, override: dict[str, str], error: str
) -> None:
    code = fake.oauth.new_code("T0BAD", redirect_uri="https://app.test/slack/oauth_redirect")
    fields = {"code": code, "redirect_uri": "https://app.test/slack/oauth_redirect", **override}

    with pytest.raises(SlackApiError) as excinfo:
        exchange(anonymous, fake, **fields)

    assert error_of(excinfo) == error


def test_an_org_wide_install_names_the_enterprise_and_no_team(
    fake: FakeSlack, anonymous: WebClient
) -> None:
    code = fake.oauth.new_code("T0GRID", "E0ORG", is_enterprise_install=True)

    answer = exchange(anonymous, fake, code=code)
    who = WebClient(base_url=fake.api_url, token=answer["access_token"]).auth_test()

    assert answer["team"] is None
    assert answer["enterprise"] == {"id": "E0ORG", "name": "Org E0ORG"}
    assert answer["is_enterprise_install"] is True
    assert (who["enterprise_id"], who["is_enterprise_install"]) == ("E0ORG", True)


# ---- the authorize page ----------------------------------------------------------------------


def test_authorize_redirects_with_a_code_and_the_state(
    fake: FakeSlack, anonymous: WebClient
) -> None:
    fake.oauth.next_install("T0REDIR", team_name="Redirected")
    query = {
        "client_id": fake.oauth.client_id,
        "scope": "chat:write,commands",
        "state": "s-123",
        "redirect_uri": "https://app.test/slack/oauth_redirect?x=1",
    }

    status, headers, _ = visit(f"{fake.oauth.authorize_url}?{urlencode(query)}")

    assert status == 302
    target = urlsplit(headers["location"])
    assert (target.netloc, target.path) == ("app.test", "/slack/oauth_redirect")
    back = parse_qs(target.query)
    assert (back["x"], back["state"]) == (["1"], ["s-123"])
    answer = exchange(anonymous, fake, code=back["code"][0], redirect_uri=query["redirect_uri"])
    assert answer["team"] == {"id": "T0REDIR", "name": "Redirected"}
    assert answer["scope"] == "chat:write,commands"
    assert fake.calls(AUTHORIZE)[-1].status == 302


def test_authorize_refuses_what_slack_would(fake: FakeSlack) -> None:
    good = {"client_id": fake.oauth.client_id, "redirect_uri": "https://app.test/back"}

    nothing_queued = visit(f"{fake.oauth.authorize_url}?{urlencode(good)}")
    fake.oauth.next_install("T0LATER")
    wrong_client = visit(f"{fake.oauth.authorize_url}?{urlencode({**good, 'client_id': '1.1'})}")
    no_redirect = visit(f"{fake.oauth.authorize_url}?client_id={fake.oauth.client_id}")

    assert nothing_queued[0] == 400
    assert "next_install" in nothing_queued[2]
    assert (wrong_client[0], wrong_client[2]) == (400, "invalid_client_id")
    assert (no_redirect[0], no_redirect[2]) == (400, "bad_redirect_uri")


def test_a_cancelled_install_redirects_with_access_denied(fake: FakeSlack) -> None:
    fake.oauth.next_denial()
    query = {"client_id": fake.oauth.client_id, "state": "s", "redirect_uri": "https://a.test/r"}

    status, headers, _ = visit(f"{fake.oauth.authorize_url}?{urlencode(query)}")

    assert status == 302
    assert parse_qs(urlsplit(headers["location"]).query) == {
        "error": ["access_denied"],
        "state": ["s"],
    }


# ---- each workspace its own token ------------------------------------------------------------


def test_each_workspace_has_its_own_token_and_identity(fake: FakeSlack) -> None:
    one = fake.oauth.install("T0ONE", team_name="One")
    two = fake.oauth.install("T0TWO", "E0GRID")
    mark = fake.mark()

    as_one = WebClient(base_url=fake.api_url, token=one["access_token"])
    as_two = WebClient(base_url=fake.api_url, token=two["access_token"])
    who_one, who_two = as_one.auth_test(), as_two.auth_test()
    posted = as_one.chat_postMessage(channel="C0ONE", text="hello one")
    as_two.chat_postMessage(channel="C0TWO", text="hello two")

    assert (who_one["team_id"], who_one["team"], who_one["user_id"]) == (
        "T0ONE",
        "One",
        one["bot_user_id"],
    )
    assert (who_two["team_id"], who_two["enterprise_id"]) == ("T0TWO", "E0GRID")
    assert who_one["bot_id"] != who_two["bot_id"]
    assert posted["message"]["team"] == "T0ONE"
    assert posted["message"]["user"] == one["bot_user_id"]
    assert [
        (c.team_id, c.enterprise_id, c.token) for c in fake.calls_since(mark, "chat.postMessage")
    ] == [
        ("T0ONE", None, one["access_token"]),
        ("T0TWO", "E0GRID", two["access_token"]),
    ]
    identity = fake.oauth.identity("T0ONE")
    assert identity is not None
    assert identity.bot_user_id == one["bot_user_id"]


def test_the_single_token_workspace_works_as_before(fake: FakeSlack) -> None:
    fake.oauth.install("T0OTHER")

    answer = WebClient(base_url=fake.api_url, token=TOKEN).auth_test()

    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T0FAKE", "UBOT", "BBOT")
    assert fake.calls("auth.test")[-1].team_id == "T0FAKE"


def test_revoked_and_uninstalled_tokens_stop_working(fake: FakeSlack) -> None:
    revoked = fake.oauth.install("T0REV")["access_token"]
    uninstalled = fake.oauth.install("T0GONE")["access_token"]
    fake.revoke(revoked)

    gone = fake.uninstall("T0GONE")

    with pytest.raises(SlackApiError) as revoked_error:
        WebClient(base_url=fake.api_url, token=revoked).auth_test()
    with pytest.raises(SlackApiError) as uninstalled_error:
        WebClient(base_url=fake.api_url, token=uninstalled).chat_postMessage(channel="C", text="x")
    assert gone == [uninstalled]
    assert error_of(revoked_error) == "token_revoked"
    assert error_of(uninstalled_error) == "invalid_auth"
    assert fake.calls("auth.test")[-1].team_id == "T0REV"  # refused, still attributed


# ---- token rotation --------------------------------------------------------------------------


def test_rotation_hands_out_expiring_tokens_and_refreshes_them(
    fake: FakeSlack, anonymous: WebClient
) -> None:
    fake.oauth.configure(token_rotation=True, expires_in=600)
    first = exchange(anonymous, fake, code=fake.oauth.new_code("T0ROT"))

    second = exchange(
        anonymous, fake, grant_type="refresh_token", refresh_token=first["refresh_token"]
    )

    assert first["access_token"].startswith("xoxe.xoxb-1-")
    assert first["refresh_token"].startswith("xoxe-1-")
    assert first["expires_in"] == second["expires_in"] == 600
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["team"] == first["team"]
    assert second["bot_user_id"] == first["bot_user_id"]
    with pytest.raises(SlackApiError) as reused:
        exchange(anonymous, fake, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert error_of(reused) == "invalid_refresh_token"
    # The previous access token works until its own expiry, then says so.
    old = WebClient(base_url=fake.api_url, token=first["access_token"])
    assert old.auth_test()["team_id"] == "T0ROT"
    fake.expire(first["access_token"])
    with pytest.raises(SlackApiError) as expired:
        old.auth_test()
    assert error_of(expired) == "token_expired"
    new = WebClient(base_url=fake.api_url, token=second["access_token"])
    assert new.auth_test()["team_id"] == "T0ROT"


def test_expires_in_is_when_the_token_stops(fake: FakeSlack) -> None:
    fake.oauth.configure(token_rotation=True)
    before = time.time()

    answer = fake.oauth.install("T0LONG")

    [token] = fake.tokens_of("T0LONG")
    assert answer["expires_in"] == 43200
    assert token.expires_at is not None
    assert before + 43200 <= token.expires_at <= time.time() + 43200


def works(client: WebClient) -> bool:
    try:
        client.auth_test()
    except SlackApiError:
        return False
    return True


def test_a_rotating_token_expires_on_its_own(fake: FakeSlack) -> None:
    fake.oauth.configure(token_rotation=True, expires_in=1)
    client = WebClient(base_url=fake.api_url, token=fake.oauth.install("T0SHORT")["access_token"])
    assert client.auth_test()["ok"] is True

    deadline = time.monotonic() + 5
    while works(client):
        assert time.monotonic() < deadline, "the token never expired"
        time.sleep(0.05)

    with pytest.raises(SlackApiError) as expired:
        client.auth_test()
    assert error_of(expired) == "token_expired"


def test_slack_sdks_token_rotator_refreshes_against_the_stand_in(fake: FakeSlack) -> None:
    fake.oauth.configure(token_rotation=True, expires_in=300)
    answer = fake.oauth.install("T0SDK")
    installation = Installation(
        app_id=answer["app_id"],
        team_id="T0SDK",
        bot_token=answer["access_token"],
        bot_id="B0",
        bot_user_id=answer["bot_user_id"],
        bot_refresh_token=answer["refresh_token"],
        bot_token_expires_in=answer["expires_in"],
        user_id="U0INSTALLER",
    )
    rotator = TokenRotator(
        client_id=fake.oauth.client_id,
        client_secret=fake.oauth.client_secret,
        client=WebClient(base_url=fake.api_url),
    )

    refreshed = rotator.perform_token_rotation(installation=installation)

    assert refreshed is not None
    assert refreshed.bot_token not in (None, answer["access_token"])
    assert refreshed.bot_refresh_token != answer["refresh_token"]
    [call] = fake.calls("oauth.v2.access")
    assert call.params["grant_type"] == "refresh_token"
    who = WebClient(base_url=fake.api_url, token=refreshed.bot_token).auth_test()
    assert who["team_id"] == "T0SDK"


# ---- a Bolt app installs itself through the stand-in -------------------------------------------


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


@pytest.fixture
def bolt_app(fake: FakeSlack, tmp_path: Path) -> Iterator[tuple[str, FileInstallationStore]]:
    """An OAuth Bolt app on loopback; its URL and installation store."""
    store = FileInstallationStore(base_dir=str(tmp_path / "installations"))
    # The app is set once the server's port (and so the redirect URL) is known.
    server = make_server(
        "127.0.0.1",
        0,
        lambda environ, start: [],
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    url = f"http://127.0.0.1:{server.server_address[1]}"
    # installation_store given to App as well: only then does Bolt's token rotation use the
    # app's client (and so SLACK_API_URL); from OAuthSettings alone it calls slack.com.
    app = App(
        signing_secret=SECRET,
        client=WebClient(base_url=fake.api_url),
        installation_store=store,
        oauth_settings=OAuthSettings(
            client_id=fake.oauth.client_id,
            client_secret=fake.oauth.client_secret,
            scopes=["chat:write", "commands"],
            redirect_uri=f"{url}/slack/oauth_redirect",
            install_page_rendering_enabled=False,
            authorization_url=fake.oauth.authorize_url,
            installation_store=store,
            state_store=FileOAuthStateStore(
                expiration_seconds=600, base_dir=str(tmp_path / "states")
            ),
        ),
    )

    @app.event("app_mention")
    def handle_mention(event: dict[str, Any], say: Say) -> None:
        say(text=f"hello {event['user']}")

    server.set_app(SlackRequestHandler(app))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url, store
    server.shutdown()
    server.server_close()


def install_through_the_browser(app_url: str) -> tuple[int, str]:
    """What a person's browser does: /slack/install → Slack's authorize → the app's callback.

    Browsers send `Secure` cookies to http://127.0.0.1 (a secure context); urllib's cookie
    jar would not, so the state cookie is carried by hand.
    """
    status, headers, body = visit(f"{app_url}/slack/install")
    assert status == 302, body
    cookie = headers["set-cookie"].split(";", 1)[0]
    status, headers, body = visit(headers["location"], cookie)
    assert status == 302, body
    status, _, body = visit(headers["location"], cookie)
    return status, body


def mention(app_url: str, team_id: str) -> int:
    ws = payloads.Workspace(team_id)
    event = {
        "type": "app_mention",
        "user": "U0FAN",
        "text": "<@UBOT> hi",
        "ts": "1.000001",
        "channel": "C0MENTION",
        "event_ts": "1.000001",
    }
    body = json.dumps(payloads.event_callback(ws, event, event_id=payloads.new_event_id())).encode()
    request = urllib.request.Request(
        f"{app_url}/slack/events",
        data=body,
        headers={"Content-Type": "application/json", **payloads.sign(body, SECRET)},
    )
    with LOOPBACK.open(request, timeout=10) as answer:
        return int(answer.status)


def test_bolt_installs_through_the_redirects_and_posts_with_the_new_token(
    fake: FakeSlack, bolt_app: tuple[str, FileInstallationStore]
) -> None:
    app_url, store = bolt_app
    fake.oauth.next_install("T0BOLT", team_name="Bolt Team", user="U0OWNER")

    status, page = install_through_the_browser(app_url)

    assert status == 200, page
    [authorize] = fake.calls(AUTHORIZE)
    assert authorize.status == 302
    assert authorize.params["redirect_uri"] == f"{app_url}/slack/oauth_redirect"
    installation = store.find_installation(enterprise_id=None, team_id="T0BOLT")
    assert installation is not None
    assert (installation.team_name, installation.user_id) == ("Bolt Team", "U0OWNER")
    [token] = fake.tokens_of("T0BOLT")
    assert installation.bot_token == token.value

    mark = fake.mark()
    assert mention(app_url, "T0BOLT") == 200
    [said] = fake.wait_for("chat.postMessage", since=mark)
    assert (said.team_id, said.token) == ("T0BOLT", token.value)
    assert said.params["text"] == "hello U0FAN"


def test_bolt_refreshes_a_rotating_token_before_it_expires(
    fake: FakeSlack, bolt_app: tuple[str, FileInstallationStore]
) -> None:
    app_url, _ = bolt_app
    fake.oauth.configure(token_rotation=True, expires_in=60)  # inside Bolt's 2-hour margin
    fake.oauth.next_install("T0TURN")
    assert install_through_the_browser(app_url)[0] == 200
    [first] = fake.tokens_of("T0TURN")

    mark = fake.mark()
    assert mention(app_url, "T0TURN") == 200

    [said] = fake.wait_for("chat.postMessage", since=mark)
    refresh = [c for c in fake.calls_since(mark, "oauth.v2.access") if c.ok]
    assert [c.params.get("grant_type") for c in refresh] == ["refresh_token"]
    assert said.team_id == "T0TURN"
    assert said.token != first.value
    assert said.token == refresh[0].response["access_token"]
