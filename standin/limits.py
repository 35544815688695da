"""Slack's rate limits and the network's latency, as the stand-in plays them.

Slack limits each workspace on its own: a method has a budget of calls per minute per workspace
(chat.postMessage about one per second per channel, in bursts), and a call over it is answered
HTTP 429 with `Retry-After` seconds, while other workspaces go on being answered. The stand-in
plays this per workspace (the workspace a call's token speaks for):

    fake.throttle("T1", retry_after=30)        # every call of T1 is 429, until lift_throttle
    fake.throttle("T1", method="chat.postMessage", times=2)   # only the next two posts
    fake.limit_rate("chat.postMessage", calls=20, per_seconds=60)   # a budget per workspace
    fake.set_latency(0.02)                      # every Web API answer takes 20 ms longer

A throttled or over-budget call does nothing and is recorded with status 429, like any other.
Latency holds the answer back after the call took effect, on the call's own thread, so calls
made at the same time wait at the same time (as they would on a network).
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass


@dataclass
class _Throttle:
    retry_after: int
    method: str | None  # None: every method
    remaining: int | None  # None: until lifted


@dataclass(frozen=True)
class _Budget:
    calls: int
    per_seconds: float


class RateLimits:
    """FakeSlack's rate limits per workspace, and its latency; safe from any thread."""

    _lock: threading.RLock
    _throttles: dict[str, _Throttle]
    _budgets: dict[str, _Budget]
    _spent: dict[tuple[str, str], deque[float]]
    latency: float

    def throttle(
        self,
        team_id: str,
        *,
        retry_after: int = 30,
        method: str | None = None,
        times: int | None = None,
    ) -> None:
        """Answer the workspace's calls (of `method`, or of every method) with 429 and
        `Retry-After: retry_after`: the next `times` of them, or all until `lift_throttle`."""
        if retry_after < 1 or (times is not None and times < 1):
            raise ValueError("retry_after and times are at least 1")
        with self._lock:
            self._throttles[team_id] = _Throttle(retry_after, method, times)

    def lift_throttle(self, team_id: str) -> None:
        """Answer the workspace's calls again."""
        with self._lock:
            self._throttles.pop(team_id, None)

    def limit_rate(self, method: str, *, calls: int, per_seconds: float) -> None:
        """Give every workspace its own budget of `calls` calls of `method` in any
        `per_seconds` seconds; a call over it is 429 with the seconds until one is free."""
        if calls < 1 or per_seconds <= 0:
            raise ValueError("a budget is at least one call in a positive time")
        with self._lock:
            self._budgets[method] = _Budget(calls, per_seconds)

    def set_latency(self, seconds: float) -> None:
        """Hold back every Web API answer `seconds` (0: answer at once)."""
        if seconds < 0:
            raise ValueError("latency is not negative")
        with self._lock:
            self.latency = seconds

    def _start_limits(self) -> None:
        self._throttles, self._budgets, self._spent, self.latency = {}, {}, {}, 0.0

    def _over_limit(self, team_id: str, method: str, now: float) -> int | None:
        """The Retry-After for this call of the workspace, or None when it may go ahead (and
        then counts against the workspace's budget). Called under the lock."""
        throttle = self._throttles.get(team_id)
        if throttle is not None and throttle.method in (None, method):
            if throttle.remaining is not None:
                throttle.remaining -= 1
                if throttle.remaining <= 0:
                    del self._throttles[team_id]
            return throttle.retry_after
        budget = self._budgets.get(method)
        if budget is None:
            return None
        spent = self._spent.setdefault((team_id, method), deque())
        while spent and spent[0] <= now - budget.per_seconds:
            spent.popleft()
        if len(spent) >= budget.calls:
            return max(1, math.ceil(spent[0] + budget.per_seconds - now))
        spent.append(now)
        return None
