"""The year's data version (core.dataversion) moves with every write path to the year's rows,
in the same transaction, so the cached counts of the consistency checks (keyed on it) are never
served for data they were not computed on; a refused write moves nothing."""

from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consistency import services
from core.locking import YearLocked, unlocked
from core.models import Cycle, Transition
from indicators.models import Indicator, ScorecardRow
from objectives.models import OperationalObjective, Scorecard
from resources.models import DeclaredFigure
from tests.people import set_state

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "consistency": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "data-version-test",
    },
}


@pytest.fixture
def cycle(cycle):
    """Closed: its data may still change (the demo's 2023 is validated)."""
    set_state(cycle, Cycle.State.CLOSED)
    return cycle


@pytest.fixture
def cached():
    with override_settings(CACHES=LOCMEM):
        caches["consistency"].clear()
        yield
        caches["consistency"].clear()


def version(cycle) -> int:
    return Cycle.objects.values_list("data_version", flat=True).get(pk=cycle.pk)


def recomputed(cycle) -> bool:
    """Whether the count is computed again (not served by the cache)."""
    with CaptureQueriesContext(connection) as queries:
        services.findings_count(cycle)
    return len(queries) > 1


def a_kind_error(cycle) -> Indicator:
    # The seconda tranche row holds a date where a number is due: one KIND error.
    return Indicator.objects.get(cycle=cycle, actual="17/05/2023")


def _save(cycle):
    ind = a_kind_error(cycle)
    ind.actual = "300"
    ind.save()


def _update(cycle):
    Indicator.objects.filter(pk=a_kind_error(cycle).pk).update(actual="300")


def _bulk_update(cycle):
    ind = a_kind_error(cycle)
    ind.actual = "300"
    Indicator.objects.bulk_update([ind], ["actual"])


def _base_manager_update(cycle):
    Indicator._base_manager.filter(pk=a_kind_error(cycle).pk).update(actual="300")


def _row_delete(cycle):  # a row of a cruscotto: its cycle is its scorecard's
    ScorecardRow.objects.filter(scorecard__cycle=cycle).first().delete()


def _row_queryset_delete(cycle):
    rows = ScorecardRow.objects.filter(scorecard__cycle=cycle).values_list("pk", flat=True)
    ScorecardRow.objects.filter(pk__in=list(rows[:2])).delete()


def _bulk_create(cycle):
    figure = DeclaredFigure.objects.filter(cycle=cycle).first()
    figure.pk, figure.key = None, f"{figure.key}-copia"
    DeclaredFigure.objects.bulk_create([figure])


def _units_of_objective(cycle):
    objective = OperationalObjective.objects.filter(cycle=cycle, units__isnull=False).first()
    objective.units.remove(objective.units.first())


def _rules(cycle):
    cycle = Cycle.objects.get(pk=cycle.pk)
    cycle.band_partial_from = Decimal("10")
    cycle.save()


def _rules_update(cycle):
    Cycle.objects.filter(pk=cycle.pk).update(band_partial_from=Decimal("10"))


def _transition(cycle):
    Transition.objects.create(cycle=cycle, source="closed", target="monitoring", at=timezone.now())


def _scorecard_title(cycle):
    card = Scorecard.objects.filter(cycle=cycle).first()
    Scorecard.objects.filter(pk=card.pk).update(title=f"{card.title} (bis)")


WRITES = [
    _save,
    _update,
    _bulk_update,
    _base_manager_update,
    _row_delete,
    _row_queryset_delete,
    _bulk_create,
    _units_of_objective,
    _rules,
    _rules_update,
    _scorecard_title,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda f: f.__name__.strip("_"))
def test_every_write_path_moves_the_version_and_the_cached_count(cached, cycle, write):
    services.findings_count(cycle)
    assert not recomputed(cycle)
    before = version(cycle)
    write(cycle)
    assert version(cycle) > before
    assert recomputed(cycle)


@pytest.mark.parametrize(
    "write", [_save, _update, _bulk_update], ids=["save", "update", "bulk_update"]
)
def test_the_count_follows_a_value_by_any_path(cached, cycle, write):
    assert services.findings_count(cycle)["error"] == 15
    write(cycle)
    assert services.findings_count(cycle)["error"] == 14


def test_a_transition_moves_the_version(cached, cycle):
    before = version(cycle)
    with unlocked():
        _transition(cycle)
    assert version(cycle) == before + 1


def test_the_demo_loader_unlocked_block_still_moves_it(cycle):
    set_state(cycle, Cycle.State.VALIDATED)
    before = version(cycle)
    with unlocked():
        _update(cycle)
    assert version(cycle) > before


def test_a_refused_write_moves_nothing(cycle):
    set_state(cycle, Cycle.State.VALIDATED)
    before = version(cycle)
    for write in (_save, _update, _bulk_update, _row_delete, _bulk_create):
        with pytest.raises(YearLocked), transaction.atomic():
            write(cycle)
    assert version(cycle) == before


def test_rebuild_figures_moves_it(cached, cycle):
    with unlocked():  # stored figures written around the models (as raw SQL would)
        Indicator.objects.filter(pk=a_kind_error(cycle).pk).update(realization=Decimal("1"))
    services.findings_count(cycle)
    before = version(cycle)
    call_command("rebuild_figures", year=cycle.year, ente=cycle.body.slug, stdout=None)
    assert version(cycle) > before
    assert recomputed(cycle)


def test_a_stale_cycle_does_not_put_its_old_version_back(cycle):
    stale = Cycle.objects.get(pk=cycle.pk)
    _update(cycle)
    moved = version(cycle)
    stale.plan_reference = "Piano 2023"
    stale.save()
    assert version(cycle) == moved
    assert Cycle.objects.get(pk=cycle.pk).plan_reference == "Piano 2023"


def test_the_admin_moves_it(cached, cycle, client, django_user_model):
    set_state(cycle, Cycle.State.MONITORING)  # the admin writes a year's rows while it is open
    admin = django_user_model.objects.create_superuser("admin-versione", password="x")
    client.force_login(admin)
    figure = DeclaredFigure.objects.filter(cycle=cycle).first()
    services.findings_count(cycle)
    before = version(cycle)
    response = client.post(f"/admin/resources/declaredfigure/{figure.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not DeclaredFigure.objects.filter(pk=figure.pk).exists()
    assert version(cycle) > before
    assert recomputed(cycle)


def test_another_year_keeps_its_version(cycle, y2024):
    before = version(y2024)
    _update(cycle)
    _row_delete(cycle)
    assert version(y2024) == before
