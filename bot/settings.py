"""Settings from the environment (and an optional .env file), checked before anything starts."""

from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.urls import normalize_database_url

# What to tell a person about each variable when it is missing or wrong.
HINTS: dict[str, str] = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) from your Slack app's "
    "OAuth & Permissions page",
    "SLACK_SIGNING_SECRET": "the Signing Secret from your Slack app's Basic Information page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with connections:write, from your Slack "
    "app's Basic Information page; needed for Socket Mode only",
    "SLACK_CLIENT_ID": "the Client ID from your Slack app's Basic Information page; with "
    "SLACK_CLIENT_SECRET it installs the bot in any number of workspaces by OAuth",
    "SLACK_CLIENT_SECRET": "the Client Secret from your Slack app's Basic Information page",
    "SLACK_REDIRECT_URI": "the public https address of /slack/oauth_redirect, as listed under "
    "Redirect URLs on your Slack app's OAuth & Permissions page (or leave it unset)",
    "SLACK_API_URL": "the Slack Web API base URL; leave it unset for https://slack.com/api/",
    "DATABASE_URL": "sqlite:///vsm.db (the default) or postgresql://user:password@host:5432/db",
    "PORT": "the HTTP port, a whole number from 1 to 65535 (default 3000)",
    "LOG_LEVEL": "one of DEBUG, INFO, WARNING, ERROR (default INFO)",
    "WEB_CONCURRENCY": "the number of web worker processes, 1 to 64 (default 2)",
}


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it and the fix."""


class Settings(BaseSettings):
    """The bot's configuration. Built by `load_settings()`, never at import time."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_redirect_uri: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = "sqlite:///vsm.db"
    port: int = Field(default=3000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    web_concurrency: int = Field(default=2, ge=1, le=64)

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "slack_redirect_uri",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("an app-level token starts with xapp-")
        return value

    @field_validator("slack_redirect_uri")
    @classmethod
    def _redirect_uri(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("it must start with https://")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("it must start with https://")
        return value if value.endswith("/") else value + "/"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        normalize_database_url(value)  # raises ValueError with the reason
        return value

    def require(self, *names: str) -> None:
        """Check that the settings a command needs are set.

        Raises:
            SettingsError: the first missing one, named as its environment variable.
        """
        for name in names:
            if getattr(self, name.lower()) is None:
                raise SettingsError(f"{name} is not set: set it to {HINTS[name]}.")

    @property
    def oauth(self) -> bool:
        """Whether the bot installs by OAuth (any number of workspaces), not with one token.

        Raises:
            SettingsError: half of the OAuth settings, or both ways at once.
        """
        if self.slack_client_id is None and self.slack_client_secret is None:
            return False
        self.require("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
        if self.slack_bot_token is not None:
            raise SettingsError(
                "SLACK_BOT_TOKEN is set beside SLACK_CLIENT_ID: unset SLACK_BOT_TOKEN to install "
                "by OAuth in any number of workspaces, or unset SLACK_CLIENT_ID and "
                "SLACK_CLIENT_SECRET to serve the one workspace of the token."
            )
        return True

    def secret(self, name: str) -> str:
        """The plain value of a secret setting that `require` has checked."""
        value = getattr(self, name.lower())
        if not isinstance(value, SecretStr):
            raise SettingsError(f"{name} is not set: set it to {HINTS[name]}.")
        return value.get_secret_value()


def load_settings() -> Settings:
    """Read the environment (and .env).

    Raises:
        SettingsError: one line naming the first bad variable, what is wrong and how to fix it.
    """
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        reason = str(first["msg"]).removeprefix("Value error, ")
        hint = HINTS.get(name, "")
        raise SettingsError(f"{name} is malformed ({reason}): set it to {hint}.") from None
