"""Prints `NAME==VERSION` for a package pinned in uv.lock (used to bootstrap uv itself, and by
the tests that check the Dockerfile's pins against the lock)."""

import sys
import tomllib
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "uv.lock"


def locked_version(name: str) -> str:
    with LOCK.open("rb") as handle:
        packages = tomllib.load(handle)["package"]
    versions = {p["version"] for p in packages if p["name"] == name and "version" in p}
    if len(versions) != 1:
        raise SystemExit(f"{name}: {len(versions)} versioni in uv.lock, attesa una.")
    return versions.pop()


if __name__ == "__main__":
    print(f"{sys.argv[1]}=={locked_version(sys.argv[1])}")
