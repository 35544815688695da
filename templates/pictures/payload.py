"""A picture as JSON: what the outbox keeps until the process that draws picks it up.

`picture_payload(data)` turns a MapData, TrendData or a sequence of DigestTrend into plain
JSON-able data with its kind; `picture_from_payload` reads it back, equal to what went in.
No matplotlib here: the web process queues pictures, the outbox sender draws them.
"""

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, Literal

from templates.pictures.data import (
    DigestTrend,
    MapData,
    MapStep,
    MapTotals,
    Segment,
    SupportFeed,
    TrendData,
    TrendImprovement,
    TrendPoint,
    TrendTarget,
)

PictureKind = Literal["map", "trend", "digest"]
Picture = MapData | TrendData | tuple[DigestTrend, ...]


def picture_payload(picture: Picture) -> dict[str, Any]:
    """The picture's kind and data, JSON-able."""
    if isinstance(picture, MapData):
        return {"kind": "map", "data": asdict(picture)}
    if isinstance(picture, TrendData):
        return {"kind": "trend", "data": asdict(picture)}
    return {"kind": "digest", "data": [asdict(item) for item in picture]}


def picture_from_payload(payload: Mapping[str, Any]) -> Picture:
    """The picture `picture_payload` wrote.

    Raises:
        ValueError: the payload is not a picture's.
    """
    kind, data = payload.get("kind"), payload.get("data")
    if kind == "map" and isinstance(data, dict):
        return _map(data)
    if kind == "trend" and isinstance(data, dict):
        return _trend(data)
    if kind == "digest" and isinstance(data, list):
        return tuple(_digest_trend(item) for item in data)
    raise ValueError(f"not a picture payload: kind {kind!r}")


def _map(data: dict[str, Any]) -> MapData:
    return MapData(
        stream=data["stream"],
        trigger=data["trigger"],
        value=data["value"],
        basis=data["basis"],
        cycle=data["cycle"],
        steps=tuple(_step(step) for step in data["steps"]),
        totals=MapTotals(
            **{**data["totals"], "missing_steps": tuple(data["totals"]["missing_steps"])}
        ),
        segments=tuple(Segment(**segment) for segment in data.get("segments", ())),
    )


def _step(step: dict[str, Any]) -> MapStep:
    supports = tuple(SupportFeed(**feed) for feed in step.get("supports", ()))
    return MapStep(**{**step, "supports": supports})


def _trend(data: dict[str, Any]) -> TrendData:
    target = data.get("target")
    return TrendData(
        stream=data["stream"],
        unit=data["unit"],
        points=tuple(TrendPoint(**point) for point in data["points"]),
        target=None if target is None else TrendTarget(**target),
        improvements=tuple(TrendImprovement(**item) for item in data.get("improvements", ())),
        change=data.get("change"),
    )


def _digest_trend(item: dict[str, Any]) -> DigestTrend:
    return DigestTrend(
        stream=item["stream"],
        leads=tuple(item["leads"]),
        latest=item["latest"],
        change=item.get("change"),
    )
