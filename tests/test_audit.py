"""scripts/audit.sh: an audit that could check nothing fails, unless AUDIT_OFFLINE_OK=1 says that
the advisory databases are unreachable on purpose. The network is cut by a proxy that refuses
every connection, so the test does not depend on what this machine can reach."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: connection refused


def audit(**variables):
    env = {k: v for k, v in os.environ.items() if k != "AUDIT_OFFLINE_OK"}
    env.update(HTTPS_PROXY=UNREACHABLE, HTTP_PROXY=UNREACHABLE, NO_PROXY="", **variables)
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "audit.sh")],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def offline():
    return audit(), audit(AUDIT_OFFLINE_OK="1")


def test_an_audit_that_checked_nothing_fails(offline):
    refused, _ = offline
    assert refused.returncode == 1
    assert "nessun pacchetto verificato" in refused.stderr


def test_offline_is_accepted_only_when_said(offline):
    _, accepted = offline
    assert accepted.returncode == 0, accepted.stderr
    assert "AUDIT_OFFLINE_OK=1" in accepted.stdout
