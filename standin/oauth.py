"""OAuth v2 for many workspaces: the authorize page, oauth.v2.access and token rotation.

The test API, on `FakeSlack.oauth`:

    fake.oauth.client_id, fake.oauth.client_secret     # generated; or configure(...)
    fake.oauth.configure(client_id=…, client_secret=…, token_rotation=True, expires_in=60,
                         redirect_uri=…)
    fake.oauth.authorize_url                           # http://127.0.0.1:PORT/oauth/v2/authorize
    fake.oauth.next_install("T1", enterprise_id=None, is_enterprise_install=False,
                            team_name=None, user="U0INSTALLER")
    fake.oauth.next_denial()                           # the next person clicks "Cancel"
    code = fake.oauth.new_code("T1", …)                # a code without the redirect
    answer = fake.oauth.install("T1", …)               # a bot token without the dance
    fake.oauth.identity("T1")                          # who T1's tokens speak for

`GET /oauth/v2/authorize?client_id&scope&state&redirect_uri` answers 302 to
`redirect_uri?code=…&state=…` for the workspace the test queued with next_install (400 when
none is queued, the client id is unknown or there is no redirect URI). `oauth.v2.access`
takes the client id and secret as form fields or HTTP Basic auth (as slack_sdk sends them):
an unknown client id is `invalid_client_id`, a wrong secret `bad_client_secret`; a code works
once, for 10 minutes, with the redirect_uri it was issued for (`invalid_code`,
`bad_redirect_uri`). The answer has `access_token`, `token_type: bot`, `scope`,
`bot_user_id`, `app_id`, `team` (null for an org-wide install), `enterprise`,
`is_enterprise_install`, `authed_user {id}`. auth.test with the token answers for its
workspace: team, bot user and bot id, and for an org install `enterprise_id` and
`is_enterprise_install: true` (team_id stays the workspace the test named).

Token rotation (off by default): the answer adds `refresh_token` (xoxe-1-…) and `expires_in`
(43200 s unless configured), and the access token is `xoxe.xoxb-1-…` as Slack issues them.
`grant_type=refresh_token` exchanges a refresh token for a new pair. Decided from Slack's
token rotation guide: a refresh token is revoked once used (`invalid_refresh_token` on
reuse), and the previous access token keeps working until its own expiry (the guide revokes
only the refresh token), after which it is `token_expired`. Each workspace keeps its bot user
across installs and refreshes; reinstalling issues a new token and leaves older ones working.
User tokens (`user_scope`) are not issued.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from standin.base import APP_ID, DEFAULT_IDENTITY, Identity, SlackError
from standin.requests import AUTHORIZE_PATH
from standin.tokens import Tokens, new_bot_token

CODE_LIFETIME = 600.0  # seconds: Slack's codes expire after ten minutes
DEFAULT_EXPIRES_IN = 43_200  # twelve hours
DEFAULT_SCOPE = (
    "chat:write,commands,channels:history,groups:history,channels:read,groups:read,"
    "reactions:write,users:read,files:write"
)


@dataclass(frozen=True)
class Install:
    """Where the person installing the app chose to install it."""

    team_id: str
    enterprise_id: str | None = None
    is_enterprise_install: bool = False
    team_name: str | None = None
    user: str = "U0INSTALLER"
    scope: str | None = None
    denied: bool = False


@dataclass
class _Code:
    install: Install
    redirect_uri: str | None
    scope: str
    issued_at: float = field(default_factory=time.monotonic)
    used: bool = False


@dataclass
class _Refresh:
    install: Install
    scope: str
    access_token: str  # the access token issued with it
    used: bool = False


class OAuth:
    """The app's OAuth side of Slack; every method is safe to call from any thread."""

    def __init__(self, base_url: Callable[[], str], tokens: Tokens, lock: threading.RLock) -> None:
        self._base_url = base_url
        self._tokens = tokens
        self._lock = lock
        self.client_id = f"{secrets.randbelow(10**10)}.{secrets.randbelow(10**12)}"
        self.client_secret = secrets.token_hex(16)
        self.token_rotation = False
        self.expires_in = DEFAULT_EXPIRES_IN
        self.redirect_uri: str | None = None
        self._queue: deque[Install] = deque()
        self._codes: dict[str, _Code] = {}
        self._refresh_tokens: dict[str, _Refresh] = {}
        self._identities: dict[tuple[str | None, str], Identity] = {
            (None, DEFAULT_IDENTITY.team_id): DEFAULT_IDENTITY
        }

    # ---- test API ----------------------------------------------------------------------------

    @property
    def authorize_url(self) -> str:
        """Slack's authorize page on the stand-in (OAuthSettings(authorization_url=…))."""
        return f"{self._base_url()}{AUTHORIZE_PATH}"

    def configure(
        self,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_rotation: bool | None = None,
        expires_in: int | None = None,
        redirect_uri: str | None = None,
    ) -> None:
        """The app's settings as the app config page holds them; None keeps a setting."""
        with self._lock:
            self.client_id = client_id or self.client_id
            self.client_secret = client_secret or self.client_secret
            if token_rotation is not None:
                self.token_rotation = token_rotation
            if expires_in is not None:
                self.expires_in = expires_in
            self.redirect_uri = redirect_uri or self.redirect_uri

    def next_install(
        self,
        team_id: str,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
        *,
        team_name: str | None = None,
        user: str = "U0INSTALLER",
    ) -> None:
        """The next visit to the authorize page installs the app into `team_id`."""
        install = Install(team_id, enterprise_id, is_enterprise_install, team_name, user)
        with self._lock:
            self._queue.append(install)

    def next_denial(self) -> None:
        """The next visit to the authorize page is cancelled (`error=access_denied`)."""
        with self._lock:
            self._queue.append(Install("", denied=True))

    def new_code(
        self,
        team_id: str,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
        *,
        team_name: str | None = None,
        user: str = "U0INSTALLER",
        scope: str | None = None,
        redirect_uri: str | None = None,
    ) -> str:
        """A code for oauth.v2.access, as if the authorize page had redirected with it."""
        install = Install(team_id, enterprise_id, is_enterprise_install, team_name, user, scope)
        with self._lock:
            return self._issue_code(install, scope, redirect_uri)

    def install(
        self,
        team_id: str,
        enterprise_id: str | None = None,
        is_enterprise_install: bool = False,
        *,
        team_name: str | None = None,
        user: str = "U0INSTALLER",
        scope: str | None = None,
    ) -> dict[str, Any]:
        """Install the app without the dance: oauth.v2.access's answer (tokens included)."""
        install = Install(team_id, enterprise_id, is_enterprise_install, team_name, user, scope)
        with self._lock:
            return self._grant(install, scope or DEFAULT_SCOPE)

    def identity(self, team_id: str, enterprise_id: str | None = None) -> Identity | None:
        """Who the workspace's bot tokens speak for, once the app is installed there."""
        with self._lock:
            return self._identities.get((enterprise_id, team_id))

    # ---- what the server answers -------------------------------------------------------------

    def authorize(self, params: dict[str, Any]) -> tuple[int, str]:
        """(302, Location) for the queued install, or (400, why) as Slack's error page."""
        with self._lock:
            if params.get("client_id") != self.client_id:
                return 400, "invalid_client_id"
            redirect = params.get("redirect_uri") or self.redirect_uri
            if not redirect:
                return 400, "bad_redirect_uri"
            if not self._queue:
                return 400, "no install queued: call fake.oauth.next_install(team_id) first"
            install = self._queue.popleft()
            state = {"state": params["state"]} if params.get("state") else {}
            if install.denied:
                return 302, _with_query(str(redirect), {"error": "access_denied", **state})
            code = self._issue_code(
                install, params.get("scope") or None, params.get("redirect_uri") or None
            )
            return 302, _with_query(str(redirect), {"code": code, **state})

    def access(self, params: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """oauth.v2.access's JSON answer."""
        try:
            with self._lock:
                return {"ok": True, **self._access(params, headers)}
        except SlackError as failure:
            return {"ok": False, "error": failure.error, **failure.extra}

    def _access(self, params: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        client_id, client_secret = _client_credentials(params, headers)
        if client_id != self.client_id:
            raise SlackError("invalid_client_id")
        if client_secret != self.client_secret:
            raise SlackError("bad_client_secret")
        grant_type = params.get("grant_type") or "authorization_code"
        if grant_type == "refresh_token":
            return self._refresh(str(params.get("refresh_token") or ""))
        if grant_type != "authorization_code":
            raise SlackError("invalid_grant_type")
        code = self._codes.get(str(params.get("code") or ""))
        if code is None or code.used or time.monotonic() - code.issued_at > CODE_LIFETIME:
            raise SlackError("invalid_code")
        if code.redirect_uri is not None and params.get("redirect_uri") != code.redirect_uri:
            raise SlackError("bad_redirect_uri")
        code.used = True
        return self._grant(code.install, code.scope)

    def _refresh(self, refresh_token: str) -> dict[str, Any]:
        record = self._refresh_tokens.get(refresh_token)
        if record is None or record.used:
            raise SlackError("invalid_refresh_token")
        issued_with = self._tokens.get(record.access_token)
        if issued_with is None or issued_with.revoked or issued_with.uninstalled:
            raise SlackError("invalid_refresh_token")
        record.used = True
        return self._grant(record.install, record.scope, rotating=True)

    def _issue_code(self, install: Install, scope: str | None, redirect_uri: str | None) -> str:
        code = f"{secrets.randbelow(10**10)}.{secrets.randbelow(10**13)}.{secrets.token_hex(32)}"
        self._codes[code] = _Code(install, redirect_uri, scope or install.scope or DEFAULT_SCOPE)
        return code

    def _grant(
        self, install: Install, scope: str, *, rotating: bool | None = None
    ) -> dict[str, Any]:
        rotating = self.token_rotation if rotating is None else rotating
        identity = self._identity_for(install)
        access_token = new_bot_token(identity, rotating=rotating)
        expires_in = self.expires_in if rotating else None
        self._tokens.add_bot(access_token, identity, scope=scope, expires_in=expires_in)
        answer: dict[str, Any] = {
            "app_id": APP_ID,
            "authed_user": {"id": install.user},
            "scope": scope,
            "token_type": "bot",
            "access_token": access_token,
            "bot_user_id": identity.bot_user_id,
            "team": (
                None
                if install.is_enterprise_install
                else {"id": identity.team_id, "name": identity.team_name}
            ),
            "enterprise": (
                {"id": identity.enterprise_id, "name": identity.enterprise_name}
                if identity.enterprise_id
                else None
            ),
            "is_enterprise_install": install.is_enterprise_install,
        }
        if rotating:
            refresh_token = f"xoxe-1-{secrets.token_hex(24)}"
            self._refresh_tokens[refresh_token] = _Refresh(install, scope, access_token)
            answer.update(refresh_token=refresh_token, expires_in=self.expires_in)
        return answer

    def _identity_for(self, install: Install) -> Identity:
        key = (install.enterprise_id, install.team_id)
        known = self._identities.get(key)
        if known is None:
            known = Identity(
                team_id=install.team_id,
                team_name=install.team_name or f"Workspace {install.team_id}",
                bot_user_id="U" + secrets.token_hex(5).upper(),
                bot_id="B" + secrets.token_hex(5).upper(),
                enterprise_id=install.enterprise_id,
                enterprise_name=f"Org {install.enterprise_id}" if install.enterprise_id else None,
                is_enterprise_install=install.is_enterprise_install,
            )
            self._identities[key] = known
        return known


def _client_credentials(params: dict[str, Any], headers: dict[str, str]) -> tuple[str, str]:
    """client_id and client_secret from HTTP Basic auth (slack_sdk) or the form."""
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        client_id, _, client_secret = decoded.partition(":")
        return client_id, client_secret
    return str(params.get("client_id") or ""), str(params.get("client_secret") or "")


def _with_query(url: str, fields: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(fields)
