"""The settings modules, each in a fresh interpreter (settings are read once per process)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Variables a deployment (or CI) may have set: every case starts without them.
DEPLOYMENT_VARIABLES = [
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CONN_MAX_AGE",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "TRUST_X_FORWARDED_PROTO",
    "USE_X_FORWARDED_HOST",
    "SECURE_COOKIES",
]
PRODUCTION = "relazione.settings.production"
LOCAL = "relazione.settings.local"
HOSTS = "relazione.example.it"
PRINT_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]), "HOST": db.get("HOST") or "",
    "PORT": str(db.get("PORT") or ""), "USER": db.get("USER") or "",
    "DEBUG": settings.DEBUG, "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "PROXY": settings.SECURE_PROXY_SSL_HEADER, "FORWARDED_HOST": settings.USE_X_FORWARDED_HOST,
    "COOKIES": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "ORIGINS": settings.CSRF_TRUSTED_ORIGINS, "STATIC_ROOT": str(settings.STATIC_ROOT),
}))
"""


KEY = secrets.token_urlsafe(64)  # strong enough for `check --deploy`
CHECK = ["manage.py", "check"]
PG_URL = "://relazione:segreto@db.example.it:5433/relazione_prod"
# Every case runs in its own interpreter; they are started together to keep the suite fast.
SCENARIOS = {
    "no_secret": (CHECK, {"DJANGO_SETTINGS_MODULE": PRODUCTION, "ALLOWED_HOSTS": HOSTS}),
    "empty_secret": (
        CHECK,
        {"DJANGO_SETTINGS_MODULE": PRODUCTION, "ALLOWED_HOSTS": HOSTS, "SECRET_KEY": ""},
    ),
    "no_hosts": (CHECK, {"DJANGO_SETTINGS_MODULE": PRODUCTION, "SECRET_KEY": KEY}),
    "separator_hosts": (
        CHECK,
        {"DJANGO_SETTINGS_MODULE": PRODUCTION, "SECRET_KEY": KEY, "ALLOWED_HOSTS": " , ,"},
    ),
    "production": (
        CHECK,
        {"DJANGO_SETTINGS_MODULE": PRODUCTION, "SECRET_KEY": KEY, "ALLOWED_HOSTS": HOSTS},
    ),
    "deploy": (
        [*CHECK, "--deploy", "--fail-level", "WARNING"],
        {"DJANGO_SETTINGS_MODULE": PRODUCTION, "SECRET_KEY": KEY, "ALLOWED_HOSTS": HOSTS},
    ),
    "production_settings": (
        ["-c", PRINT_SETTINGS],
        {
            "DJANGO_SETTINGS_MODULE": PRODUCTION,
            "SECRET_KEY": KEY,
            "ALLOWED_HOSTS": "a.example.it, b.example.it",
        },
    ),
    "production_pg": (
        ["-c", PRINT_SETTINGS],
        {
            "DJANGO_SETTINGS_MODULE": PRODUCTION,
            "SECRET_KEY": KEY,
            "ALLOWED_HOSTS": HOSTS,
            "DATABASE_URL": "postgres://relazione:relazione@postgres:5432/relazione",
        },
    ),
    "behind_proxy": (
        ["-c", PRINT_SETTINGS],
        {
            "DJANGO_SETTINGS_MODULE": PRODUCTION,
            "SECRET_KEY": KEY,
            "ALLOWED_HOSTS": HOSTS,
            "TRUST_X_FORWARDED_PROTO": "true",
            "USE_X_FORWARDED_HOST": "true",
            "CSRF_TRUSTED_ORIGINS": "https://relazione.example.it",
            "STATIC_ROOT": "/srv/static",
        },
    ),
    "plain_http_trial": (
        ["-c", PRINT_SETTINGS],
        {
            "DJANGO_SETTINGS_MODULE": PRODUCTION,
            "SECRET_KEY": KEY,
            "ALLOWED_HOSTS": HOSTS,
            "SECURE_COOKIES": "false",
        },
    ),
    "local": (["-c", PRINT_SETTINGS], {"DJANGO_SETTINGS_MODULE": LOCAL}),
    "local_postgres": (
        ["-c", PRINT_SETTINGS],
        {"DJANGO_SETTINGS_MODULE": LOCAL, "DATABASE_URL": "postgres" + PG_URL},
    ),
    "local_postgresql": (
        ["-c", PRINT_SETTINGS],
        {"DJANGO_SETTINGS_MODULE": LOCAL, "DATABASE_URL": "postgresql" + PG_URL},
    ),
}


def run(args, variables):
    env = {k: v for k, v in os.environ.items() if k not in DEPLOYMENT_VARIABLES}
    env.update(variables)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def results():
    with ThreadPoolExecutor(max_workers=len(SCENARIOS)) as pool:
        futures = {name: pool.submit(run, *case) for name, case in SCENARIOS.items()}
        return {name: future.result() for name, future in futures.items()}


def settings_of(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


class TestProductionRefusesToStart:
    def test_without_secret_key(self, results):
        result = results["no_secret"]
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "SECRET_KEY deve essere impostata" in result.stderr

    def test_with_an_empty_secret_key(self, results):
        result = results["empty_secret"]
        assert result.returncode != 0
        assert "SECRET_KEY deve essere impostata" in result.stderr

    def test_without_allowed_hosts(self, results):
        result = results["no_hosts"]
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "ALLOWED_HOSTS deve essere impostata" in result.stderr

    def test_with_allowed_hosts_of_only_separators(self, results):
        result = results["separator_hosts"]
        assert result.returncode != 0
        assert "ALLOWED_HOSTS deve essere impostata" in result.stderr


class TestProductionStarts:
    def test_check_passes_with_both_variables(self, results):
        result = results["production"]
        assert result.returncode == 0, result.stderr
        assert "no issues" in result.stdout

    def test_check_deploy_has_no_warnings(self, results):
        result = results["deploy"]
        assert result.returncode == 0, result.stdout + result.stderr
        assert "System check identified no issues" in result.stdout

    def test_is_not_debug_and_reads_the_hosts(self, results):
        values = settings_of(results["production_settings"])
        assert values["DEBUG"] is False
        assert values["ALLOWED_HOSTS"] == ["a.example.it", "b.example.it"]


class TestBehindATlsProxy:
    def test_by_default_no_forwarded_header_is_trusted_and_cookies_are_secure(self, results):
        values = settings_of(results["production_settings"])
        assert values["PROXY"] is None and values["FORWARDED_HOST"] is False
        assert values["COOKIES"] == [True, True]
        assert values["ORIGINS"] == []

    def test_the_proxys_headers_and_origins_come_from_the_environment(self, results):
        values = settings_of(results["behind_proxy"])
        assert values["PROXY"] == ["HTTP_X_FORWARDED_PROTO", "https"]
        assert values["FORWARDED_HOST"] is True
        assert values["ORIGINS"] == ["https://relazione.example.it"]
        assert values["COOKIES"] == [True, True]
        assert values["STATIC_ROOT"] == "/srv/static"

    def test_plain_http_trial_drops_only_the_secure_cookie_flag(self, results):
        values = settings_of(results["plain_http_trial"])
        assert values["COOKIES"] == [False, False]
        assert values["PROXY"] is None


class TestDatabaseSelection:
    def test_local_without_variables_uses_sqlite_under_var(self, results):
        values = settings_of(results["local"])
        assert values["ENGINE"] == "django.db.backends.sqlite3"
        assert Path(values["NAME"]) == ROOT / "var" / "db.sqlite3"
        assert values["DEBUG"] is True

    @pytest.mark.parametrize("scenario", ["local_postgres", "local_postgresql"])
    def test_database_url_selects_postgresql(self, results, scenario):
        values = settings_of(results[scenario])
        assert values["ENGINE"] == "django.db.backends.postgresql"
        assert values["NAME"] == "relazione_prod"
        assert values["HOST"] == "db.example.it"
        assert values["PORT"] == "5433"
        assert values["USER"] == "relazione"

    def test_database_url_is_honoured_in_production(self, results):
        values = settings_of(results["production_pg"])
        assert values["ENGINE"] == "django.db.backends.postgresql"
        assert values["HOST"] == "postgres"
