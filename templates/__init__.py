"""Every word the bot says: Jinja2 templates that turn plain data into Slack payloads.

A leaf: this package imports nothing of the project. Formatting that needs the domain
(durations under a stream's time basis, say) is handed in as filters by the caller.
"""

import dataclasses
import json
import re
from collections.abc import Callable, Mapping, MutableMapping
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from templates import blocks, form_blocks
from templates.mrkdwn import escape_mrkdwn, format_mention, format_number, slack_date

TEMPLATE_DIR = Path(__file__).parent


def template_for(shown: Any, suffix: str = ".json.j2") -> str:
    """The template that shows a dataclass: its class name in snake case, then `suffix`."""
    return _CAMEL.sub("_", type(shown).__name__).lower() + suffix


def fields_of(shown: Any) -> dict[str, Any]:
    """A dataclass's fields by name, unconverted (templates read nested values as they are)."""
    if not dataclasses.is_dataclass(shown) or isinstance(shown, type):
        raise TypeError(f"{shown!r} is not a dataclass instance")
    return {field.name: getattr(shown, field.name) for field in dataclasses.fields(shown)}


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class _Environment(Environment):
    """Jinja's environment, with templates that share its globals as they are."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        # Jinja lays a template's own globals over the environment's in a ChainMap; ours have
        # none (the environment's are set once, before any template loads), and a ChainMap
        # is copied and searched key by key on every render and every {% import %}: about
        # as long as rendering a short message.
        if not d:
            return self.globals
        return super().make_globals(d)


class Renderer:
    """Renders templates by name; build one per process and share it (it is thread-safe)."""

    def __init__(self, filters: Mapping[str, Callable[..., Any]] | None = None) -> None:
        self._filters = dict(filters or {})

    @cached_property
    def environment(self) -> Environment:
        env = _Environment(
            loader=FileSystemLoader(TEMPLATE_DIR),
            undefined=StrictUndefined,
            # The output is JSON and mrkdwn, escaped by tojson and the mrkdwn filter, not HTML.
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=["jinja2.ext.do"],
            # The templates ship with the code: no need to look at their files' times on
            # every render.
            auto_reload=False,
        )
        env.filters["mrkdwn"] = escape_mrkdwn
        env.filters["number"] = format_number
        env.filters["slack_date"] = slack_date
        env.filters["format_mention"] = format_mention
        env.filters.update(self._filters)
        env.globals.update(blocks.GLOBALS)
        env.globals.update(form_blocks.GLOBALS)
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

    def message_for(self, shown: Any) -> dict[str, Any]:
        """The message for a result dataclass: its template is named after its class
        (`StreamCreated` → `stream_created.json.j2`) and gets its fields as variables."""
        return self.message(template_for(shown), **fields_of(shown))

    def text_for(self, shown: Any) -> str:
        """Plain text for a dataclass from the `*.txt.j2` template named after its class."""
        return self.text(template_for(shown, ".txt.j2"), **fields_of(shown))

    def view_for(self, shown: Any) -> dict[str, Any]:
        """The view (modal, Home tab) for a dataclass, named as in `message_for`."""
        return self.view(template_for(shown), **fields_of(shown))

    def _json(self, name: str, data: Mapping[str, Any]) -> dict[str, Any]:
        rendered = self.environment.get_template(name).render(**data)
        payload = json.loads(rendered)
        if not isinstance(payload, dict):
            raise ValueError(f"{name} must render a JSON object")
        return payload
