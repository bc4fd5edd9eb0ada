#!/usr/bin/env bash
# The image's steps, one place: the Dockerfile runs `install` and `collectstatic` at build and
# `web` / `worker` / `healthcheck` at run time (ENTRYPOINT, compose, HEALTHCHECK);
# scripts/container-smoke.sh runs the very same steps outside a container. Anything else is run
# as given (`docker compose run --rm web python manage.py createsuperuser`).
#
# Environment: UV_PROJECT_ENVIRONMENT (the venv uv fills), the production settings' variables
# (README, "Deploy"), BIND_ADDRESS and PORT for gunicorn, WEB_CONCURRENCY (gunicorn's own).
set -euo pipefail
cd "$(dirname "$0")/.."

production() {
  export DJANGO_SETTINGS_MODULE=relazione.settings.production
}

case "${1:-web}" in
  install)
    # The runtime part of the one lock; the dev group (tests, linters) stays out of the image.
    uv sync --locked --no-dev
    ;;
  collectstatic)
    # Build time: no secret and no host exist yet; the manifest written here is what the
    # production storage serves (a missing file fails the build, not a page).
    production
    SECRET_KEY="${SECRET_KEY:-collectstatic-only-not-a-secret}" ALLOWED_HOSTS="${ALLOWED_HOSTS:-build}" \
      python manage.py collectstatic --noinput --verbosity 0
    ;;
  web)
    production
    python manage.py migrate --noinput
    exec gunicorn relazione.wsgi:application \
      --bind "${BIND_ADDRESS:-0.0.0.0}:${PORT:-8000}" --access-logfile - --timeout 120 \
      --no-control-socket
    ;;
  worker)
    # The queue of PDF generations.
    # TODO(tasks): `python manage.py db_worker` once django-tasks-db lands (the `tasks` branch);
    # then this is the only line to change, and the smoke's PDF step proves it.
    production
    exec python manage.py pdf_worker
    ;;
  healthcheck)
    # HEALTHCHECK of the image: /healthz answers on plain HTTP at 127.0.0.1 (relazione.health).
    exec python -c 'import os, sys, urllib.request
url = "http://127.0.0.1:%s/healthz" % os.environ.get("PORT", "8000")
try:
    sys.exit(0 if urllib.request.urlopen(url, timeout=5).status == 200 else 1)
except OSError as error:
    sys.exit(f"{url}: {error}")'
    ;;
  *)
    exec "$@"
    ;;
esac
