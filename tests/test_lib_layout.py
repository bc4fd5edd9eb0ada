"""lib/ stays at the bottom of the layers (issue 19): generic helpers that import no app of the
project, so that any app can use them; and no module of the project is over 600 lines (tests and
migrations aside)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIB = sorted((ROOT / "lib").glob("*.py"))
# The project's own packages: a top-level folder with an __init__.py (lib itself aside).
PROJECT = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"lib"}
MAX_MODULE_LINES = 600
SPLIT = sorted(
    path
    for package in PROJECT | {"lib"}
    if package != "tests"
    for path in (ROOT / package).rglob("*.py")
    if "migrations" not in path.parts
)


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_project_has_the_apps_lib_must_not_import():
    assert {"indicators", "resources", "relazione", "workflow"} <= PROJECT


@pytest.mark.parametrize("path", LIB, ids=lambda p: p.name)
def test_lib_imports_no_app(path):
    apps = sorted(name for name in _imported(path) if name.split(".")[0] in PROJECT)
    assert not apps, f"lib/{path.name} importa {apps}"


@pytest.mark.parametrize("path", SPLIT, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_longer_than_600_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)}: {lines} righe"
