"""Block Kit checks the fake Slack applies, and text flattening for assertions.

The limits are Slack's documented ones (SLACK.md): a message the real Slack would refuse must
be refused by the fake too, or a test could pass on a payload that fails in production.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

# Whether a `slack_file` id names an uploaded file Slack has finished processing.
FileCheck = Callable[[str], bool]

MAX_MESSAGE_BLOCKS = 50
MAX_SURFACE_BLOCKS = 100  # modals and the App Home tab
MAX_MESSAGE_TEXT = 40_000
MAX_VIEW_TITLE = 24

KNOWN_BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)
_TEXT_LIMITS = {"section": 3000, "header": 150}
MAX_ALT_TEXT = 2000
_FILE_ID = re.compile(r"F[A-Z0-9]{8,}")


def all_text(text: str | None, blocks: list[dict[str, Any]] | None) -> str:
    """The fallback text followed by every text found in the blocks, one per line."""
    parts = [text] if text else []
    parts.extend(_texts(blocks or []))
    return "\n".join(parts)


def _texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def message_errors(
    blocks: Any, *, limit: int = MAX_MESSAGE_BLOCKS, slack_file_ready: FileCheck | None = None
) -> list[str]:
    """What Slack would complain about in a blocks array, as `message [json-pointer:/…]`.

    `slack_file_ready` answers whether an image block's `slack_file` id is an uploaded,
    processed file; without it only the shape of `slack_file` is checked.
    """
    if not isinstance(blocks, list):
        return ["must be an array [json-pointer:/blocks]"]
    errors: list[str] = []
    if len(blocks) > limit:
        errors.append(f"must contain at most {limit} items [json-pointer:/blocks]")
    seen_ids: set[str] = set()
    for index, block in enumerate(blocks):
        pointer = f"/blocks/{index}"
        if not isinstance(block, dict) or block.get("type") not in KNOWN_BLOCK_TYPES:
            errors.append(f"unsupported type [json-pointer:{pointer}/type]")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if not isinstance(block_id, str) or not 0 < len(block_id) <= 255:
                errors.append(f"must be 1 to 255 characters [json-pointer:{pointer}/block_id]")
            elif block_id in seen_ids:
                errors.append(f"duplicate block_id [json-pointer:{pointer}/block_id]")
            else:
                seen_ids.add(block_id)
        errors.extend(_block_errors(block, pointer))
        if block["type"] == "image":
            errors.extend(_image_errors(block, pointer, slack_file_ready))
    return errors


def _image_errors(block: dict[str, Any], pointer: str, ready: FileCheck | None) -> list[str]:
    errors: list[str] = []
    alt_text = block.get("alt_text")
    if not isinstance(alt_text, str) or not alt_text:
        errors.append(f"missing required field: alt_text [json-pointer:{pointer}]")
    elif len(alt_text) > MAX_ALT_TEXT:
        limit = MAX_ALT_TEXT + 1
        errors.append(f"must be less than {limit} characters [json-pointer:{pointer}/alt_text]")
    if ("image_url" in block) == ("slack_file" in block):
        errors.append(
            f"must provide exactly one of image_url or slack_file [json-pointer:{pointer}]"
        )
    slack_file = block.get("slack_file")
    if "slack_file" not in block:
        return errors
    if not isinstance(slack_file, dict) or not ("id" in slack_file or "url" in slack_file):
        errors.append(f"must provide id or url [json-pointer:{pointer}/slack_file]")
    elif "id" in slack_file:
        file_id = slack_file["id"]
        if not isinstance(file_id, str) or not _FILE_ID.fullmatch(file_id):
            pattern = "^[F][A-Z0-9]{8,}$"
            where = f"{pointer}/slack_file/id"
            errors.append(f"input must match regex pattern: {pattern} [json-pointer:{where}]")
        elif ready is not None and not ready(file_id):
            errors.append(f"invalid slack file [json-pointer:{pointer}/slack_file]")
    return errors


def _block_errors(block: dict[str, Any], pointer: str) -> list[str]:
    kind = block["type"]
    errors: list[str] = []
    if kind in _TEXT_LIMITS and "text" in block:
        kinds = ("plain_text",) if kind == "header" else ("plain_text", "mrkdwn")
        limit = _TEXT_LIMITS[kind]
        errors.extend(_text_object_errors(block["text"], f"{pointer}/text", limit, kinds))
    if kind == "header" and "text" not in block:
        errors.append(f"missing required field: text [json-pointer:{pointer}]")
    if kind == "section":
        fields = block.get("fields")
        if "text" not in block and not fields:
            errors.append(f"must provide text or fields [json-pointer:{pointer}]")
        if fields is not None:
            if not isinstance(fields, list) or len(fields) > 10:
                errors.append(f"must contain at most 10 items [json-pointer:{pointer}/fields]")
            else:
                for i, field in enumerate(fields):
                    errors.extend(_text_object_errors(field, f"{pointer}/fields/{i}", 2000))
    if kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 0 < len(elements) <= 10:
            errors.append(f"must contain 1 to 10 items [json-pointer:{pointer}/elements]")
    if kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 0 < len(elements) <= 25:
            errors.append(f"must contain 1 to 25 items [json-pointer:{pointer}/elements]")
    errors.extend(_select_errors(block.get("element"), f"{pointer}/element"))
    errors.extend(_select_errors(block.get("accessory"), f"{pointer}/accessory"))
    return errors


def _select_errors(element: Any, pointer: str) -> list[str]:
    """A static select as Slack checks it: 1 to 100 options (in all its groups), texts of at
    most 75 characters, values of at most 150, an initial option that is one of them."""
    if not isinstance(element, dict) or element.get("type") != "static_select":
        return []
    groups = element.get("option_groups")
    options = [o for g in groups or [] for o in g.get("options", [])] if groups else None
    options = element.get("options", []) if options is None else options
    errors = []
    if not 0 < len(options) <= 100:
        errors.append(f"must have 1 to 100 options [json-pointer:{pointer}]")
    for option in options:
        if len(option["text"]["text"]) > 75 or not 0 < len(option["value"]) <= 150:
            errors.append(f"option text or value too long [json-pointer:{pointer}]")
    initial = element.get("initial_option")
    if initial is not None and initial not in options:
        errors.append(f"initial_option must be one of the options [json-pointer:{pointer}]")
    return errors


def _text_object_errors(
    obj: Any, pointer: str, limit: int, kinds: tuple[str, ...] = ("plain_text", "mrkdwn")
) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        return [f"must be a {' or '.join(kinds)} text object [json-pointer:{pointer}]"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"must be more than 0 characters [json-pointer:{pointer}/text]"]
    if len(text) > limit:
        return [f"must be less than {limit + 1} characters [json-pointer:{pointer}/text]"]
    return []


def view_errors(view: Any, *, slack_file_ready: FileCheck | None = None) -> list[str]:
    """What Slack would complain about in a modal or Home tab view."""
    if not isinstance(view, dict):
        return ["must be an object [json-pointer:/view]"]
    kind = view.get("type")
    if kind not in {"modal", "home"}:
        return ["must be modal or home [json-pointer:/view/type]"]
    errors = [
        error.replace("json-pointer:/blocks", "json-pointer:/view/blocks")
        for error in message_errors(
            view.get("blocks"), limit=MAX_SURFACE_BLOCKS, slack_file_ready=slack_file_ready
        )
    ]
    if kind == "modal":
        if "title" not in view:
            errors.append("missing required field: title [json-pointer:/view]")
        for key in ("title", "submit", "close"):
            if view.get(key) is not None:
                pointer = f"/view/{key}"
                limit = MAX_VIEW_TITLE
                errors.extend(_text_object_errors(view[key], pointer, limit, ("plain_text",)))
    for key in ("private_metadata", "callback_id"):
        value = view.get(key, "")
        limit = 3000 if key == "private_metadata" else 255
        if not isinstance(value, str) or len(value) > limit:
            errors.append(f"must be at most {limit} characters [json-pointer:/view/{key}]")
    return errors
