"""Slack's documented payload samples, kept as fixtures in tests/support/payloads/.

The builders for everything Slack sends live in standin/payloads.py; test_driver.py checks
them against these samples: every key a documented sample has, the built payload has too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).parent / "payloads"


def sample(name: str) -> Any:
    """A documented Slack payload kept as a fixture (tests/support/payloads/NAME.json)."""
    return json.loads((PAYLOADS / f"{name}.json").read_text())
