"""Imports point one way: bot → commands → {storage, templates, vsm}, storage → vsm."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "commands", "storage", "templates", "vsm")
ALLOWED = {
    "bot": {"bot", "commands", "storage", "templates", "vsm"},
    "commands": {"commands", "storage", "templates", "vsm"},
    "storage": {"storage", "vsm"},
    "templates": {"templates"},
    "vsm": {"vsm"},
}


def project_imports(package: str) -> set[tuple[str, str]]:
    """(file, imported project package) for every import in `package`."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.ImportFrom) and node.level > 0:
                names = [package]  # a relative import stays inside the package
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES:
                    found.add((str(path.relative_to(ROOT)), top))
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_one_way(package: str) -> None:
    wrong = sorted(
        (file, imported)
        for file, imported in project_imports(package)
        if imported not in ALLOWED[package]
    )
    assert not wrong, f"{package} may import only {sorted(ALLOWED[package])}; found {wrong}"


def test_the_check_sees_imports() -> None:
    # Guard against a check that passes because it reads nothing.
    assert ("bot/app.py", "commands") in project_imports("bot")
    assert any(imported == "vsm" for _, imported in project_imports("storage"))


def test_vsm_uses_the_standard_library_only() -> None:
    import sys

    stdlib = set(sys.stdlib_module_names) | {"vsm"}
    outside = set()
    for path in (ROOT / "vsm").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                outside |= {a.name.split(".")[0] for a in node.names} - stdlib
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                outside |= {node.module.split(".")[0]} - stdlib
    assert not outside, f"vsm/ must use the standard library only; it imports {sorted(outside)}"


def test_the_slack_stand_in_is_an_edge() -> None:
    # standin plays Slack for the tests and `vsm-bot demo`: like the real Slack it knows
    # nothing of the bot, and it runs on the standard library alone.
    import sys

    allowed = set(sys.stdlib_module_names)
    outside = set()
    for path in (ROOT / "standin").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            outside |= {
                module
                for module in modules
                if module.split(".")[0] not in allowed and not module.startswith("standin")
            }
    assert not outside, f"standin may use the standard library only; it imports {outside}"
