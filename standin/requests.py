"""How FakeSlack reads a request: which method it is, its parameters, its token.

slack_sdk sends some methods as JSON (chat.postMessage, views.*) and others as forms, where
fields such as `blocks` and `view` are JSON-encoded strings; both end up as the same dict.
"""

from __future__ import annotations

import email.message
import email.parser
import email.policy
import json
from typing import Any
from urllib.parse import parse_qsl

RESPONSE_URL = "response_url"  # the `method` of a Call that POSTed to a response_url
UPLOAD = "upload"  # the `method` of a Call that POSTed file bytes to an upload_url
AUTHORIZE = "oauth.v2.authorize"  # the `method` of a Call to the OAuth authorize page
AUTHORIZE_PATH = "/oauth/v2/authorize"
# Form fields Slack documents as "a JSON-encoded …": decoded so tests compare structures.
JSON_FORM_FIELDS = ("blocks", "attachments", "view", "files", "metadata")


def read_request(
    path: str, query: str, headers: dict[str, str], body: bytes
) -> tuple[str, dict[str, Any]]:
    """What a request to the fake is (method name) and its parameters."""
    if path.startswith("/api/"):
        params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        params.update(_parse_body(headers.get("content-type", ""), body))
        for key in JSON_FORM_FIELDS:
            if key in params:
                params[key] = _maybe_json(params[key])
        return path.removeprefix("/api/"), params
    if path.startswith("/response/"):
        parsed = _parse_body("application/json", body)
        return RESPONSE_URL, parsed
    if path.startswith("/upload/"):
        return UPLOAD, {"file_id": path.rsplit("/", 1)[-1], "size": len(body)}
    if path == AUTHORIZE_PATH:
        return AUTHORIZE, dict(parse_qsl(query, keep_blank_values=True))
    return path, {}


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json":
        try:
            parsed = json.loads(body)
        except ValueError:
            return {"_unparsed": body.decode(errors="replace")}
        return parsed if isinstance(parsed, dict) else {"_json": parsed}
    if kind == "multipart/form-data":
        return _parse_multipart(content_type, body)
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    if not isinstance(message, email.message.EmailMessage):  # the HTTP policy makes one
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if isinstance(name, str):
            fields[name] = data if part.get_filename() else data.decode()
    return fields


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("[", "{")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def token_of(headers: dict[str, str], params: dict[str, Any]) -> str | None:
    """The token, from `Authorization: Bearer …` or the form (removed from the params)."""
    in_form = params.pop("token", None)
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return str(in_form) if in_form else None
