"""The manifest declares what the App Home and the shortcuts need, with the callback ids the
listeners answer to (read as text: the manifest is YAML and the project has no YAML parser)."""

from pathlib import Path

from commands.listeners.shortcuts import NEW_STREAM, PROPOSE

MANIFEST = (Path(__file__).parent.parent / "manifest.yml").read_text()
LINES = [line.strip() for line in MANIFEST.splitlines()]


def _shortcut(callback_id: str) -> list[str]:
    at = LINES.index(f"callback_id: {callback_id}")
    return LINES[at - 2 : at + 2]


def test_the_shortcuts_are_declared_with_the_ids_the_bot_answers() -> None:
    assert _shortcut(NEW_STREAM)[:2] == ["- name: New value stream", "type: global"]
    assert _shortcut(PROPOSE)[:2] == ["- name: Propose as improvement", "type: message"]


def test_the_home_tab_is_on_and_its_event_subscribed() -> None:
    assert "home_tab_enabled: true" in LINES
    assert "- app_home_opened" in LINES
    assert "is_enabled: true" in LINES  # interactivity: buttons, forms and shortcuts
