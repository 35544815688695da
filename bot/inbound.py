"""What arrives at /slack/events, checked before Bolt sees it: the signature headers, the
signature itself, and the body's shape. Anything else gets a short 400 or 401, never a 500.

Slack signs `v0:{timestamp}:{body}` with the app's signing secret (HMAC-SHA256) and sends the
timestamp and the signature as headers; a request more than five minutes old is refused.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

MAX_AGE_S = 5 * 60
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are a few kB; a modal's state stays far below
_SIGNATURE_LENGTH = len("v0=") + 64


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused, as the HTTP answer says it."""

    status: int
    reason: str


@dataclass(frozen=True)
class Inbound:
    """A request that passed: its exact body, and the signature (to remember, for replays)."""

    body: str
    signature: str
    timestamp: int


def read_body(environ: dict[str, Any]) -> bytes | Refusal:
    """The request body, read exactly as long as it says it is."""
    length_text = str(environ.get("CONTENT_LENGTH") or "0").strip()
    if not length_text.isascii() or not length_text.isdigit() or len(length_text) > 9:
        return Refusal(400, "Content-Length is not a number.")
    length = int(length_text)
    if length > MAX_BODY_BYTES:
        return Refusal(413, "The body is too large for a Slack request.")
    stream = environ.get("wsgi.input")
    body = stream.read(length) if stream is not None and length else b""
    if not isinstance(body, bytes) or len(body) != length:
        return Refusal(400, "The body is shorter than Content-Length says.")
    return body


def check_signature(
    body: bytes, headers: dict[str, str], secret: str, now: float | None = None
) -> Inbound | Refusal:
    """The request if Slack signed it within the last five minutes; else why not."""
    stamp = headers.get("x-slack-request-timestamp", "").strip()
    signature = headers.get("x-slack-signature", "").strip()
    if not stamp or not signature:
        return Refusal(401, "The request is not signed.")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        return Refusal(401, "X-Slack-Request-Timestamp is not a Unix time.")
    if len(signature) != _SIGNATURE_LENGTH or not signature.startswith("v0="):
        return Refusal(401, "X-Slack-Signature is not a v0 signature.")
    timestamp = int(stamp)
    if abs((time.time() if now is None else now) - timestamp) > MAX_AGE_S:
        return Refusal(401, "The request is more than five minutes old.")
    expected = hmac.new(
        secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(f"v0={expected}", signature):
        return Refusal(401, "The signature does not match.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "The body is not UTF-8.")
    return Inbound(text, signature, timestamp)


@dataclass(frozen=True)
class Shape:
    """What kind of request a body is that has Slack's shape."""

    # A `message` event with its event_id: the listener claims the event_id in the same
    # transaction as what the message changes, so a replay of it changes nothing again.
    message_event: bool = False


def check_shape(body: str, content_type: str) -> Shape | Refusal:
    """The body's kind when it is what Slack sends: a form (a slash command, or `payload`
    holding a JSON object) or a JSON object (Events API); else why not."""
    if content_type.split(";")[0].strip().lower() == "application/json" or body.startswith("{"):
        return _check_json(body)
    try:
        fields = dict(parse_qsl(body, keep_blank_values=True, strict_parsing=bool(body)))
    except ValueError:
        return Refusal(400, "The body is neither a form nor JSON.")
    if "payload" in fields:
        try:
            payload = json.loads(fields["payload"])
        except ValueError:
            return Refusal(400, "The payload field is not JSON.")
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            return Refusal(400, "The payload is not an interaction Slack sends.")
        return _check_nested(payload) or Shape()
    if "payload" in body and not fields:
        return Refusal(400, "The body is neither a form nor JSON.")
    if fields and not isinstance(fields.get("command"), str):
        return Refusal(400, "A form from Slack is a slash command or carries a payload.")
    return Shape()


def _check_json(body: str) -> Shape | Refusal:
    try:
        document = json.loads(body)
    except ValueError:
        return Refusal(400, "The body is not JSON.")
    if not isinstance(document, dict):
        return Refusal(400, "The body is not a JSON object.")
    kind = document.get("type")
    if kind == "event_callback" and not isinstance(document.get("event"), dict):
        return Refusal(400, "An event_callback carries an event object.")
    if kind == "url_verification" and not isinstance(document.get("challenge"), str):
        return Refusal(400, "A url_verification carries a challenge.")
    refused = _check_nested(document)
    if refused is not None:
        return refused
    event = document.get("event")
    return Shape(
        message_event=kind == "event_callback"
        and isinstance(event, dict)
        and event.get("type") == "message"
        and isinstance(document.get("event_id"), str)
        and bool(document["event_id"])
    )


# Parts of a payload Bolt reads as objects: a wrong type there would fail inside Bolt.
_OBJECTS = ("team", "user", "channel", "enterprise", "view", "container", "message", "event")
_LISTS = ("actions", "authorizations")


# What each kind of payload must carry for Bolt to route it (`key`: the type it must have).
_REQUIRED: dict[str, dict[str, type]] = {
    "event_callback": {"event": dict},
    "block_actions": {"actions": list},
    "view_submission": {"view": dict},
    "view_closed": {"view": dict},
    "shortcut": {"callback_id": str},
    "message_action": {"callback_id": str},
    "block_suggestion": {"action_id": str},
}


def _check_nested(document: dict[str, Any]) -> Refusal | None:
    kind = document.get("type")
    for key, wanted in _REQUIRED.get(kind if isinstance(kind, str) else "", {}).items():
        if not isinstance(document.get(key), wanted):
            return Refusal(400, f"A {kind} payload carries `{key}`.")
    actions = document.get("actions")
    if kind == "block_actions" and not (
        isinstance(actions, list)
        and actions
        and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    ):
        return Refusal(400, "A block_actions payload carries actions with their action_id.")
    event = document.get("event")
    if "event" in document and not isinstance(event, dict):
        return Refusal(400, "`event` is not an object.")  # Bolt reads any payload's event
    if isinstance(event, dict) and not isinstance(event.get("type"), str):
        return Refusal(400, "An event has a type.")
    view = document.get("view")
    submitted = kind in ("view_submission", "view_closed")
    if submitted and isinstance(view, dict) and not isinstance(view.get("callback_id"), str):
        return Refusal(400, "A submitted view has a callback_id.")
    for key in _OBJECTS:
        if key in document and document[key] is not None and not isinstance(document[key], dict):
            if key in ("team", "user", "channel", "enterprise") and isinstance(document[key], str):
                continue  # Slack sends some of these as plain ids
            return Refusal(400, f"`{key}` is not an object.")
    for key in _LISTS:
        value = document.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, dict) for v in value)
        ):
            return Refusal(400, f"`{key}` is not a list of objects.")
    return None
