import pytest

from relazione.demo import demo_load


def pytest_collection_modifyitems(config, items):
    """Browser tests last: the fast tests give their answer first."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo year (Relazione 2023) is loaded once into the test database; each test runs in
    a transaction rolled back at its end, so tests may change it freely."""
    with django_db_blocker.unblock():
        demo_load(year=2023)


@pytest.fixture
def cycle(db):
    from relazione.models import Cycle

    return Cycle.objects.select_related("body").get(year=2023)
