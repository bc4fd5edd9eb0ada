"""publiccode.yml at the repository root: the keys the Developers Italia catalogue requires."""

import datetime as dt
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_publiccode_yml_has_the_required_keys():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert data["publiccodeYmlVersion"] == "0.4"
    for key in ("name", "url", "platforms", "developmentStatus", "softwareType"):
        assert data[key], key
    assert data["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}
    assert data["softwareType"] == "standalone/web"
    dt.date.fromisoformat(str(data["releaseDate"]))  # required with softwareVersion
    italian = data["description"]["it"]
    assert 0 < len(italian["shortDescription"]) <= 150
    assert 150 <= len(italian["longDescription"]) <= 10000
    assert italian["features"]
    assert data["legal"]["license"] == "EUPL-1.2"
    assert data["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    if data["maintenance"]["type"] in {"internal", "community"}:
        assert all(c["name"] for c in data["maintenance"]["contacts"])
    assert isinstance(data["localisation"]["localisationReady"], bool)
    assert "it" in data["localisation"]["availableLanguages"]


def test_publiccode_license_matches_the_package():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'license = "{data["legal"]["license"]}"' in pyproject
