"""Installing by OAuth: "Add to Slack" through the real redirects, many workspaces in one
deployment, each with its own token — for the web process and for the clock.

The module's bot installs by OAuth (SLACK_CLIENT_ID/SECRET, no SLACK_BOT_TOKEN) against a
stand-in with no workspace until a test installs one; its clock runs as `vsm-bot tick`.
"""

from collections.abc import Iterator

import pytest

from standin.server import Call, FakeSlack
from tests.conftest import SIGNING_SECRET
from tests.e2e.clocking import schedule, tick_process
from tests.e2e.installing import add_to_slack, add_to_slack_link, oauth_bot, visit
from tests.e2e.vsm_commands import define, ok
from tests.support.botproc import BotProcess
from tests.support.driver import SlackDriver


@pytest.fixture(scope="module")
def installing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, BotProcess]]:
    with oauth_bot(tmp_path_factory.mktemp("oauth")) as made:
        yield made


@pytest.fixture
def fake(installing: tuple[FakeSlack, BotProcess]) -> FakeSlack:
    return installing[0]


@pytest.fixture
def bot(installing: tuple[FakeSlack, BotProcess]) -> BotProcess:
    return installing[1]


def install(
    fake: FakeSlack, bot: BotProcess, team_id: str, enterprise_id: str | None = None, **how: bool
) -> str:
    """Add the app to a workspace through the browser; the bot token Slack issued."""
    fake.oauth.next_install(team_id, enterprise_id, **how, team_name=f"Team {team_id}")
    page = add_to_slack(bot.url)
    assert page.status == 200, page
    assert "vsm-bot is installed in " in page.body
    tokens = fake.tokens_of(team_id)
    assert tokens, f"no token was issued for {team_id}"
    return tokens[-1].value


def driver(
    fake: FakeSlack, bot: BotProcess, team_id: str, enterprise_id: str | None = None
) -> SlackDriver:
    return SlackDriver(bot.url, SIGNING_SECRET, fake, team_id=team_id, enterprise_id=enterprise_id)


def listed(slack: SlackDriver) -> str:
    return ok(slack, "list").all_text


def tokens_used(calls: list[Call]) -> set[tuple[str | None, str | None]]:
    return {(call.team_id, call.token) for call in calls if call.token}


def test_two_workspaces_install_and_each_sees_only_its_own_streams(
    fake: FakeSlack, bot: BotProcess
) -> None:
    alpha_token = install(fake, bot, "T0ALPHA")
    beta_token = install(fake, bot, "T0BETA")
    assert alpha_token != beta_token
    alpha, beta = driver(fake, bot, "T0ALPHA"), driver(fake, bot, "T0BETA")

    mark = fake.mark()
    define(alpha, "Alpha onboarding", '"Sign contract" people:<@UA1|ann>')
    assert tokens_used(fake.calls_since(mark)) == {("T0ALPHA", alpha_token)}
    mark = fake.mark()
    define(beta, "Beta billing", '"Send invoice" people:<@UB1|bo>')
    assert tokens_used(fake.calls_since(mark)) == {("T0BETA", beta_token)}

    assert "Alpha onboarding" in listed(alpha)
    assert "Beta billing" not in listed(alpha)
    assert "Beta billing" in listed(beta)
    assert "Alpha onboarding" not in listed(beta)


def test_the_clock_posts_to_each_workspace_with_its_own_token(
    fake: FakeSlack, bot: BotProcess
) -> None:
    gamma_token = install(fake, bot, "T0GAMMA")
    delta_token = install(fake, bot, "T0DELTA")
    gamma, delta = driver(fake, bot, "T0GAMMA"), driver(fake, bot, "T0DELTA")
    due = schedule(gamma, "Gamma releases", "every 1 weeks at 9:00 window:1d tz:UTC", "C0GAMMA")
    later = schedule(delta, "Delta releases", "every 1 weeks at 9:00 window:1d tz:UTC", "C0DELTA")

    mark = fake.mark()
    tick_process(bot, max(due, later))

    posts = [c for c in fake.calls_since(mark, "chat.postMessage") if c.ok]
    assert {(c.params["channel"], c.team_id, c.token) for c in posts} == {
        ("C0GAMMA", "T0GAMMA", gamma_token),
        ("C0DELTA", "T0DELTA", delta_token),
    }


def test_an_org_wide_install_serves_each_workspace_of_the_org_as_its_own(
    fake: FakeSlack, bot: BotProcess
) -> None:
    org_token = install(fake, bot, "T0ORGA", "E0ORG", is_enterprise_install=True)
    one, two = driver(fake, bot, "T0ORGA", "E0ORG"), driver(fake, bot, "T0ORGB", "E0ORG")

    mark = fake.mark()
    define(one, "Org stream one", '"Plan" people:<@UO1|oli>')
    define(two, "Org stream two", '"Build" people:<@UO2|ola>')

    assert {token for _, token in tokens_used(fake.calls_since(mark))} == {org_token}
    assert "Org stream two" not in listed(one)
    assert "Org stream one" not in listed(two)
    assert "Org stream two" in listed(two)
    due = schedule(two, "Org releases", "every 1 weeks at 9:00 window:1d tz:UTC", "C0ORGB")
    mark = fake.mark()
    tick_process(bot, due)
    posts = [c for c in fake.calls_since(mark, "chat.postMessage") if c.ok]
    assert {(c.params["channel"], c.token) for c in posts} == {("C0ORGB", org_token)}


def test_a_workspace_that_never_installed_is_told_to_install(
    fake: FakeSlack, bot: BotProcess
) -> None:
    stranger = driver(fake, bot, "T0NEVER")

    reply = stranger.command("list")

    assert "install" in reply.all_text.lower()
    assert fake.tokens_of("T0NEVER") == []


def test_a_cancelled_install_stores_nothing(fake: FakeSlack, bot: BotProcess) -> None:
    fake.oauth.next_denial()
    mark = fake.mark()

    page = add_to_slack(bot.url)

    assert page.status == 200
    assert "The install was cancelled in Slack" in page.body
    assert 'href="/slack/install"' in page.body  # the page offers to start again
    assert fake.calls_since(mark, "oauth.v2.access") == []


def test_a_redirect_without_the_browsers_state_is_refused(fake: FakeSlack, bot: BotProcess) -> None:
    start = visit(f"{bot.url}/slack/install")
    fake.oauth.next_install("T0FORGED")
    slack = visit(add_to_slack_link(start))  # no cookie: another browser, or a forged link
    mark = fake.mark()

    page = visit(slack.headers["location"])

    assert page.status == 400
    assert "opened in another browser" in page.body
    assert fake.calls_since(mark, "oauth.v2.access") == []
    assert fake.tokens_of("T0FORGED") == []


def test_rotating_tokens_are_refreshed_by_requests_and_by_the_clock(
    fake: FakeSlack, bot: BotProcess
) -> None:
    fake.oauth.configure(token_rotation=True, expires_in=3600)  # inside the two-hour margin
    try:
        install(fake, bot, "T0TURN")
        turn = driver(fake, bot, "T0TURN")
        mark = fake.mark()
        due = schedule(turn, "Turning", "every 1 weeks at 9:00 window:1d tz:UTC", "C0TURN")
        by_requests = [c for c in fake.calls_since(mark, "oauth.v2.access") if c.ok]
        assert by_requests
        assert {c.params.get("grant_type") for c in by_requests} == {"refresh_token"}
        for token in fake.tokens_of("T0TURN"):
            fake.expire(token.value)  # nothing issued so far works any more

        mark = fake.mark()
        tick_process(bot, due)

        [by_the_clock] = [c for c in fake.calls_since(mark, "oauth.v2.access") if c.ok]
        posts = [c for c in fake.calls_since(mark, "chat.postMessage") if c.ok]
        assert {(c.params["channel"], c.token) for c in posts} == {
            ("C0TURN", by_the_clock.response["access_token"])
        }
        # The clock kept the new refresh token (the one it used works no more): the next
        # request refreshes with it.
        mark = fake.mark()
        assert "Turning" in listed(turn)
        assert [c.ok for c in fake.calls_since(mark, "oauth.v2.access")] == [True]
    finally:
        fake.oauth.configure(token_rotation=False, expires_in=43_200)


def test_a_refresh_slack_refuses_leaves_a_token_still_good_in_use(
    fake: FakeSlack, bot: BotProcess
) -> None:
    fake.oauth.configure(token_rotation=True, expires_in=3600)  # inside the two-hour margin
    try:
        install(fake, bot, "T0HICCUP")
        hiccup = driver(fake, bot, "T0HICCUP")
        fake.error("oauth.v2.access", "internal_error")

        mark = fake.mark()
        reply = ok(hiccup, 'new "Hiccup"')  # answered with the token it had

        assert "Hiccup" in reply.all_text
        assert [c.ok for c in fake.calls_since(mark, "oauth.v2.access")] == [False]
        # and the next request refreshes it after all
        mark = fake.mark()
        listed(hiccup)
        assert [c.ok for c in fake.calls_since(mark, "oauth.v2.access")] == [True]
    finally:
        fake.oauth.configure(token_rotation=False, expires_in=43_200)
