"""Helpers for the `/vsm` end-to-end tests: send a command, check the reply, read it back.

    reply = ok(slack, 'new "Order to cash" trigger:"PO arrives"')   # accepted, or the test fails
    reply = refused(slack, "show Nope")                             # an error reply, or it fails
    assert step_lines(card(slack, "Order to cash")) == ["*1. Pick* — Ops · <@U1>"]

Every reply is checked on the way: HTTP 200, ephemeral, and mrkdwn that is escaped once (no
raw `<`, `>` or `&` outside Slack's own markup, nothing escaped twice).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tests.support.driver import Reply, SlackDriver
from tests.support.usage import USAGE as USAGE

# Slack's own markup the bot may send: user and channel mentions, special mentions and dates
# (<!here>, <!date^…|…>), and links.
_MARKUP = re.compile(r"<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|![^<>|]+|https?://[^<>|]+)(?:\|[^<>]*)?>")
_BARE_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;)")
_TWICE = re.compile(r"&amp;(?:amp|lt|gt);")
_STEP_LINE = re.compile(r"^\*\d+\. ")
_LIST_ROW = re.compile(r"^• ")


def readable(text: str) -> str:
    """What a person reads: Slack's three escapes undone."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_objects(node: Any, kind: str) -> Iterator[str]:
    """Every text of `kind` ("mrkdwn" or "plain_text") in a Block Kit structure."""
    if isinstance(node, dict):
        if node.get("type") == kind and isinstance(node.get("text"), str):
            yield node["text"]
        for value in node.values():
            yield from text_objects(value, kind)
    elif isinstance(node, list):
        for item in node:
            yield from text_objects(item, kind)


def mrkdwn_problems(text: str) -> list[str]:
    """How `text` (meant as mrkdwn) is not escaped exactly once."""
    bare = _MARKUP.sub("", text)
    problems = []
    if "<" in bare or ">" in bare:
        problems.append("a raw < or > outside Slack markup")
    if _BARE_AMPERSAND.search(bare):
        problems.append("a raw &")
    if _TWICE.search(text):
        problems.append("escaped twice")
    return problems


def assert_escaped_once(reply: Reply) -> None:
    """The fallback text and every mrkdwn text in the blocks are escaped exactly once."""
    for text in [reply.text, *text_objects(reply.blocks, "mrkdwn")]:
        assert not mrkdwn_problems(text), f"{mrkdwn_problems(text)} in {text!r}"
    for text in text_objects(reply.blocks, "plain_text"):
        assert not _TWICE.search(text), f"plain text escaped twice: {text!r}"


def send(slack: SlackDriver, text: str, *, channel: str = "C1", user: str = "U1") -> Reply:
    """`/vsm text`: answered with HTTP 200, visible only to the asker, escaped once."""
    reply = slack.command(text, user=user, channel=channel)
    assert reply.http_status == 200
    assert reply.response_type == "ephemeral", f"/vsm {text!r} replied {reply.payload}"
    assert_escaped_once(reply)
    return reply


def is_refusal(reply: Reply) -> bool:
    """Whether the reply is the error message: its first block leads with a warning."""
    first = reply.blocks[0] if reply.blocks else {}
    return str((first.get("text") or {}).get("text", "")).startswith(":warning:")


def ok(slack: SlackDriver, text: str, *, channel: str = "C1", user: str = "U1") -> Reply:
    """Send a command that must be accepted."""
    reply = send(slack, text, channel=channel, user=user)
    assert not is_refusal(reply), f"/vsm {text!r} was refused: {reply.text}"
    return reply


def refused(slack: SlackDriver, text: str, *, channel: str = "C1", user: str = "U1") -> Reply:
    """Send a command that must be refused; returns the error reply."""
    reply = send(slack, text, channel=channel, user=user)
    assert is_refusal(reply), f"/vsm {text!r} was accepted: {reply.text}"
    return reply


def shown(reply: Reply) -> str:
    """All the reply's text as a person reads it."""
    return readable(reply.all_text)


def assert_shows_usage(reply: Reply, *commands: str) -> None:
    """The refusal shows `Use:` and the right form of each of `commands`."""
    text = shown(reply)
    assert "Use:" in text, text
    for command in commands:
        assert USAGE[command] in text, f"no usage of {command!r} in {text!r}"


def card(slack: SlackDriver, stream: str, *, channel: str = "C1") -> Reply:
    """The stream card (`/vsm show`), which must be found."""
    return ok(slack, f'show "{stream}"', channel=channel)


def step_lines(reply: Reply) -> list[str]:
    """The numbered step lines of a card, as a person reads them."""
    lines = shown(reply).splitlines()
    return [line for line in lines if _STEP_LINE.match(line)]


def step_names(reply: Reply) -> list[str]:
    """Just the names of the numbered steps, in order."""
    return [re.sub(r"^\*\d+\. (.*?)\*.*$", r"\1", line) for line in step_lines(reply)]


def list_rows(reply: Reply) -> list[str]:
    """The stream rows of `/vsm list`, in order, as a person reads them."""
    return [line for line in shown(reply).splitlines() if _LIST_ROW.match(line)]


def define(
    slack: SlackDriver, stream: str, *steps: str, options: str = "", channel: str = "C1"
) -> None:
    """Create `stream` (with `options`) in `channel` and add `steps` (each with its options)."""
    ok(slack, f'new "{stream}" {options}'.strip(), channel=channel)
    for step in steps:
        ok(slack, f'step add "{stream}" {step}', channel=channel)


def workspace_state(slack: SlackDriver, *streams: str) -> list[str]:
    """Everything a person can see of the workspace: the list, and each stream's card."""
    seen = [send(slack, "list").all_text]
    seen.extend(send(slack, f'show "{stream}"').all_text for stream in streams)
    return seen
