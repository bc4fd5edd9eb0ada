import pytest

from demo.loader import demo_load


def pytest_collection_modifyitems(config, items):
    """Browser tests last: the fast tests give their answer first."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


DEMO_BODY = "cciaa-bergamo"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo year (Relazione 2023) is loaded once into the test database, beside a second
    body (demo.second: the same year, unit codes and slugs, unpublished), so every test runs
    in an installation of two bodies; each test runs in a transaction rolled back at its end,
    so tests may change them freely."""
    from demo.second import second_body_load

    with django_db_blocker.unblock():
        demo_load(year=2023)
        second_body_load(year=2023)


@pytest.fixture(autouse=True)
def _cache_follows_the_rollback():
    """Each test's database changes are rolled back; the pages it cached are dropped with them,
    so no test reads a page cached by another."""
    from django.core.cache import cache

    yield
    cache.clear()


@pytest.fixture
def cycle(db):
    from core.models import Cycle

    return Cycle.objects.select_related("body").get(body__slug=DEMO_BODY, year=2023)


@pytest.fixture
def run_tasks():
    """Runs the task queue's worker (`manage.py db_worker --batch`, the command `make run`
    starts beside the server) until no task is left; returns the tasks it ran.

    One accommodation for the test's transaction: the worker's connection health check
    (close_old_connections) drops a connection found inside a transaction, which is where a
    rolled-back test runs; it is skipped here, everything else runs as in production."""
    import signal
    from unittest import mock

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]

    def run() -> list:
        before = set(DBTaskResult.objects.finished().values_list("id", flat=True))
        handlers = {sig: signal.getsignal(sig) for sig in signals}
        try:
            with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
                call_command(
                    "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0
                )
        finally:
            for sig, handler in handlers.items():  # the worker installs its own
                signal.signal(sig, handler)
        return list(DBTaskResult.objects.finished().exclude(id__in=before).order_by("finished_at"))

    return run


@pytest.fixture
def y2024(db):
    """The demo's 2024, opened from 2023 and in data entry."""
    from core.models import Cycle

    return Cycle.objects.select_related("body").get(body__slug=DEMO_BODY, year=2024)


@pytest.fixture
def no_findings(monkeypatch):
    """No open consistency error: the tests of the other guardrails of the submission."""
    from workflow import services

    monkeypatch.setattr(services, "consistency_open_errors", lambda cycle: [])
