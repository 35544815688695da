"""The composition root: settings in, wired services and a Bolt app out."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from sqlalchemy import Engine

from bot.authorize import SingleWorkspaceAuthorize
from bot.directory import SlackDirectory
from bot.gateway import WEB_API_TIMEOUT_S, SlackGateway, make_client
from bot.outbox import OutboxSender
from bot.settings import Settings
from commands import listeners
from commands.renderer import make_renderer
from commands.services import Services
from storage.engine import make_engine
from storage.tenant import Tenant
from storage.types import utcnow

if TYPE_CHECKING:  # slack_sdk's OAuth stores are imported only by a bot that installs by OAuth
    from bot.installations import InstalledTokens


@dataclass(frozen=True)
class Core:
    """What every process builds once: the engine, the outbox sender, the services."""

    engine: Engine
    sender: OutboxSender
    services: Services
    # With OAuth, each workspace's tokens, which the clock refreshes before they expire.
    tokens: "InstalledTokens | None" = None


@dataclass(frozen=True)
class Runtime:
    """A process that answers Slack: the core plus the Bolt app."""

    core: Core
    app: App

    @property
    def engine(self) -> Engine:
        return self.core.engine


class _TokenComesFromAuthorize(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN (read from the environment) goes unused beside our own
    client; it does, on purpose: `authorize` hands every request the token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("vsm.bolt")
    if not any(isinstance(f, _TokenComesFromAuthorize) for f in logger.filters):
        logger.addFilter(_TokenComesFromAuthorize())
    return logger


# A process that answers Slack acknowledges within 3 seconds: what it sends on the way (a
# cycle's message, a reaction) gets one quick try, and the clock retries what failed.
ANSWERING_TIMEOUT_S = 2.0


def build_core(
    settings: Settings,
    now: Callable[[], datetime] = utcnow,
    *,
    answering: bool = False,
    slack_timeout: float | None = None,
    token_for: Callable[[Tenant], str] | None = None,
) -> Core:
    """The engine, the Slack gateway with the bot token, the outbox sender and the services.

    Args:
        answering: for a process that answers Slack's requests (no retries, short timeouts).
        slack_timeout: seconds to wait for each Web API answer, if not the default.
        token_for: each workspace's bot token (many workspaces); SLACK_BOT_TOKEN by default.
    """
    engine = make_engine(settings.database_url)
    timeout = slack_timeout or (ANSWERING_TIMEOUT_S if answering else WEB_API_TIMEOUT_S)
    tokens = None
    if token_for is None:
        token_for, tokens = _tokens(settings, engine, retries=not answering, timeout=timeout)
    slack = SlackGateway(token_for, settings.slack_api_url, retries=not answering, timeout=timeout)
    # The outbox retries by itself, after looking whether a post whose answer was lost went
    # through: a blind retry inside the client could post a message twice.
    posting = SlackGateway(token_for, settings.slack_api_url, retries=False, timeout=timeout)
    sender = OutboxSender(engine, posting, now=now, retries=not answering, draws=not answering)
    services = Services(
        engine=engine,
        renderer=make_renderer(),
        deliverer=sender,
        slack=slack,
        directory=SlackDirectory(slack),
        now=now,
    )
    return Core(engine=engine, sender=sender, services=services, tokens=tokens)


def _tokens(
    settings: Settings, engine: Engine, *, retries: bool, timeout: float
) -> tuple[Callable[[Tenant], str], "InstalledTokens | None"]:
    """Each workspace's bot token: from the installation store (OAuth, returned twice: as the
    lookup and as the tokens the clock tends), else the one token."""
    if settings.oauth:
        from bot.oauth import installed_tokens

        refreshing = make_client(
            token=None, base_url=settings.slack_api_url, timeout=timeout, retries=retries
        )
        tokens = installed_tokens(settings, engine, refreshing)
        return tokens, tokens
    token = settings.secret("SLACK_BOT_TOKEN")
    return (lambda tenant: token), None


def build_runtime(settings: Settings) -> Runtime:
    """The core and a Bolt app with every listener attached (never at import time)."""
    core = build_core(settings, answering=True)
    # Bolt gives each request a copy of this client carrying the token `authorize` returns.
    client = make_client(token=None, base_url=settings.slack_api_url)
    authorizing: dict[str, Any] = (
        _oauth_app_arguments(settings, core.engine, client)
        if settings.oauth
        else {
            # The token is checked on the first request, not at start-up: a Slack hiccup
            # during a deploy must not stop the process from starting.
            "authorize": SingleWorkspaceAuthorize(
                token=settings.secret("SLACK_BOT_TOKEN"), base_url=settings.slack_api_url
            ).as_bolt_authorize()
        }
    )
    app = App(
        client=client,
        # Over HTTP, bot/web.py checks the signature (and its age, and replays) before Bolt
        # sees a request; Socket Mode messages come over an authenticated socket unsigned.
        # Either way Bolt need not check again.
        request_verification_enabled=False,
        **authorizing,
        logger=_bolt_logger(),
        # A request is answered only once what it acknowledges is stored: an answer Slack
        # was told we have is never lost to a crash, and a failure makes Slack send it again.
        process_before_response=True,
    )
    listeners.register(app, core.services)
    return Runtime(core=core, app=app)


def _oauth_app_arguments(settings: Settings, engine: Engine, client: Any) -> dict[str, Any]:
    from bot.oauth import oauth_app_arguments

    return oauth_app_arguments(settings, engine, client)
