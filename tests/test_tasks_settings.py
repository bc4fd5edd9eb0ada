"""The task queue's settings: the database backend by default, Redis (django-tasks-rq) only
when asked for with REDIS_URL, anything else refused at start-up (fail closed)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = (
    "import json, relazione.settings.base as s; "
    "print(json.dumps({'tasks': s.TASKS, 'apps': s.INSTALLED_APPS, "
    "'rq': getattr(s, 'RQ_QUEUES', None)}))"
)


def _settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("TASKS_BACKEND", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_default_is_the_database_queue():
    done = _settings()
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    assert read["tasks"] == {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    assert "django_tasks_db" in read["apps"] and "django_tasks_rq" not in read["apps"]


def test_redis_queue_with_its_url():
    done = _settings(TASKS_BACKEND="rq", REDIS_URL="redis://redis:6379/0")
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)
    assert read["tasks"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert read["rq"] == {"default": {"URL": "redis://redis:6379/0"}}
    assert {"django_rq", "django_tasks_rq"} <= set(read["apps"])


def test_redis_without_url_or_an_unknown_backend_is_refused():
    done = _settings(TASKS_BACKEND="rq")
    assert done.returncode != 0 and "TASKS_BACKEND=rq richiede REDIS_URL" in done.stderr
    done = _settings(TASKS_BACKEND="celery")
    assert done.returncode != 0 and "TASKS_BACKEND='celery' non previsto" in done.stderr
