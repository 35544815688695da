"""A baseline and a re-measurement, end to end (a first, short walk; fuller tests follow)."""

from tests.support.driver import SlackDriver


def define_onboarding(slack: SlackDriver) -> None:
    slack.command('new Onboarding trigger:"Contract signed" value:"Customer live"')
    slack.command('step add onboarding "Contract review" people:<@UANN|ann> <@UBO|bo>')
    slack.command('step add onboarding "Account setup" people:<@UCY|cy>')


def test_a_cycle_opens_collects_answers_and_closes_with_a_summary(slack: SlackDriver) -> None:
    define_onboarding(slack)
    reply = slack.command("measure onboarding")
    assert "Opened cycle 1" in reply.all_text
    opened, survey = slack.wait_for("chat.postMessage", count=2)
    thread = opened.response["ts"]
    assert survey.params["thread_ts"] == thread
    slack.message("1: pt 3h, wait 2d, ca 70%", user="UANN", thread_ts=thread)
    slack.message("wait 1d pt 45m ca 90", user="UCY", thread_ts=thread)
    slack.wait_for("reactions.add", count=2)
    closed = slack.command("close onboarding")
    assert "Closed cycle 1" in closed.all_text
    posts = slack.wait_for("chat.postMessage", count=4)
    summary = posts[2].params
    assert summary["thread_ts"] == thread
    assert "3.2 d" in str(summary["text"]) or "lead time" in str(summary["text"])
