"""The composition root: settings in, a wired Bolt app out."""

import logging
from dataclasses import dataclass

from slack_bolt import App
from sqlalchemy import Engine

import commands
from bot.authorize import SingleWorkspaceAuthorize
from bot.gateway import make_client
from bot.outbox import OutboxSender
from bot.settings import Settings
from commands.render import make_renderer
from commands.services import Services
from storage.engine import make_engine


@dataclass(frozen=True)
class Runtime:
    """Everything one process builds once: the engine, the services, the Bolt app."""

    engine: Engine
    services: Services
    app: App


def build_runtime(settings: Settings, *, socket_mode: bool = False) -> Runtime:
    """Build the engine, services and Bolt app for one process (never at import time)."""
    engine = make_engine(settings.database_url)
    token = settings.secret("SLACK_BOT_TOKEN")
    slack = make_client(token=token, base_url=settings.slack_api_url)
    services = Services(
        engine=engine, renderer=make_renderer(), deliverer=OutboxSender(engine, slack), slack=slack
    )
    # Bolt gives each request a copy of this client carrying the token `authorize` returns.
    client = make_client(token=None, base_url=settings.slack_api_url)
    signing_secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    app = App(
        client=client,
        signing_secret=signing_secret,
        # Socket Mode messages come over an authenticated socket and carry no signature.
        request_verification_enabled=not socket_mode,
        # The token is checked on the first request, not at start-up: a Slack hiccup
        # during a deploy must not stop the process from starting.
        authorize=SingleWorkspaceAuthorize(
            token=token, base_url=settings.slack_api_url
        ).as_bolt_authorize(),
        logger=logging.getLogger("vsm.bolt"),
    )
    commands.register(app, services)
    return Runtime(engine=engine, services=services, app=app)
