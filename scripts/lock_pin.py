"""Reads the pins of a requirements lock (scripts/lock.sh). `python scripts/lock_pin.py uv` prints
`uv==VERSION` from requirements-dev.lock, to bootstrap uv itself; the tests check the image's pins
against the locks with `locked_pins`. Standard library only: it runs in a venv that has nothing
installed yet."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_LOCK = ROOT / "requirements-dev.lock"
# `name==version ; marker \` opens each requirement; hashes and comments follow, indented.
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]*?))?\s*\\?$")


def locked_pins(lock: Path = DEV_LOCK) -> list[tuple[str, str, str]]:
    """(name, version, marker) of every requirement in the lock; marker "" when there is none."""
    pins = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in " #":
            continue
        match = PIN.match(line)
        if match is None:
            raise SystemExit(f"{lock.name}: riga non riconosciuta: {line!r}")
        name, version, marker = match.groups()
        pins.append((re.sub(r"[-_.]+", "-", name).lower(), version, marker or ""))
    return pins


def locked_version(name: str, lock: Path = DEV_LOCK) -> str:
    versions = {version for pin, version, _ in locked_pins(lock) if pin == name}
    if len(versions) != 1:
        raise SystemExit(f"{name}: {len(versions)} versioni in {lock.name}, attesa una.")
    return versions.pop()


if __name__ == "__main__":
    print(f"{sys.argv[1]}=={locked_version(sys.argv[1])}")
