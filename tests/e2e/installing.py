"""Helpers for the OAuth end-to-end tests: a bot that installs by OAuth, and the browser's
part of "Add to Slack".

    with oauth_bot(tmp_dir) as (fake, bot):
        fake.oauth.next_install("T0ALPHA")
        assert add_to_slack(bot.url).status == 200

The browser goes /slack/install → Slack's authorize page (the stand-in's) → the bot's
/slack/oauth_redirect, carrying the state cookie by hand: browsers send `Secure` cookies to
http://127.0.0.1 (a secure context), urllib's cookie jar would not.
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from standin.server import FakeSlack
from tests.conftest import SIGNING_SECRET
from tests.support import databases
from tests.support.botproc import BotProcess


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_LINK = re.compile(r'<a [^>]*href="([^"]*/oauth/v2/authorize[^"]*)"')
_ONE_STEP = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


@dataclass(frozen=True)
class Page:
    """One HTTP answer, redirects not followed."""

    status: int
    headers: dict[str, str]  # lower-cased names
    body: str


def visit(url: str, cookie: str = "") -> Page:
    """GET `url` once, without following a redirect."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with _ONE_STEP.open(request, timeout=10) as answer:
            headers = {k.lower(): v for k, v in answer.headers.items()}
            return Page(answer.status, headers, answer.read().decode())
    except urllib.error.HTTPError as refused:
        headers = {k.lower(): v for k, v in refused.headers.items()}
        return Page(refused.code, headers, refused.read().decode())


def add_to_slack_link(page: Page) -> str:
    """The install page's "Add to Slack" link (to Slack's authorize page)."""
    assert page.status == 200, page
    found = _LINK.search(page.body)
    assert found, f"no Add to Slack link on the install page:\n{page.body}"
    return html.unescape(found[1])


def add_to_slack(bot_url: str) -> Page:
    """What a person's browser does from the install page to the page the bot ends on."""
    start = visit(f"{bot_url}/slack/install")
    cookie = start.headers["set-cookie"].split(";", 1)[0]
    slack = visit(add_to_slack_link(start), cookie)
    assert slack.status == 302, slack
    return visit(slack.headers["location"], cookie)


@contextmanager
def oauth_bot(tmp_dir: Path, **env: str) -> Iterator[tuple[FakeSlack, BotProcess]]:
    """A fake Slack with no workspace yet, a fresh database, and the bot installing by OAuth
    (no SLACK_BOT_TOKEN; SLACK_CLIENT_ID and SLACK_CLIENT_SECRET the stand-in's app's)."""
    with (
        FakeSlack() as fake,
        databases.fresh_database_url(tmp_dir / "database") as url,
    ):
        process = BotProcess(
            url,
            fake.api_url,
            "",  # no bot token: each workspace's comes with its install
            SIGNING_SECRET,
            tmp_dir / "bot",
            extra_env={
                "SLACK_CLIENT_ID": fake.oauth.client_id,
                "SLACK_CLIENT_SECRET": fake.oauth.client_secret,
                **env,
            },
        )
        process.start()
        # The redirect URL the app's settings page lists (Bolt sends none unless configured).
        fake.oauth.configure(redirect_uri=f"{process.url}/slack/oauth_redirect")
        try:
            yield fake, process
        finally:
            process.stop()
        assert fake.internal_errors == [], "FakeSlack itself failed; see the errors"
