"""Settings for the test suite: fast hasher, in-memory e-mail; DATABASE_URL still selects the
database, so the same suite runs on SQLite and on PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# The real queue, whatever TASKS_BACKEND says: tests that need a task done run the worker
# (tests/conftest.py `run_tasks`, i.e. `db_worker --batch`), as `make run` does beside the server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [TASKS_QUEUE]}}  # noqa: F405

# Tests roll back their data but not a cache: results keyed by data fingerprints are not cached
# (tests/test_consistency_cache.py switches it on where the caching itself is tested).
CACHES = {**CACHES, "consistency": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
