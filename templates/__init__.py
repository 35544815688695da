"""Every word the bot says: Jinja2 templates that turn plain data into Slack payloads.

A leaf: this package imports nothing of the project. Formatting that needs the domain
(durations under a stream's time basis, say) is handed in as filters by the caller.
"""

import json
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from templates import blocks
from templates.mrkdwn import escape_mrkdwn, format_number, slack_date

TEMPLATE_DIR = Path(__file__).parent


class Renderer:
    """Renders templates by name; build one per process and share it (it is thread-safe)."""

    def __init__(self, filters: Mapping[str, Callable[..., Any]] | None = None) -> None:
        self._filters = dict(filters or {})

    @cached_property
    def environment(self) -> Environment:
        env = Environment(
            loader=FileSystemLoader(TEMPLATE_DIR),
            undefined=StrictUndefined,
            # The output is JSON and mrkdwn, escaped by tojson and the mrkdwn filter, not HTML.
            autoescape=False,  # noqa: S701
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=["jinja2.ext.do"],
        )
        env.filters["mrkdwn"] = escape_mrkdwn
        env.filters["number"] = format_number
        env.filters["slack_date"] = slack_date
        env.filters.update(self._filters)
        env.globals.update(blocks.GLOBALS)
        return env

    def text(self, template: str, /, **data: Any) -> str:
        """A template rendered as plain text (trimmed)."""
        return self.environment.get_template(template).render(**data).strip()

    def message(self, template: str, /, **data: Any) -> dict[str, Any]:
        """A message payload {"text": fallback, "blocks": [...]} from a `*.json.j2` template."""
        payload = self._json(template, data)
        if not isinstance(payload.get("text"), str) or not payload["text"]:
            raise ValueError(f"{template}: a message needs a plain-text fallback")
        return payload

    def view(self, template: str, /, **data: Any) -> dict[str, Any]:
        """A modal or Home tab view from a `*.json.j2` template."""
        return self._json(template, data)

    def _json(self, name: str, data: Mapping[str, Any]) -> dict[str, Any]:
        rendered = self.environment.get_template(name).render(**data)
        payload = json.loads(rendered)
        if not isinstance(payload, dict):
            raise ValueError(f"{name} must render a JSON object")
        return payload
