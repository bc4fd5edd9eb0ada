"""The consistency rules stay a package of small, pure modules (issue 19): no module over 600
lines, no function over 60, and no import of Django or of the models (the selectors build the
snapshot, the rules only read it)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "consistency" / "rules"
MODULES = sorted(PACKAGE.glob("*.py"))
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
# What the rules may import besides the standard library and their own package: pure modules.
PURE_IMPORTS = {
    "core.machine",
    "core.scoring_method",
    "finance.domain",
    "indicators.domain",
    "lib.italian",
    "objectives.sections",
}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), str(path))


def test_the_pure_modules_import_no_django():
    # In a fresh interpreter: this one has Django loaded already.
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.partition('.')[0] == 'django'))"
    )
    root = PACKAGE.parent.parent
    run = subprocess.run(
        [sys.executable, "-c", code, *sorted(PURE_IMPORTS)],
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    )
    assert run.stdout.strip() == "[]"


def test_the_package_has_the_families_of_rules():
    names = {p.stem for p in MODULES}
    assert {"__init__", "base", "indicators", "arithmetic", "narratives"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_module_is_longer_than_600_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name}: {lines} righe"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_function_is_longer_than_60_lines(path):
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} righe, riga {node.lineno})"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{path.name}: {', '.join(long)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_the_rules_import_only_pure_modules(path):
    foreign = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            module = node.module or ""
            # ``from indicators import domain`` imports indicators.domain, not the app.
            names = [module if module in PURE_IMPORTS else f"{module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        foreign += [
            name for name in names if name not in PURE_IMPORTS and name.split(".")[0] not in _STDLIB
        ]
    assert not foreign, f"{path.name} importa {foreign}"


_STDLIB = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "functools",
    "operator",
    "re",
    "typing",
    "unicodedata",
}


def test_every_rule_has_a_check_module_and_the_package_exports_it():
    from consistency import rules

    declared = {
        node.targets[0].id
        for path in MODULES
        for node in _tree(path).body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", "") == "declare"
    }
    assert {rule.code.replace("-", "_") for rule in rules.RULES.values()} == declared
    assert all(getattr(rules, name).code in rules.RULES for name in declared)
