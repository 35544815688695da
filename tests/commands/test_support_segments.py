"""Support and segment use cases in-process on the real database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commands import segments, steps, streams, support
from commands.services import Services
from storage.tenant import Tenant
from vsm.errors import VsmError
from vsm.support import SupportLoopError

OWNER = "UOWNER"


def stream(services: Services, tenant: Tenant, name: str, *names: str) -> None:
    streams.create_stream(services, tenant, streams.NewStream(name, "C1", OWNER))
    for step in names:
        steps.add_step(services, tenant, name, name=step, by=OWNER)


def test_a_chain_of_support_links_may_not_close_a_loop(services: Services, tenant: Tenant) -> None:
    for name in ("A", "B", "C"):
        stream(services, tenant, name, "One", "Two")
    support.set_support(services, tenant, "A", serves="B", step=1, off=False, by=OWNER)
    support.set_support(services, tenant, "B", serves="C", step=2, off=False, by=OWNER)
    with pytest.raises(SupportLoopError) as loop:
        support.set_support(services, tenant, "C", serves="A", step=1, off=False, by=OWNER)
    assert loop.value.message == "“A” already serves “C” (through “B”), so “C” cannot serve it."
    again = support.set_support(services, tenant, "A", serves="B", step=1, off=False, by=OWNER)
    assert not again.changed


def test_support_links_stay_in_their_workspace(services: Services, tenant: Tenant) -> None:
    stream(services, tenant, "A", "One")
    other = Tenant(team_id=tenant.team_id + "Z")
    stream(services, other, "B", "One")
    with pytest.raises(VsmError):
        support.set_support(services, tenant, "A", serves="B", step=1, off=False, by=OWNER)


def test_a_segment_follows_its_steps_by_identity(services: Services, tenant: Tenant) -> None:
    stream(services, tenant, "S", "a", "b", "c", "d")
    segments.set_segment(
        services, tenant, "S", "Mid", steps=(2, 3), owner=None, off=False, by=OWNER
    )
    moved = steps.move_step(services, tenant, "S", 2, 4, by=OWNER)
    # b moved out past d: the segment keeps b and c, and now runs c, d, b.
    assert [(m.name, m.before, m.after) for m in moved.segments] == [("Mid", (2, 3), (2, 4))]
    removed = steps.remove_step(services, tenant, "S", 4, by=OWNER)
    assert [(m.name, m.after) for m in removed.segments] == [("Mid", (2, 3))]


@pytest.mark.parametrize(
    ("text", "steps"),
    [("2-4", (2, 4)), ("4-2", (2, 4)), ("2..3", (2, 3)), ("3", (3, 3)), (" 1 to 5 ", (1, 5))],
)
def test_read_steps(text: str, steps: tuple[int, int]) -> None:
    assert segments.read_steps(text) == steps


@pytest.mark.parametrize("text", ["", "two", "2-", "-3", "1-2-3", "100-200"])
def test_read_steps_refuses(text: str) -> None:
    with pytest.raises(VsmError):
        segments.read_steps(text)


@given(st.text(max_size=30))
def test_any_text_is_a_run_of_steps_or_our_error(text: str) -> None:
    try:
        first, last = segments.read_steps(text)
    except VsmError:
        return
    assert 0 <= first <= last <= 99
