import pytest
from hypothesis import given
from hypothesis import strategies as st

from vsm.teams import (
    INTERACTION_MODES,
    MODE_LABELS,
    TEAM_TYPE_LABELS,
    TEAM_TYPES,
    InteractionMode,
    TeamType,
    TeamWordError,
    parse_interaction_mode,
    parse_team_type,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stream-aligned", "stream-aligned"),
        ("Stream Aligned", "stream-aligned"),
        ("STREAM_ALIGNED", "stream-aligned"),
        ("streamaligned", "stream-aligned"),
        ("stream", "stream-aligned"),
        ("  enabling ", "enabling"),
        ("Enabling", "enabling"),
        ("complicated-subsystem", "complicated-subsystem"),
        ("Complicated sub-system", "complicated-subsystem"),
        ("subsystem", "complicated-subsystem"),
        ("Platform", "platform"),
        ("PLATFORM", "platform"),
    ],
)
def test_parse_team_type_reads(text: str, expected: TeamType) -> None:
    assert parse_team_type(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "No team type is given."),
        ("   ", "No team type is given."),
        ("platform team", "I don't know the team type `platform team`."),
        ("aligned", "I don't know the team type `aligned`."),
        ("enabler", "`enabler`"),
        ("x" * 41, "I don't know the team type"),
    ],
)
def test_parse_team_type_refuses_and_lists_the_types(text: str, says: str) -> None:
    with pytest.raises(TeamWordError) as caught:
        parse_team_type(text)
    assert says in caught.value.message
    assert caught.value.message.endswith(
        "It is one of `stream-aligned`, `enabling`, `complicated-subsystem` or `platform`."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("collaboration", "collaboration"),
        ("Collaborate", "collaboration"),
        ("collaborating", "collaboration"),
        ("X-as-a-Service", "x-as-a-service"),
        ("x as a service", "x-as-a-service"),
        ("XaaS", "x-as-a-service"),
        ("as-a-service", "x-as-a-service"),
        ("service", "x-as-a-service"),
        ("facilitating", "facilitating"),
        ("Facilitation", "facilitating"),
        ("none", "none"),
        ("No", "none"),
        ("-", "none"),
        (" — ", "none"),
    ],
)
def test_parse_interaction_mode_reads(text: str, expected: InteractionMode) -> None:
    assert parse_interaction_mode(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "No interaction mode is given."),
        ("--", "I don't know the interaction mode `--`."),
        ("self-service", "I don't know the interaction mode `self-service`."),
        ("xaas please", "`xaas please`"),
    ],
)
def test_parse_interaction_mode_refuses_and_lists_the_modes(text: str, says: str) -> None:
    with pytest.raises(TeamWordError) as caught:
        parse_interaction_mode(text)
    assert says in caught.value.message
    assert caught.value.message.endswith(
        "It is one of `collaboration`, `X-as-a-Service`, `facilitating` or `none`."
    )
    assert caught.value.usage == "`collaboration`, `X-as-a-Service`, `facilitating` or `none`"


def test_every_word_reads_back_from_its_key_and_its_label() -> None:
    for team_type in TEAM_TYPES:
        assert parse_team_type(team_type) == team_type
        assert parse_team_type(TEAM_TYPE_LABELS[team_type]) == team_type
    for mode in INTERACTION_MODES:
        assert parse_interaction_mode(mode) == mode
        assert parse_interaction_mode(MODE_LABELS[mode]) == mode


@given(st.text(max_size=60))
def test_any_text_is_a_team_type_or_our_error(text: str) -> None:
    try:
        word = parse_team_type(text)
    except TeamWordError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert word in TEAM_TYPES


@given(st.text(max_size=60))
def test_any_text_is_a_mode_or_our_error(text: str) -> None:
    try:
        word = parse_interaction_mode(text)
    except TeamWordError as error:
        message = error.message
        assert message.endswith(".")
        return
    assert word in INTERACTION_MODES
