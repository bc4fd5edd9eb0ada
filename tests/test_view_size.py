"""The views stay thin (issue 19): no function or class of a views module over 40 lines, from
its ``def`` to its last line (decorators and the blank lines after it not counted). The logic
goes to forms, selectors and services; a private helper of the module counts as much as a view.
And the context every year page needs (the cycle, the years of the selector) has one
definition, relazione.context_processors.year_page: no views module builds it again."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    path
    for pattern in ("*/views.py", "*/*_views.py", "*/views/*.py")
    for path in ROOT.glob(pattern)
    if path.parent.name not in {"tests", ".venv"}
)
MAX_VIEW_LINES = 40


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), str(path))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_views_modules_are_found():
    names = {_name(p) for p in MODULES}
    assert {
        "indicators/views.py",
        "dashboards/views.py",
        "public/views.py",
        "reports/views.py",
        "resources/context_views.py",
        "workflow/views.py",
    } <= names


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_view_is_longer_than_40_lines(path):
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} righe, riga {node.lineno})"
        for node in _tree(path).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES
    ]
    assert not long, f"{_name(path)}: {', '.join(long)}"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_view_builds_the_year_context_again(path):
    tree = _tree(path)
    copies = [
        f"def {node.name} (riga {node.lineno})"
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "_context"
    ] + [
        f"cycle_years() (riga {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "cycle_years"
    ]
    assert not copies, f"{_name(path)}: {', '.join(copies)}"
