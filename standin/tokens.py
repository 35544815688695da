"""Every token the stand-in has handed out, whom it speaks for, and whether it still works.

A bot token (xoxb-…, or xoxe.xoxb-… when token rotation is on) speaks for one workspace: its
`Identity`. An app-level token (xapp-…) speaks for the app and is good for
`apps.connections.open` only; a bot token there gets `not_allowed_token_type`, as does an app
token anywhere else. An unknown token is `invalid_auth`; a revoked one `token_revoked`; one
whose workspace uninstalled the app `invalid_auth`; a rotating token past its expiry
`token_expired`.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from dataclasses import dataclass, field
from typing import Literal

from standin.base import Identity, SlackError

APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


@dataclass(frozen=True)
class Token:
    """One token and its state; `expires_at` is time.time() seconds, None for never."""

    value: str
    kind: Literal["bot", "app"]
    identity: Identity | None  # None for an app-level token
    scope: str = ""
    expires_at: float | None = None
    revoked: bool = False
    uninstalled: bool = False

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and time.time() >= self.expires_at


def new_bot_token(identity: Identity, *, rotating: bool) -> str:
    """A token shaped like Slack's: xoxb-<team>-<bot>-<secret>, xoxe.xoxb-1-… when rotating."""
    secret = secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")
    if rotating:
        return f"xoxe.xoxb-1-{secret}"
    return f"xoxb-{identity.team_id}-{identity.bot_user_id}-{secret}"


@dataclass
class Tokens:
    """The token registry: FakeSlack asks it who made each Web API call."""

    tokens: dict[str, Token] = field(default_factory=dict)

    def add(self, token: Token) -> Token:
        self.tokens[token.value] = token
        return token

    def add_bot(
        self, value: str, identity: Identity, *, scope: str = "", expires_in: float | None = None
    ) -> Token:
        expires_at = None if expires_in is None else time.time() + expires_in
        return self.add(Token(value, "bot", identity, scope=scope, expires_at=expires_at))

    def add_app(self, value: str) -> Token:
        return self.add(Token(value, "app", None))

    def get(self, value: str) -> Token | None:
        return self.tokens.get(value)

    def check(self, value: str | None, method: str) -> Token:
        """The token that made a call of `method`, or the error Slack answers instead."""
        if not value:
            raise SlackError("not_authed")
        token = self.tokens.get(value)
        if token is None or token.uninstalled:
            raise SlackError("invalid_auth")
        if token.revoked:
            raise SlackError("token_revoked")
        if token.expired:
            raise SlackError("token_expired")
        if (token.kind == "app") != (method in APP_TOKEN_METHODS):
            raise SlackError("not_allowed_token_type")
        return token

    def revoke(self, value: str) -> None:
        self.tokens[value] = dataclasses.replace(self._known(value), revoked=True)

    def expire(self, value: str) -> None:
        self.tokens[value] = dataclasses.replace(self._known(value), expires_at=time.time() - 1)

    def uninstall(self, team_id: str, enterprise_id: str | None = None) -> list[str]:
        """Every bot token of the workspace stops working; returns them."""
        gone = [
            token.value
            for token in self.tokens.values()
            if token.identity is not None
            and token.identity.team_id == team_id
            and token.identity.enterprise_id == enterprise_id
        ]
        for value in gone:
            self.tokens[value] = dataclasses.replace(self.tokens[value], uninstalled=True)
        return gone

    def of_team(self, team_id: str) -> list[Token]:
        return [
            t
            for t in self.tokens.values()
            if t.identity is not None and t.identity.team_id == team_id
        ]

    def _known(self, value: str) -> Token:
        token = self.tokens.get(value)
        if token is None:
            raise KeyError(f"the stand-in never issued the token {value[:12]}…")
        return token
