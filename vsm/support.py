"""Support value streams: a stream that serves a step of another (IT access for claims handling).

The served step shows the support stream's latest numbers, and the support stream may itself
be served by others. Links never form a loop: a stream cannot, through any chain of links,
serve a stream that already serves it, nor serve itself.
"""

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vsm.errors import VsmError


class SupportLoopError(VsmError):
    """A support link that would make a stream serve itself, directly or through others."""


@dataclass(frozen=True)
class SupportLink:
    """Support stream `support_key` serves stream `served_key` at its step `step_key`."""

    support_key: int
    served_key: int
    step_key: int


def support_path(start: int, goal: int, links: Sequence[SupportLink]) -> tuple[int, ...] | None:
    """The shortest chain of streams by which `start` serves `goal`, both ends included.

    Returns:
        Stream keys from `start` to `goal` (`(start,)` when they are the same stream); None
        when `start` does not serve `goal` through any chain. Among equally short chains, the
        one through the links given first.
    """
    came_from: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        if here == goal:
            path = [here]
            while (before := came_from[path[-1]]) is not None:
                path.append(before)
            return tuple(reversed(path))
        for link in links:
            if link.support_key == here and link.served_key not in came_from:
                came_from[link.served_key] = here
                queue.append(link.served_key)
    return None


def check_support_link(
    link: SupportLink, links: Sequence[SupportLink], names: Mapping[int, str]
) -> None:
    """Refuse a link that would close a loop of streams serving each other.

    Args:
        link: the link to add.
        links: the links there are.
        names: stream names by key, for the message; a missing name shows as `stream 7`.

    Raises:
        SupportLoopError: the stream would serve itself, or the served stream already serves
            it, directly or through others; the message names the chain.
    """
    support = _name(names, link.support_key)
    if link.support_key == link.served_key:
        raise SupportLoopError(_sentence(f"{support} cannot serve itself."))
    chain = support_path(link.served_key, link.support_key, links)
    if chain is None:
        return
    served = _name(names, link.served_key)
    through = ", ".join(_name(names, key) for key in chain[1:-1])
    how = f" (through {through})" if through else ""
    raise SupportLoopError(
        _sentence(f"{served} already serves {support}{how}, so {support} cannot serve it.")
    )


def add_support_link(
    link: SupportLink, links: Sequence[SupportLink], names: Mapping[int, str]
) -> tuple[SupportLink, ...]:
    """The links with `link` added at the end; unchanged when it is already there.

    Raises:
        SupportLoopError: see `check_support_link`.
    """
    if link in links:
        return tuple(links)
    check_support_link(link, links, names)
    return (*links, link)


def supports_by_step(stream_key: int, links: Sequence[SupportLink]) -> dict[int, tuple[int, ...]]:
    """The streams that serve each step of one stream, by step key, in the order of the links."""
    found: dict[int, tuple[int, ...]] = {}
    for link in links:
        if link.served_key == stream_key and link.support_key not in found.get(link.step_key, ()):
            found[link.step_key] = (*found.get(link.step_key, ()), link.support_key)
    return found


def _name(names: Mapping[int, str], key: int) -> str:
    return f"“{names[key]}”" if key in names else f"stream {key}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
