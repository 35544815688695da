"""Block Kit building blocks for templates, kept within Slack's limits.

Templates hold the words; these helpers hold the shapes, so that no template writes JSON
punctuation by hand and every string is escaped by `tojson`.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

HEADER_MAX = 150
SECTION_TEXT_MAX = 3000
FIELD_MAX = 2000
FIELDS_PER_SECTION = 10
CONTEXT_ELEMENTS_MAX = 10
BLOCKS_MAX = {"message": 50, "modal": 100, "home": 100}
BUTTON_TEXT_MAX = 75
PLAIN_INPUT_LABEL_MAX = 2000

Block = dict[str, Any]


def _clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, never inside an `&amp;`-style escape."""
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&", max(0, len(cut) - 5))
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def plain(text: str, limit: int = SECTION_TEXT_MAX) -> Block:
    return {"type": "plain_text", "text": _clip(text, limit), "emoji": True}


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": _clip(text, SECTION_TEXT_MAX)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_MAX)}


def divider() -> Block:
    return {"type": "divider"}


def sections(text: str) -> list[Block]:
    """Sections for mrkdwn text of any length, split between lines to stay under 3,000 chars."""
    chunks: list[str] = []
    current = ""
    for line in str(text).strip().split("\n"):
        line = _clip(line, SECTION_TEXT_MAX)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_TEXT_MAX:
            chunks.append(current)
            candidate = line
        current = candidate
    if current.strip():
        chunks.append(current)
    return [{"type": "section", "text": mrkdwn(chunk)} for chunk in chunks]


def section(text: str, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def fields(items: Iterable[str]) -> list[Block]:
    """Sections of two-column fields, ten fields to a section."""
    texts = [mrkdwn(_clip(item, FIELD_MAX)) for item in items]
    return [
        {"type": "section", "fields": texts[i : i + FIELDS_PER_SECTION]}
        for i in range(0, len(texts), FIELDS_PER_SECTION)
    ]


def context(*texts: str) -> Block:
    elements = [mrkdwn(text) for text in texts if str(text).strip()]
    return {"type": "context", "elements": elements[:CONTEXT_ELEMENTS_MAX]}


def button(text: str, action_id: str, value: str | None = None, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT_MAX),
        "action_id": action_id,
    }
    if value is not None:
        element["value"] = value
    if style is not None:
        element["style"] = style
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def field(
    block_id: str,
    label: str,
    element: Block,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    """An input block holding any input element."""
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, PLAIN_INPUT_LABEL_MAX),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, PLAIN_INPUT_LABEL_MAX)
    return block


def text_input(
    block_id: str,
    label: str,
    *,
    action_id: str = "value",
    initial: str | None = None,
    placeholder: str | None = None,
    hint: str | None = None,
    optional: bool = False,
    multiline: bool = False,
) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = plain(placeholder, 150)
    return field(block_id, label, element, optional=optional, hint=hint)


def select_input(
    block_id: str,
    label: str,
    choices: Iterable[tuple[str, str]],
    *,
    action_id: str = "value",
    initial: str | None = None,
    optional: bool = False,
) -> Block:
    """An input block with a static select of (value, label) choices, `initial` chosen."""
    options = [{"text": plain(text, 75), "value": value} for value, text in choices]
    element: Block = {"type": "static_select", "action_id": action_id, "options": options}
    chosen = [option for option in options if option["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return field(block_id, label, element, optional=optional)


def modal(
    title: str,
    blocks: list[Block],
    *,
    callback_id: str,
    submit: str | None = None,
    close: str = "Cancel",
    private_metadata: str = "",
) -> Block:
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "close": plain(close, 24),
        "blocks": blocks,
        "private_metadata": private_metadata,
    }
    if submit:
        view["submit"] = plain(submit, 24)
    return view


def message(text: str, blocks: list[Block] | None = None) -> Block:
    """A message payload: the plain-text fallback and the blocks."""
    return {"text": _clip(" ".join(str(text).split()), 3000), "blocks": blocks or []}


def check_limits(payload: Mapping[str, Any], surface: str = "message") -> list[str]:
    """Every way `payload` breaks Block Kit's limits (empty when it is within them)."""
    problems: list[str] = []
    blocks = payload.get("blocks") or []
    if len(blocks) > BLOCKS_MAX[surface]:
        problems.append(f"{len(blocks)} blocks, more than {BLOCKS_MAX[surface]}")
    for index, block in enumerate(blocks):
        problems.extend(f"block {index}: {p}" for p in _block_problems(block))
    if surface == "message" and not str(payload.get("text") or "").strip():
        problems.append("no plain-text fallback")
    return problems


def _block_problems(block: Mapping[str, Any]) -> list[str]:
    kind = block.get("type")
    text = (block.get("text") or {}).get("text", "")
    problems = []
    if kind == "header" and len(text) > HEADER_MAX:
        problems.append(f"header of {len(text)} chars")
    if kind == "section":
        if len(text) > SECTION_TEXT_MAX:
            problems.append(f"section text of {len(text)} chars")
        if not text and not block.get("fields"):
            problems.append("empty section")
        items = block.get("fields") or []
        if len(items) > FIELDS_PER_SECTION:
            problems.append(f"{len(items)} fields")
        problems.extend(
            f"field of {len(f['text'])} chars" for f in items if len(f["text"]) > FIELD_MAX
        )
    if kind == "context" and not 1 <= len(block.get("elements") or []) <= CONTEXT_ELEMENTS_MAX:
        problems.append("context needs 1 to 10 elements")
    if kind == "actions" and not 1 <= len(block.get("elements") or []) <= 25:
        problems.append("actions need 1 to 25 elements")
    return problems


GLOBALS: dict[str, Callable[..., Any]] = {
    fn.__name__: fn
    for fn in (
        plain,
        mrkdwn,
        header,
        divider,
        sections,
        section,
        fields,
        context,
        button,
        actions,
        text_input,
        select_input,
        modal,
        message,
    )
}
