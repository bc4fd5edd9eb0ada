#!/usr/bin/env bash
# What the image does, step by step, outside a container (no container engine runs in CI):
# the same scripts/entrypoint.sh subcommands as the Dockerfile and docker-compose.yml, on a
# fresh venv from requirements.lock, a fresh PostgreSQL database and a free port; then a person's first
# minutes: the public pages, /healthz, a login through the CSRF form behind a TLS proxy, and a
# PDF requested from the app and made by the worker. Stops everything it started, whatever
# happens. Exit status non-zero on any failure, with the step and the logs.
#
# SMOKE_PG: the PostgreSQL server (default postgres://postgres@127.0.0.1:5432, trust auth);
# SMOKE_PYTHON: the interpreter of the venv (default: the one of .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
started=$SECONDS

PG=${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}
DB="relazione_smoke_$$_$(date +%s)"
PYTHON=${SMOKE_PYTHON:-$("$ROOT/.venv/bin/python" -c 'import sys; print(sys._base_executable)')}
work=$(mktemp -d -t relazione-smoke.XXXXXX)
pids=()
db_created=0

step() { echo "== smoke ($((SECONDS - started)) s): $*"; }
fail() {
  echo "SMOKE FALLITO: $*" >&2
  for log in "$work"/*.log; do
    [ -f "$log" ] && { echo "--- ultime righe di $(basename "$log"):" >&2; tail -n 40 "$log" >&2; }
  done
  exit 1
}

cleanup() {
  local rc=$?
  echo "== smoke ($((SECONDS - started)) s): arresto di web e worker, pulizia"
  # INT: gunicorn's quick shutdown (nothing is in flight once the checks are over).
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$db_created" = 1 ]; then
    psql "$PG/postgres" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" \
      >/dev/null 2>&1 || echo "AVVISO: database $DB non eliminato" >&2
  fi
  rm -rf "$work"
  echo "== smoke ($((SECONDS - started)) s): fine (uscita $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# uv of the lock (dev group), alone on PATH: python (and so manage.py) comes from the fresh venv.
mkdir -p "$work/bin"
ln -s "$ROOT/.venv/bin/uv" "$work/bin/uv"
[ -x "$ROOT/.venv/bin/uv" ] || fail "uv non installato in .venv: eseguire 'make install'."
export PATH="$work/venv/bin:$work/bin:$PATH"
export VIRTUAL_ENV="$work/venv" UV_PYTHON="$PYTHON" UV_PYTHON_DOWNLOADS=never
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
IMAGE="$ROOT/scripts/entrypoint.sh"

step "install: venv da requirements.lock, senza il gruppo dev (come RUN entrypoint.sh install)"
timeout 300 "$IMAGE" install >"$work/install.log" 2>&1 || fail "install"
if "$work/venv/bin/python" -c 'import pytest' 2>/dev/null; then fail "pytest nell'ambiente dell'immagine"; fi

step "collectstatic con le impostazioni di produzione (come RUN entrypoint.sh collectstatic)"
export STATIC_ROOT="$work/static"
timeout 300 "$IMAGE" collectstatic >"$work/collectstatic.log" 2>&1 || fail "collectstatic"
grep -q '"vendor/bootstrap-italia/css/bootstrap-italia.min.css"' "$STATIC_ROOT/staticfiles.json" \
  || fail "manifest senza bootstrap-italia.min.css"

step "database PostgreSQL nuovo: $DB"
psql "$PG/postgres" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$DB\"" >/dev/null \
  || fail "CREATE DATABASE su $PG"
db_created=1

port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The compose file's environment, with the production defaults it relies on a proxy for:
# SECURE_SSL_REDIRECT stays on and the client speaks as the TLS proxy would.
export DJANGO_SETTINGS_MODULE=relazione.settings.production
export DATABASE_URL="$PG/$DB"
SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=relazione.example.it CSRF_TRUSTED_ORIGINS=https://relazione.example.it
export TRUST_X_FORWARDED_PROTO=true SECURE_SSL_REDIRECT=true SECURE_COOKIES=true
export MEDIA_ROOT="$work/media" BIND_ADDRESS=127.0.0.1 PORT="$port" WEB_CONCURRENCY=2

step "web: migrate e gunicorn su 127.0.0.1:$port (come CMD [\"web\"])"
"$IMAGE" web >"$work/web.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do
  kill -0 "${pids[0]}" 2>/dev/null || fail "web terminato"
  "$IMAGE" healthcheck >/dev/null 2>&1 && break
  sleep 1
done
"$IMAGE" healthcheck >"$work/healthcheck.log" 2>&1 || fail "HEALTHCHECK: /healthz non risponde 200 in 180 s"

step "dati dimostrativi (come docker compose run --rm web python manage.py load_demo)"
timeout 300 "$IMAGE" python manage.py load_demo --no-pdf >"$work/load_demo.log" 2>&1 \
  || fail "load_demo"

step "worker (come command: [\"worker\"])"
"$IMAGE" worker >"$work/worker.log" 2>&1 &
pids+=($!)

step "pagine, /healthz, login, PDF dalla coda"
timeout 300 python - "$port" "${pids[1]}" <<'PY' || fail "verifiche HTTP"
import http.client
import json
import os
import re
import sys
import time
from urllib.parse import urlencode

PORT, WORKER = int(sys.argv[1]), int(sys.argv[2])
HOST = "relazione.example.it"
ORIGIN = f"https://{HOST}"
cookies = {}


def request(method, path, body=None, *, proxy=True, headers=None):
    """One request as the TLS proxy forwards it (Host, X-Forwarded-Proto), cookies kept."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    sent = {"Host": HOST if proxy else "127.0.0.1", **(headers or {})}
    if proxy:
        sent["X-Forwarded-Proto"] = "https"
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        body = urlencode(body)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(Origin=ORIGIN, Referer=ORIGIN + path)
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    content = response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name] = rest.split(";", 1)[0]
        # Every cookie set over HTTPS is Secure (deletions, Max-Age=0, carry no value).
        if proxy and "secure" not in header.lower() and "max-age=0" not in header.lower():
            sys.exit(f"cookie {name} senza Secure: {header}")
    connection.close()
    return response, content


def expect(path, status=200, *, follow=False, **kwargs):
    response, content = request("GET", path, **kwargs)
    while follow and response.status in (301, 302) and response.headers["Location"].startswith("/"):
        print(f"  GET {path}: {response.status} -> {response.headers['Location']}")
        path = response.headers["Location"]
        response, content = request("GET", path, **kwargs)
    if response.status != status:
        sys.exit(f"GET {path}: {response.status} invece di {status}\n{content[:500]!r}")
    print(f"  GET {path}: {response.status}")
    return response, content


def csrf_token(html):
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        sys.exit("nessun csrfmiddlewaretoken nella pagina")
    return match.group(1).decode()


response, content = expect("/healthz", proxy=False)
health = json.loads(content)
assert health == {"status": "ok", "database": "ok", "cache": "ok"}, health

response, html = expect("/", follow=True)
policy = response.headers["Content-Security-Policy"]
assert "script-src 'self';" in policy and "unsafe-inline" not in policy, policy
css = re.search(rb'href="(/static/vendor/bootstrap-italia/css/[^"]+)"', html)
assert css and re.search(rb"\.[0-9a-f]{12}\.css$", css.group(1)), "CSS senza nome con hash"
expect(css.group(1).decode())
expect("/trasparenza/", follow=True)
response, _ = expect("/trasparenza/", status=301, proxy=False, headers={"Host": HOST})
assert response.headers["Location"].startswith("https://"), response.headers["Location"]

_, page = expect("/account/login/")
response, content = request(
    "POST",
    "/account/login/",
    {"username": "pianificazione", "password": "demo-pianificazione-2023",
     "csrfmiddlewaretoken": csrf_token(page)},
)  # fmt: skip
if response.status != 302:
    sys.exit(f"login: {response.status} invece di 302\n{content[:800]!r}")
landing = response.headers["Location"]
_, home = expect(landing, follow=True)
assert b"pianificazione" in home.lower() or b"esci" in home.lower(), "login senza sessione"
print(f"  login di pianificazione: {landing}")

_, report = expect("/cciaa-bergamo/reports/2024/")
response, content = request(
    "POST", "/cciaa-bergamo/reports/2024/genera/", {"csrfmiddlewaretoken": csrf_token(report)}
)
if response.status != 302:
    sys.exit(f"richiesta del PDF: {response.status}\n{content[:800]!r}")
print(f"  PDF 2024 in coda: {response.headers['Location']}")
deadline = time.monotonic() + 240
while time.monotonic() < deadline:
    try:
        os.kill(WORKER, 0)
    except ProcessLookupError:
        sys.exit("il worker è terminato")
    response, content = request("GET", "/cciaa-bergamo/reports/2024/pdf/")
    if response.status == 200:
        assert content.startswith(b"%PDF-"), content[:20]
        print(f"  PDF 2024 fatto dal worker: {len(content)} byte")
        break
    if response.status != 404:
        sys.exit(f"GET /cciaa-bergamo/reports/2024/pdf/: {response.status}")
    time.sleep(2)
else:
    sys.exit("il worker non ha prodotto il PDF in 240 s")
PY

step "fatto: l'immagine serve le pagine, il login e i PDF"
