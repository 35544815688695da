"""The stand-in's rate limits are per workspace, as Slack's are, and its latency holds answers."""

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from standin.server import FakeSlack

POST = "chat.postMessage"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack
    assert slack.internal_errors == []


def client_of(fake: FakeSlack, team_id: str, timeout: int = 5) -> WebClient:
    token = str(fake.oauth.install(team_id)["access_token"])
    return WebClient(base_url=fake.api_url, token=token, retry_handlers=[], timeout=timeout)


def refused(client: WebClient, channel: str) -> SlackApiError:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=channel, text="over the limit")
    return excinfo.value


def test_a_throttled_workspace_gets_429_with_retry_after_and_the_others_are_answered(
    fake: FakeSlack,
) -> None:
    limited, other = client_of(fake, "TLIMITED"), client_of(fake, "TOTHER")
    fake.throttle("TLIMITED", retry_after=30)

    error = refused(limited, "CLIMITED")
    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "30"
    assert error.response["error"] == "ratelimited"
    assert other.chat_postMessage(channel="COTHER", text="goes through")["ok"]
    assert refused(limited, "CLIMITED").response.status_code == 429  # until lifted
    assert fake.messages("CLIMITED") == []  # a refused call does nothing

    fake.lift_throttle("TLIMITED")
    assert limited.chat_postMessage(channel="CLIMITED", text="now")["ok"]
    assert [c.status for c in fake.calls(POST) if c.team_id == "TLIMITED"] == [429, 429, 200]
    assert [c.status for c in fake.calls(POST) if c.team_id == "TOTHER"] == [200]


def test_a_throttle_can_name_one_method_and_a_number_of_calls(fake: FakeSlack) -> None:
    limited = client_of(fake, "TLIMITED")
    fake.throttle("TLIMITED", retry_after=2, method=POST, times=2)

    assert refused(limited, "C1").response.headers["Retry-After"] == "2"
    assert limited.auth_test()["team_id"] == "TLIMITED"  # another method is answered
    assert refused(limited, "C1").response.status_code == 429
    assert limited.chat_postMessage(channel="C1", text="third")["ok"]


def test_a_rate_budget_is_each_workspace_s_own(fake: FakeSlack) -> None:
    first, second = client_of(fake, "TFIRST"), client_of(fake, "TSECOND")
    fake.limit_rate(POST, calls=3, per_seconds=60)

    for n in range(3):
        assert first.chat_postMessage(channel="CFIRST", text=f"{n}")["ok"]
    over = refused(first, "CFIRST")
    for n in range(3):
        assert second.chat_postMessage(channel="CSECOND", text=f"{n}")["ok"]

    assert over.response.status_code == 429
    assert 1 <= int(over.response.headers["Retry-After"]) <= 60
    assert refused(second, "CSECOND").response.status_code == 429
    assert len(fake.messages("CFIRST")) == len(fake.messages("CSECOND")) == 3


def test_latency_holds_the_answer_after_the_call_took_effect(fake: FakeSlack) -> None:
    impatient = client_of(fake, "TSLOW", timeout=1)
    fake.set_latency(10)  # far longer than the client waits

    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="CSLOW", text="sent, answer late")
    [stored] = fake.messages("CSLOW")
    assert stored.text == "sent, answer late"

    fake.set_latency(0)
    assert impatient.chat_postMessage(channel="CSLOW", text="answered")["ok"]


@pytest.mark.parametrize(
    "set_up",
    [
        lambda fake: fake.throttle("T1", retry_after=0),
        lambda fake: fake.throttle("T1", times=0),
        lambda fake: fake.limit_rate(POST, calls=0, per_seconds=1),
        lambda fake: fake.limit_rate(POST, calls=1, per_seconds=0),
        lambda fake: fake.set_latency(-1),
    ],
)
def test_a_limit_that_makes_no_sense_is_refused(fake: FakeSlack, set_up: object) -> None:
    with pytest.raises(ValueError, match=r"at least|positive|not negative"):
        set_up(fake)  # type: ignore[operator]
