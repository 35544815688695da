"""Helpers for the measurement-cycle end-to-end tests: open, answer, close, read the summary.

    define_example(slack)                              # VSM.md's worked example, 5 steps
    thread = open_cycle(slack, "measure onboarding")   # the cycle message's ts
    answer(slack, thread, "1: wait 2d pt 3h ca 70%", "UANN")   # waits for the ✅
    text = hint(slack, thread, "1: pt soon", "UANN")   # waits for the hint in the thread
    summary = close(slack, "onboarding")               # the summary, as a person reads it
    assert row(summary, 4).wait == "5 d"

The bot acknowledges events before it acts on them, so a test that expects *nothing* to happen
first sends a `barrier` (a line nobody can read, from a bystander) and waits for the bot's hint
to it: the bot has then demonstrably handled an event sent after all the others, and what it
does at once with an event (a ✅, a hint) it has done by then for the earlier ones. A test whose
later steps need an earlier event's effect stored (a deletion before a close) waits for that
effect itself, with `wait_until`: the bot's two web workers may handle events out of order.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.e2e.vsm_commands import define, mrkdwn_problems, ok, readable, text_objects
from tests.support.driver import SlackDriver

HOME = "C1"
STREAM = "Onboarding"

# VSM.md's worked example: (name, person, wait, PT, %C&A received).
EXAMPLE = (
    ("Contract review", "UANN", "2d", "3h", "70%"),
    ("Account setup", "UBO", "1d", "45m", "90%"),
    ("Kickoff call", "UCY", "3d", "1h", "95%"),
    ("Data migration", "UDI", "5d", "6h", "60%"),
    ("Go-live check", "UED", "1d", "30m", "98%"),
)
PEOPLE = tuple(person for _, person, *_ in EXAMPLE)
BYSTANDER = "UZED"  # at no step; writes the barrier lines

# The worked example's exact numbers (VSM.md), in seconds on the calendar basis.
EXAMPLE_WAIT_S = 1_036_800
EXAMPLE_PROCESS_S = 40_500
EXAMPLE_LEAD_S = 1_077_300
EXAMPLE_WORKING_LEAD_S = 386_100


def define_example(slack: SlackDriver, *, options: str = "", name: str = STREAM) -> None:
    """The worked example's stream: five steps, one person at each."""
    steps = [f'"{step}" people:<@{person}|{person.lower()}>' for step, person, *_ in EXAMPLE]
    define(slack, name, *steps, options=options, channel=HOME)


def example_line(position: int) -> str:
    """The worked example's answer for one step, as its person writes it in the thread."""
    _, _, wait, pt, ca = EXAMPLE[position - 1]
    return f"{position}: wait {wait}, pt {pt}, ca {ca}"


def answer_example(slack: SlackDriver, thread: str) -> None:
    """Every person gives the worked example's numbers for their step."""
    for position, person in enumerate(PEOPLE, start=1):
        answer(slack, thread, example_line(position), person)


# ---- what the bot posted --------------------------------------------------------------------


def flat(params: dict[str, Any]) -> str:
    """A posted message's fallback and every block text, one per line, as a person reads it."""
    texts = [str(params.get("text") or "")]
    for kind in ("mrkdwn", "plain_text"):
        texts.extend(text_objects(params.get("blocks") or [], kind))
    return readable("\n".join(texts))


_QUOTE_MARK = re.compile(r"(?:^|(?<=\s))> ", re.MULTILINE)


def assert_escaped_once(params: dict[str, Any]) -> None:
    """Every mrkdwn text of a posted message is escaped exactly once (a `> ` opening a line is
    mrkdwn's quote, not text; the fallback runs the lines together)."""
    for text in [
        str(params.get("text") or ""),
        *text_objects(params.get("blocks") or [], "mrkdwn"),
    ]:
        unquoted = _QUOTE_MARK.sub(" ", text)
        assert not mrkdwn_problems(unquoted), f"{mrkdwn_problems(unquoted)} in {text!r}"


def _is_cycle_message(call: Any) -> bool:
    return (
        call.ok
        and not call.params.get("thread_ts")
        and str(call.params.get("text", "")).startswith("Measuring ")
    )


def open_cycle(slack: SlackDriver, command: str) -> str:
    """`/vsm <command>` (a measure that must succeed); returns the cycle message's ts."""
    before = len([c for c in slack.calls("chat.postMessage") if _is_cycle_message(c)])
    reply = ok(slack, command)
    assert "Opened cycle" in reply.all_text, reply.all_text
    posted = slack.wait_for("chat.postMessage", _is_cycle_message, count=before + 1)[-1]
    assert posted.params["channel"] == HOME
    return str(posted.response["ts"])


def cycle_message(slack: SlackDriver, thread: str) -> dict[str, Any]:
    """What the bot posted as the cycle message `thread`."""
    [post] = [c for c in slack.calls("chat.postMessage") if c.ok and c.response["ts"] == thread]
    return dict(post.params)


def reactions_on(slack: SlackDriver, ts: str) -> list[Any]:
    """The bot's reactions.add calls on the message `ts`."""
    return [c for c in slack.calls("reactions.add") if c.params.get("timestamp") == ts]


def hints_to(slack: SlackDriver, thread: str, user: str) -> list[str]:
    """The replies the bot posted in `thread` addressed to `user`, as a person reads them."""
    return [
        flat(c.params)
        for c in slack.calls("chat.postMessage")
        if c.params.get("thread_ts") == thread and f"<@{user}>" in str(c.params.get("text"))
    ]


def answer(slack: SlackDriver, thread: str, text: str, user: str, **fields: Any) -> str:
    """`user` answers in the thread; waits for the bot's ✅ on the message; returns its ts."""
    status, _, ts = slack.message(text, user=user, channel=HOME, thread_ts=thread, **fields)
    assert status == 200
    [reaction] = slack.wait_for("reactions.add", lambda c: c.params.get("timestamp") == ts)
    assert reaction.params["name"] == "white_check_mark"
    return ts


def _await_hint(slack: SlackDriver, thread: str, user: str, before: int) -> str:
    posted = slack.wait_for(
        "chat.postMessage",
        lambda c: c.params.get("thread_ts") == thread and f"<@{user}>" in str(c.params["text"]),
        count=before + 1,
    )[before]
    assert posted.ok
    assert_escaped_once(posted.params)
    return flat(posted.params)


def hint(slack: SlackDriver, thread: str, text: str, user: str, **fields: Any) -> str:
    """`user` writes in the thread; waits for the bot's hint to them; returns its text."""
    before = len(hints_to(slack, thread, user))
    status, _, _ = slack.message(text, user=user, channel=HOME, thread_ts=thread, **fields)
    assert status == 200
    return _await_hint(slack, thread, user, before)


def edit_hint(slack: SlackDriver, thread: str, ts: str, text: str, user: str) -> str:
    """`user` edits their message `ts` into `text`; waits for the bot's hint to them."""
    before = len(hints_to(slack, thread, user))
    status, _, _ = slack.edit_message(ts, text, user=user, channel=HOME, thread_ts=thread)
    assert status == 200
    return _await_hint(slack, thread, user, before)


def barrier(slack: SlackDriver, thread: str) -> None:
    """Wait until the bot has handled an event sent after every one so far (see the module
    docstring)."""
    hint(slack, thread, "barrier: 7 ???", BYSTANDER)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Poll `condition` until it holds; fail naming `what` if it does not within `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.05)


def close(slack: SlackDriver, stream: str = STREAM) -> str:
    """`/vsm close` (which must succeed); returns the summary posted in the thread."""
    before = len(slack.calls("chat.postMessage"))
    reply = ok(slack, f'close "{stream}"')
    assert "Closed cycle" in reply.all_text, reply.all_text
    thread_post, channel_post = slack.wait_for("chat.postMessage", count=before + 2)[before:]
    assert thread_post.ok
    assert channel_post.ok
    assert thread_post.params["text"] == channel_post.params["text"]
    assert thread_post.params["blocks"] == channel_post.params["blocks"]
    assert_escaped_once(thread_post.params)
    return flat(thread_post.params)


# ---- reading the summary --------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the summary's step table, as shown."""

    position: int
    name: str
    wait: str
    pt: str
    lead: str
    ca: str
    respondents: int
    carried_over: bool


_ROW = re.compile(r"^(\d+)\s")


def rows(summary: str) -> dict[int, Row]:
    """The step table: fixed columns after the name (wait, PT, LT 9 wide, %C&A 10, n 4)."""
    found: dict[int, Row] = {}
    for line in summary.splitlines():
        if not _ROW.match(line) or len(line) < 44:
            continue
        carried = line.endswith(" *")
        body = line[:-2] if carried else line
        numbers, head = body[-41:], body[:-41]
        found[int(head[:3])] = Row(
            position=int(head[:3]),
            name=head[3:].strip(),
            wait=numbers[0:9].strip(),
            pt=numbers[9:18].strip(),
            lead=numbers[18:27].strip(),
            ca=numbers[27:37].strip(),
            respondents=int(numbers[37:41]),
            carried_over=carried,
        )
    return found


def row(summary: str, position: int) -> Row:
    return rows(summary)[position]


def total(summary: str, label: str) -> str:
    """The totals line starting `*<label>:*`, e.g. total(s, "Lead time") → "*Lead time:* 12.5 d"."""
    lines = [line for line in summary.splitlines() if line.startswith(f"*{label}:*")]
    assert lines, f"no {label!r} line in:\n{summary}"
    return lines[0]


def value_of(summary: str, label: str) -> str:
    """Just the cycle's own value of a totals line: "12.5 d" of "*Lead time:* 12.5 d", and
    "7.5 d" of "*Lead time:* 12.5 d → 7.5 d (−40% vs cycle 1, …)"."""
    first = total(summary, label).removeprefix(f"*{label}:*").split(" · ")[0].strip()
    return first.split(" (")[0].split(" → ")[-1]
