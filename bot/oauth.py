"""Install by OAuth: Bolt's flow on GET /slack/install and GET /slack/oauth_redirect, with
slack_sdk's stores on our database.

Bolt turns on an OAuth flow of its own, with file stores under $HOME, whenever SLACK_CLIENT_ID
and SLACK_CLIENT_SECRET are in the environment; here every part is given explicitly.
"""

from typing import Any
from urllib.parse import urljoin

from slack_bolt import App
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.authorize import InstalledAuthorize
from bot.installations import (
    REFRESH_MINUTES_BEFORE,
    STATE_EXPIRATION_S,
    InstalledTokens,
    installation_store,
    state_store,
)
from bot.settings import Settings
from templates import Renderer

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot's scopes, as manifest.yml's oauth_config.scopes.bot lists them (a test holds the two
# together): what "Add to Slack" asks a workspace for.
SCOPES = (
    "chat:write",
    "chat:write.public",
    "commands",
    "channels:history",
    "groups:history",
    "channels:read",
    "groups:read",
    "reactions:write",
    "users:read",
    "files:write",
    "im:write",
)


def authorization_url(api_url: str) -> str:
    """Slack's authorize page beside its Web API: https://slack.com/oauth/v2/authorize for
    https://slack.com/api/ (and the stand-in's, for the stand-in's API)."""
    return urljoin(api_url, "../oauth/v2/authorize")


class _Pages(OAuthFlow):
    """Bolt's flow, with our install page (words in templates/)."""

    def __init__(self, *, client: WebClient, settings: OAuthSettings, renderer: Renderer) -> None:
        super().__init__(client=client, settings=settings)
        self._renderer = renderer

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return self._renderer.text("install_page.html.j2", authorize_url=url)


def _page(status: int, html: str, settings: OAuthSettings) -> BoltResponse:
    # The state cookie has done its work either way.
    cookie = settings.state_utils.build_set_cookie_for_deletion()
    headers = {"Content-Type": "text/html; charset=utf-8", "Set-Cookie": [cookie]}
    return BoltResponse(status=status, body=html, headers=headers)


def _callback_pages(renderer: Renderer) -> CallbackOptions:
    def success(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        team = installation.team_id or installation.enterprise_id or ""
        html = renderer.text(
            "install_done.html.j2",
            team_name=installation.team_name or installation.enterprise_name or "",
            slack_url=f"slack://app?team={team}&id={installation.app_id}",
        )
        return _page(200, html, args.settings)

    def failure(args: FailureArgs) -> BoltResponse:
        html = renderer.text(
            "install_failed.html.j2", reason=args.reason, install_path=args.settings.install_path
        )
        return _page(args.suggested_status_code, html, args.settings)

    return CallbackOptions(success=success, failure=failure)


def oauth_app_arguments(settings: Settings, engine: Engine, client: WebClient) -> dict[str, Any]:
    """What `App(...)` needs to install by OAuth and authorize each request from the store."""
    client_id = settings.slack_client_id or ""
    store = installation_store(client_id, engine)
    renderer = Renderer()
    oauth_settings = OAuthSettings(
        client_id=client_id,
        client_secret=settings.secret("SLACK_CLIENT_SECRET"),
        scopes=list(SCOPES),
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=REFRESH_MINUTES_BEFORE,
        state_store=state_store(engine),
        state_expiration_seconds=STATE_EXPIRATION_S,
        callback_options=_callback_pages(renderer),
    )
    return {
        # Ours, not Bolt's store-backed one: see InstalledAuthorize.
        "authorize": InstalledAuthorize(installed_tokens(settings, engine, client)),
        "oauth_flow": _Pages(client=client, settings=oauth_settings, renderer=renderer),
    }


def installed_tokens(settings: Settings, engine: Engine, client: WebClient) -> InstalledTokens:
    """Each workspace's bot token from the store, for the gateway (`client` refreshes them)."""
    return InstalledTokens(
        engine,
        client_id=settings.slack_client_id or "",
        client_secret=settings.secret("SLACK_CLIENT_SECRET"),
        client=client,
    )


def oauth_page(app: App, method: str, path: str, request: BoltRequest) -> BoltResponse | None:
    """Bolt's answer for the install page or the redirect back from Slack; None for any other
    request (and for every request when the app does not install by OAuth)."""
    flow = app.oauth_flow
    if flow is None or method not in ("GET", "HEAD"):
        return None
    if path == flow.install_path:
        return flow.handle_installation(request)
    if path == flow.redirect_uri_path:
        return flow.handle_callback(request)
    return None
