"""Drawing a queued picture: its PNG and its alt text. Loads matplotlib on first use, so only
the process that sends the outbox imports this module."""

from collections.abc import Mapping
from typing import Any

from templates.pictures.alt import digest_alt_text, map_alt_text, trend_alt_text
from templates.pictures.data import MapData, TrendData
from templates.pictures.payload import picture_from_payload


def draw_picture(payload: Mapping[str, Any]) -> tuple[bytes, str]:
    """The PNG of a picture payload (see payload.py) and the alt text that states its numbers.

    Raises:
        ValueError: the payload is not a picture's.
    """
    picture = picture_from_payload(payload)
    if isinstance(picture, MapData):
        from templates.pictures.stream_map import draw_map

        return draw_map(picture), map_alt_text(picture)
    if isinstance(picture, TrendData):
        from templates.pictures.trend import draw_trend

        return draw_trend(picture), trend_alt_text(picture)
    from templates.pictures.digest import draw_digest_trends

    return draw_digest_trends(picture), digest_alt_text(picture)
