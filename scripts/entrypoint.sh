#!/usr/bin/env bash
# The image's steps, one place: the Dockerfile runs `install` and `collectstatic` at build and
# `web` / `worker` / `healthcheck` at run time (ENTRYPOINT, compose, HEALTHCHECK);
# scripts/container-smoke.sh runs the very same steps outside a container. Anything else is run
# as given (`docker compose run --rm web python manage.py createsuperuser`).
#
# Environment: VIRTUAL_ENV (the venv uv fills), REQUIREMENTS (the lock it installs), the
# production settings' variables (README, "Deploy"), BIND_ADDRESS and PORT for gunicorn,
# WEB_CONCURRENCY (gunicorn's own).
set -euo pipefail
cd "$(dirname "$0")/.."

production() {
  export DJANGO_SETTINGS_MODULE=relazione.settings.production
}

case "${1:-web}" in
  install)
    # The runtime lock, exactly (hashes checked, anything else removed); the dev group (tests,
    # linters) stays out of the image. REQUIREMENTS=requirements-rq.lock adds the Redis task
    # queue (README, "Task queue"). The project itself is not installed: it runs from /app.
    venv=${VIRTUAL_ENV:?"VIRTUAL_ENV: la cartella dell'ambiente da creare"}
    [ -x "$venv/bin/python" ] || uv venv --no-config --quiet "$venv"
    uv pip sync --no-config --require-hashes --python "$venv/bin/python" \
      "${REQUIREMENTS:-requirements.lock}"
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
    # The task queue (PDFs, notification e-mails) of django-tasks-db. With TASKS_BACKEND=rq the
    # worker is rqworker instead (README, "Task queue"): run it as a command.
    production
    exec python manage.py db_worker
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
