"""A picture survives the outbox: its JSON reads back equal, and draws."""

import json
from dataclasses import replace
from typing import Any

import pytest

from templates.pictures import DigestTrend, MapData, Segment, SupportFeed
from templates.pictures.draw import draw_picture
from templates.pictures.payload import picture_from_payload, picture_payload
from tests.templates.pictures.samples import trend_of, worked_map

PNG = b"\x89PNG\r\n\x1a\n"


def rich_map() -> MapData:
    """The worked example with a segment and a support stream: every nested kind of value."""
    data = worked_map(segments=(Segment("Sales", 1, 2),))
    steps = list(data.steps)
    steps[1] = replace(steps[1], supports=(SupportFeed("IT access", "3 d"),))
    return replace(data, steps=tuple(steps))


@pytest.mark.parametrize(
    "picture",
    [
        pytest.param(rich_map(), id="map"),
        pytest.param(trend_of(5), id="trend"),
        pytest.param(
            (DigestTrend("Onboarding", (3.0, None, 1.5), "1.5 d", "−50% vs cycle 1"),),
            id="digest",
        ),
    ],
)
def test_a_picture_reads_back_equal_from_json(picture: Any) -> None:
    payload = json.loads(json.dumps(picture_payload(picture)))
    assert picture_from_payload(payload) == picture


def test_a_queued_picture_draws_with_its_alt_text() -> None:
    png, alt = draw_picture(json.loads(json.dumps(picture_payload(worked_map()))))
    assert png.startswith(PNG)
    assert "Contract review" in alt


@pytest.mark.parametrize("payload", [{}, {"kind": "map", "data": []}, {"kind": "pie"}])
def test_what_is_not_a_picture_is_refused(payload: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="not a picture"):
        picture_from_payload(payload)
