"""The digest picture: one small trend per stream, the latest lead time written beside it."""

import pytest

from templates.pictures.data import DigestTrend
from templates.pictures.digest import MAX_ITEMS, build_digest_figure, draw_digest_trends
from tests.templates.pictures.samples import digest_items
from tests.templates.pictures.support import figure_pixels, no_warnings, png_size, texts


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 20])
def test_every_stream_shows_with_its_latest_lead_time_and_change(count: int) -> None:
    items = digest_items(count)
    with no_warnings():
        figure = build_digest_figure(items)
        picture = draw_digest_trends(items)
    assert png_size(picture) == figure_pixels(figure)
    shown = texts(figure)
    for item in items:
        assert item.latest in shown
        if item.change:
            assert item.change in shown
        assert any(line.startswith(item.stream[:9]) for line in shown), item.stream


def test_more_streams_make_a_taller_picture_of_the_same_width() -> None:
    sizes = [png_size(draw_digest_trends(digest_items(n))) for n in (1, 4, 20)]
    assert sizes[0][0] == sizes[1][0] == sizes[2][0]
    assert sizes[0][1] < sizes[1][1] < sizes[2][1]


def test_past_twenty_streams_the_picture_says_how_many_it_shows() -> None:
    items = digest_items(25)
    shown = texts(build_digest_figure(items))
    assert f"Lead time per closed cycle · {MAX_ITEMS} of 25 streams" in shown
    assert items[MAX_ITEMS - 1].latest in shown
    assert not any(line.startswith("Stream 24") for line in shown)


CYCLES = {
    "no cycle": ((), "no closed cycle"),
    "one": ((4.0,), "1 cycle"),
    "a gap": ((9.0, None, 5.0), "3 cycles, 1 without a lead time"),
}


@pytest.mark.parametrize(("leads", "said"), CYCLES.values(), ids=CYCLES.keys())
def test_each_stream_says_how_many_cycles_it_has(
    leads: tuple[float | None, ...], said: str
) -> None:
    item = DigestTrend("Claims", leads, "5 d" if leads else None)
    shown = texts(build_digest_figure([item]))
    assert said in shown
    assert ("5 d" in shown) == bool(leads)
    assert ("—" in shown) == (not leads)  # no latest value is a gap, not a zero
