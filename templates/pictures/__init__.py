"""Pictures of a stream: its value stream map, its trend, a channel's digest of trends.

The data classes and the alt texts import no matplotlib and are safe anywhere. The drawing
lives in `templates.pictures.stream_map`, `.trend` and `.digest`, which load matplotlib: import
them only in the process that draws (the outbox sender), never in a web request.
"""

from templates.pictures.alt import ALT_TEXT_MAX, digest_alt_text, map_alt_text, trend_alt_text
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

__all__ = [
    "ALT_TEXT_MAX",
    "DigestTrend",
    "MapData",
    "MapStep",
    "MapTotals",
    "Segment",
    "SupportFeed",
    "TrendData",
    "TrendImprovement",
    "TrendPoint",
    "TrendTarget",
    "digest_alt_text",
    "map_alt_text",
    "trend_alt_text",
]
