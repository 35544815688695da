"""Slack messages as a terminal shows them: Block Kit and mrkdwn rendered to plain lines.

    render_message({"text": "hi", "blocks": [...]}, Names(users={"U1": "ann"}))

Headers are underlined, sections keep their mrkdwn (`*bold*` and `_italic_` read fine as they
are), code blocks lose their fences, context lines are prefixed (and dimmed with `color`),
buttons show as `[Label]`; `<@U1>` becomes `@ann` and `&amp;` becomes `&`.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

CONTEXT_PREFIX = "· "
DIVIDER = "─" * 24
_DIM, _BOLD, _RESET = "\x1b[2m", "\x1b[1m", "\x1b[0m"
_MARKUP = re.compile(r"<([^<>]*)>")
_EMOJI_CODE = re.compile(r":([a-z0-9_+-]+):")
# The emoji the bot uses; others stay as their :code:.
EMOJI = {
    "arrow_forward": "▶️",
    "arrow_right": "➡️",
    "arrow_up_down": "↕️",
    "bar_chart": "📊",
    "checkered_flag": "🏁",
    "compass": "🧭",
    "construction": "🚧",
    "file_cabinet": "🗄️",
    "heavy_minus_sign": "➖",
    "heavy_plus_sign": "➕",
    "hourglass_flowing_sand": "⏳",
    "large_green_circle": "🟢",
    "pencil2": "✏️",
    "recycle": "♻️",
    "red_circle": "🔴",
    "scales": "⚖️",
    "stopwatch": "⏱️",
    "thinking_face": "🤔",
    "warning": "⚠️",
    "wastebasket": "🗑️",
    "white_check_mark": "✅",
    "white_circle": "⚪",
    "x": "❌",
    "zap": "⚡",
}


@dataclass(frozen=True)
class Names:
    """How to show user and channel ids: `U1` → `ann` (shown `@ann`), `C1` → `general`."""

    users: Mapping[str, str] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)


def render_message(
    message: Mapping[str, Any],
    names: Names | None = None,
    *,
    width: int | None = None,
    color: bool = False,
) -> list[str]:
    """The lines a person reads in `message`: its blocks, or its fallback text without any.

    Args:
        message: a chat.postMessage or response_url body (`text`, `blocks`).
        names: how to show the user and channel ids in mentions.
        width: wrap text (not code) at this many characters; None keeps lines whole.
        color: bold headers and dim context lines with ANSI codes, for a terminal.
    """
    names = names or Names()
    blocks = message.get("blocks")
    if not blocks:
        return _text_lines(render_mrkdwn(str(message.get("text") or ""), names), width)
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Mapping):
            lines.extend(render_block(block, names, width=width, color=color))
    return lines


def render_block(
    block: Mapping[str, Any], names: Names, *, width: int | None = None, color: bool = False
) -> list[str]:
    """One block as lines of text (an empty list for blocks with nothing to read)."""
    kind = block.get("type")
    if kind == "header":
        title = _text_of(block.get("text"), names)
        return [_style(title, _BOLD, color), "─" * len(title)]
    if kind == "section":
        text = _text_of(block.get("text"), names)
        lines = _text_lines(text, width) if text else []
        for item in block.get("fields") or []:
            lines.extend(_text_lines(_text_of(item, names), width))
        accessory = block.get("accessory")
        if isinstance(accessory, Mapping):
            lines.append(_element(accessory, names))
        return lines
    if kind == "context":
        lines = []
        for element in block.get("elements") or []:
            for line in (
                _element(element, names).split("\n") if isinstance(element, Mapping) else []
            ):
                wrapped = _wrap(line, width - len(CONTEXT_PREFIX)) if width else [line]
                lines.append(CONTEXT_PREFIX + wrapped[0])
                lines.extend(" " * len(CONTEXT_PREFIX) + rest for rest in wrapped[1:])
        return [_style(line, _DIM, color) for line in lines if line.strip()]
    if kind == "actions":
        elements = [
            _element(e, names) for e in block.get("elements") or [] if isinstance(e, Mapping)
        ]
        return ["  ".join(elements)]
    if kind == "divider":
        return [DIVIDER]
    if kind == "image":
        return [f"[image: {block.get('alt_text', '')}]"]
    return _text_lines("\n".join(_all_texts(block)))  # rich_text, markdown and the rest


def render_mrkdwn(text: str, names: Names | None = None) -> str:
    """Slack's markup as plain text: mentions and links by name, emoji, entities unescaped."""
    names = names or Names()
    shown = _MARKUP.sub(lambda match: _markup(match.group(1), names), text)
    shown = _EMOJI_CODE.sub(lambda match: EMOJI.get(match.group(1), match.group()), shown)
    return shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _markup(inner: str, names: Names) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user = target[1:]
        return "@" + names.users.get(user, label or user)
    if target.startswith("#"):
        channel = target[1:]
        return "#" + names.channels.get(channel, label or channel)
    if target.startswith("!"):
        # <!here>, <!channel>, <!subteam^S1|@team>, <!date^…|fallback>
        return label or "@" + target[1:].split("^")[0]
    return f"{label} ({target})" if label else target


def _text_of(obj: Any, names: Names) -> str:
    if not isinstance(obj, Mapping):
        return ""
    text = str(obj.get("text") or "")
    return render_mrkdwn(text, names) if obj.get("type") == "mrkdwn" else text


def _element(element: Mapping[str, Any], names: Names) -> str:
    kind = element.get("type")
    if kind == "button":
        return f"[{_text_of(element.get('text'), names)}]"
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    if kind in ("mrkdwn", "plain_text"):
        return _text_of(element, names)
    placeholder = _text_of(element.get("placeholder"), names)
    return f"[{placeholder or kind} ▾]"


def _text_lines(text: str, width: int | None = None) -> list[str]:
    """Lines of a text, wrapped at `width` outside code blocks; ``` fences are taken out."""
    lines: list[str] = []
    in_code = False
    for line in text.split("\n"):
        if line.strip() == "```":
            in_code = not in_code
            continue
        opens = line.startswith("```")
        closes = line.endswith("```") and len(line) > 3
        code = in_code or opens
        if opens != closes:
            in_code = opens
        line = line.removeprefix("```") if opens else line
        line = line.removesuffix("```") if closes else line
        lines.extend([line] if code or not width else _wrap(line, width))
    return lines


def _wrap(line: str, width: int) -> list[str]:
    """A long line in lines of at most `width` (longer words stay whole); lists hang."""
    if len(line) <= width:
        return [line]
    hang = "> " if line.startswith("> ") else "  " if line.startswith(("• ", "- ")) else ""
    wrapped = textwrap.wrap(
        line, width, subsequent_indent=hang, break_long_words=False, break_on_hyphens=False
    )
    return wrapped or [line]


def _all_texts(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from _all_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _all_texts(item)


def _style(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text
