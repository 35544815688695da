"""The rooms and the rules between them (ARCHITECTURE.md):

- imports point one way: bot → commands → {storage, templates, vsm}, storage → vsm (and bot
  may start the stand-in, for `vsm-bot demo`), and
  within commands/, only listeners/ import listeners/;
- only commands/listeners/ and bot/ import slack_bolt; only bot/ imports slack_sdk;
- nothing imports bot; vsm/, templates/ and standin/ import nothing of the project, and vsm/
  and standin/ use the standard library only.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "commands", "standin", "storage", "templates", "vsm")
ALLOWED = {
    # The demo plays the stand-in against the bot: the composition root may start it.
    "bot": {"bot", "commands", "standin", "storage", "templates", "vsm"},
    "commands": {"commands", "storage", "templates", "vsm"},
    "standin": {"standin"},
    "storage": {"storage", "vsm"},
    "templates": {"templates"},
    "vsm": {"vsm"},
}
STDLIB = set(sys.stdlib_module_names)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, by its full dotted name (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def files_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def where(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package: str) -> None:
    wrong = sorted(
        (where(path), module)
        for path in files_of(package)
        for module in imports_of(path)
        if module.split(".")[0] in PACKAGES and module.split(".")[0] not in ALLOWED[package]
    )
    assert not wrong, f"{package} may import only {sorted(ALLOWED[package])}; found {wrong}"


def test_nothing_imports_bot() -> None:
    wrong = sorted(
        (where(path), module)
        for package in PACKAGES
        if package != "bot"
        for path in files_of(package)
        for module in imports_of(path)
        if module.split(".")[0] == "bot"
    )
    assert not wrong, f"bot/ is the composition root: nothing imports it; found {wrong}"


def test_only_listeners_import_the_listeners() -> None:
    wrong = sorted(
        (where(path), module)
        for path in files_of("commands")
        if "listeners" not in path.parts
        for module in imports_of(path)
        if module.startswith("commands.listeners")
    )
    assert not wrong, f"use cases never reach back into the listeners; found {wrong}"


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        ("slack_bolt", ("bot/", "commands/listeners/")),
        ("slack_sdk", ("bot/",)),
    ],
)
def test_slack_libraries_stay_at_the_edges(library: str, allowed: tuple[str, ...]) -> None:
    wrong = sorted(
        where(path)
        for package in PACKAGES
        for path in files_of(package)
        if any(module.split(".")[0] == library for module in imports_of(path))
        and not where(path).startswith(allowed)
    )
    assert not wrong, f"only {allowed} may import {library}; found {wrong}"


@pytest.mark.parametrize("package", ["vsm", "standin"])
def test_the_core_and_the_stand_in_use_the_standard_library_only(package: str) -> None:
    outside = sorted(
        (where(path), module)
        for path in files_of(package)
        for module in imports_of(path)
        if module.split(".")[0] not in STDLIB | {package} and module
    )
    assert not outside, f"{package}/ must use the standard library only; it imports {outside}"


def test_the_checks_see_imports() -> None:
    # Guard against checks that pass because they read nothing.
    assert "commands.listeners" in imports_of(ROOT / "bot" / "app.py")
    assert any(m.startswith("slack_bolt") for m in imports_of(ROOT / "commands/listeners/slash.py"))
    assert any(m.startswith("slack_sdk") for m in imports_of(ROOT / "bot" / "gateway.py"))
    assert any(m.startswith("vsm") for path in files_of("storage") for m in imports_of(path))
    assert "commands.listeners.common.failure" in imports_of(
        ROOT / "commands" / "listeners" / "views.py"
    )
