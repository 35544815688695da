"""People and channels as users.info, conversations.info and conversations.members show them."""

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from standin.server import FakeSlack

TOKEN = "xoxb-directory-test"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as slack:
        yield slack


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.api_url, token=TOKEN, retry_handlers=[])


def error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


@pytest.mark.parametrize(
    ("configured", "is_admin", "is_owner"),
    [
        ({}, False, False),
        ({"is_admin": True}, True, False),
        ({"is_owner": True}, True, True),  # owners are admins in Slack
    ],
)
def test_users_info_says_who_administers_the_workspace(
    fake: FakeSlack, client: WebClient, configured: dict[str, bool], is_admin: bool, is_owner: bool
) -> None:
    user = f"UADM{int(is_admin)}{int(is_owner)}"
    if configured:
        fake.set_user(user, **configured)

    person = client.users_info(user=user)["user"]

    assert (person["is_admin"], person["is_owner"]) == (is_admin, is_owner)
    assert person["tz"] == "Europe/Berlin"


def test_set_user_keeps_or_sets_the_time_zone(fake: FakeSlack, client: WebClient) -> None:
    fake.set_user_tz("UZONE", "Asia/Tokyo")
    fake.set_user("UZONE", is_admin=True)
    fake.set_user("UZONE2", tz="America/New_York")

    kept = client.users_info(user="UZONE")["user"]
    given = client.users_info(user="UZONE2")["user"]

    assert (kept["tz"], kept["is_admin"]) == ("Asia/Tokyo", True)
    assert (given["tz"], given["is_admin"]) == ("America/New_York", False)


def test_conversations_info_knows_privacy_and_the_bots_membership(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.set_channel("CNOTIN", is_member=False)
    fake.set_channel("GPUBLICISH", is_private=False)
    fake.set_channel("GHIDDEN", is_member=False)

    public = client.conversations_info(channel="CPLAIN")["channel"]
    private = client.conversations_info(channel="GPLAIN")["channel"]
    outside = client.conversations_info(channel="CNOTIN")["channel"]
    overridden = client.conversations_info(channel="GPUBLICISH")["channel"]
    with pytest.raises(SlackApiError) as hidden:
        client.conversations_info(channel="GHIDDEN")

    assert (public["is_private"], public["is_member"], public["is_channel"]) == (False, True, True)
    assert (private["is_private"], private["is_group"], private["is_member"]) == (True, True, True)
    assert (outside["is_private"], outside["is_member"]) == (False, False)
    assert overridden["is_private"] is False
    assert error_of(hidden) == "channel_not_found"


def test_members_default_to_the_bot_and_everybody_known(fake: FakeSlack) -> None:
    with FakeSlack(token=TOKEN) as fresh:
        fresh.set_user("UANN")
        fresh.set_user_tz("UBEA", "Europe/London")
        client = WebClient(base_url=fresh.api_url, token=TOKEN)

        members = client.conversations_members(channel="CANY")["members"]
        fresh.set_channel("CANY2", is_member=False)
        without_bot = client.conversations_members(channel="CANY2")["members"]

    assert members == ["UBOT", "UANN", "UBEA"]
    assert without_bot == ["UANN", "UBEA"]


def test_members_page_with_a_cursor(fake: FakeSlack, client: WebClient) -> None:
    fake.set_channel("CTEAM", members=["U1", "U2", "U3", "U4"])

    pages = [client.conversations_members(channel="CTEAM", limit=2)]
    while cursor := pages[-1]["response_metadata"]["next_cursor"]:
        pages.append(client.conversations_members(channel="CTEAM", limit=2, cursor=cursor))

    assert [page["members"] for page in pages] == [
        ["UBOT", "U1"],
        ["U2", "U3"],
        ["U4"],
    ]
    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_members(channel="CTEAM", cursor="dXNlcl9pZDpVTk9ORQ==")
    assert error_of(excinfo) == "invalid_cursor"


def test_members_of_a_private_channel_the_bot_is_not_in_are_hidden(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.set_channel("GSECRET2", members=["U1"], is_member=False)

    with pytest.raises(SlackApiError) as excinfo:
        client.conversations_members(channel="GSECRET2")

    assert error_of(excinfo) == "channel_not_found"
