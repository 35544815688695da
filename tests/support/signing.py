"""Slack's request signature, computed the way Slack does, for requests the tests send."""

import hashlib
import hmac
import time


def sign(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The two headers Slack adds to every request it sends to an app.

    Args:
        body: the exact bytes that will be sent.
        secret: the app's signing secret.
        timestamp: seconds since the epoch; now when omitted (pass an old one to go stale).
    """
    ts = int(time.time()) if timestamp is None else timestamp
    base = b"v0:" + str(ts).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}
