"""docker-compose.yml and the Dockerfile: the PostgreSQL deployment described in the README."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    with (ROOT / "docker-compose.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # ["KEY=value", ...]
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def published_ports(service: dict) -> set[int]:
    ports = set()
    for item in service.get("ports") or []:
        if isinstance(item, dict):  # long syntax
            ports.add(int(item["published"]))
        else:  # "[host_ip:]published:target[/proto]"
            parts = str(item).split("/")[0].split(":")
            ports.add(int(parts[-2] if len(parts) >= 2 else parts[-1]))
    return ports


def mounts(service: dict) -> list[tuple[str, str]]:
    result = []
    for item in service.get("volumes") or []:
        if isinstance(item, dict):
            result.append((item.get("source", ""), item["target"]))
        else:
            source, _, rest = str(item).partition(":")
            result.append((source, rest.split(":")[0]))
    return result


def command_text(service: dict) -> str:
    command = service.get("command") or ""
    return " ".join(command) if isinstance(command, list) else str(command)


def depends_on(service: dict) -> set[str]:
    deps = service.get("depends_on") or []
    return set(deps)  # a list of names or a mapping name -> condition


def test_services(compose):
    assert {"postgres", "web"} <= set(compose["services"])


def test_postgres_is_postgresql(compose):
    image = compose["services"]["postgres"]["image"]
    assert image.split(":")[0] in {"postgres", "postgis/postgis"}


def test_postgres_data_is_on_a_declared_named_volume(compose):
    data = [
        s for s, t in mounts(compose["services"]["postgres"]) if t == "/var/lib/postgresql/data"
    ]
    assert len(data) == 1
    volume = data[0]
    assert volume and not volume.startswith((".", "/", "~")), "a named volume, not a bind mount"
    assert volume in (compose.get("volumes") or {})


def test_web_publishes_port_8000(compose):
    assert 8000 in published_ports(compose["services"]["web"])


def test_web_runs_gunicorn_on_port_8000(compose):
    command = command_text(compose["services"]["web"])
    assert "gunicorn" in command
    assert "relazione.wsgi" in command
    assert re.search(r"--bind[ =]0\.0\.0\.0:8000", command)


def test_web_migrates_before_serving(compose):
    command = command_text(compose["services"]["web"])
    assert "migrate" in command
    assert command.index("migrate") < command.index("gunicorn")


def test_web_database_url_points_to_the_postgres_service(compose):
    web_env = environment(compose["services"]["web"])
    pg_env = environment(compose["services"]["postgres"])
    url = urlsplit(web_env["DATABASE_URL"])
    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname == "postgres"
    assert (url.port or 5432) == 5432
    # the credentials and database of the postgres service itself
    assert url.username == pg_env["POSTGRES_USER"]
    assert url.password == pg_env["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == pg_env["POSTGRES_DB"]


def test_web_runs_the_production_settings(compose):
    web_env = environment(compose["services"]["web"])
    assert web_env["DJANGO_SETTINGS_MODULE"] == "relazione.settings.production"
    assert web_env.get("SECRET_KEY")  # production refuses to start without it
    assert web_env.get("ALLOWED_HOSTS")


def test_web_depends_on_postgres(compose):
    web = compose["services"]["web"]
    assert "postgres" in depends_on(web)
    if isinstance(web["depends_on"], dict):  # wait until PostgreSQL accepts connections
        assert web["depends_on"]["postgres"].get("condition") == "service_healthy"
        assert "healthcheck" in compose["services"]["postgres"]


def _dockerfile(compose) -> tuple[Path, str]:
    build = compose["services"]["web"]["build"]
    if isinstance(build, str):
        context, name = build, "Dockerfile"
    else:
        context, name = build.get("context", "."), build.get("dockerfile", "Dockerfile")
    path = (ROOT / context / name).resolve()
    return path, path.read_text(encoding="utf-8") if path.exists() else ""


def _instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def test_dockerfile_exists(compose):
    path, _text = _dockerfile(compose)
    assert path.is_file()


def test_dockerfile_installs_the_project(compose):
    _path, text = _dockerfile(compose)
    runs = [rest for keyword, rest in _instructions(text) if keyword == "RUN"]
    installs = [r for r in runs if re.search(r"pip install\b", r)]
    assert installs, "no pip install"
    # installs the project itself (pyproject.toml): `pip install .` / `-e .` / `.[extra]`
    assert any(re.search(r"pip install\b.*\s(-e\s+)?\.(\[[\w,]+\])?(\s|$)", r) for r in installs)
    copied = " ".join(rest for keyword, rest in _instructions(text) if keyword == "COPY")
    assert "pyproject.toml" in copied or re.search(r"(^|\s)\.\s", copied)


def test_dockerfile_copies_only_files_that_exist(compose):
    path, text = _dockerfile(compose)
    context = path.parent
    for keyword, rest in _instructions(text):
        if keyword != "COPY" or rest.startswith("--from"):
            continue
        sources = [s for s in shlex.split(rest) if not s.startswith("--")][:-1]
        for source in sources:
            if source != ".":
                assert (context / source).exists(), f"COPY {source}: not in the build context"


def test_dockerfile_serves_on_port_8000(compose):
    _path, text = _dockerfile(compose)
    exposed = [rest for keyword, rest in _instructions(text) if keyword == "EXPOSE"]
    assert any("8000" in e.split() for e in exposed)
