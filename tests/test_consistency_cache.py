"""The findings count of the OIV workspace is cached per state of the year's data: a second
visit costs only the fingerprint, and any write (a value, a justification) changes the key."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from accounts.models import Role
from consistency import services
from core.locking import unlocked
from core.models import Cycle
from indicators.models import Indicator
from tests.people import grant, set_state

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "consistency": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "consistency-test",
    },
}


@pytest.fixture
def cycle(cycle):
    """Closed: the planning office justifies findings before the OIV validates the year."""
    set_state(cycle, Cycle.State.CLOSED)
    return cycle


@pytest.fixture
def cached():
    with override_settings(CACHES=LOCMEM):
        caches["consistency"].clear()
        yield
        caches["consistency"].clear()


def test_count_is_cached_and_follows_the_data(
    cached, cycle, django_assert_max_num_queries, django_user_model
):
    first = services.findings_count(cycle)
    assert first["error"] == 15 and first["open_errors"] == 15
    with django_assert_max_num_queries(1):  # the data version only
        assert services.findings_count(cycle) == first
    # A justification changes the fingerprint: the count follows at once.
    planner = django_user_model.objects.create_user("pianif-cache")
    grant(planner, Role.PLANNING)
    key = services.open_errors(cycle)[0].key
    services.finding_justify(user=planner, cycle=cycle, key=key, text="Verificato.")
    assert services.findings_count(cycle)["open_errors"] == 14
    # So does a value: the seconda tranche row gets a valid number (one KIND error fewer).
    ind = Indicator.objects.get(cycle=cycle, actual="17/05/2023")
    with unlocked():
        Indicator.objects.filter(pk=ind.pk).update(actual="300", version=ind.version + 1)
    assert services.findings_count(cycle)["error"] == 14


def test_count_follows_an_import_of_the_resources_tables(cached, cycle, django_user_model):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    from resources import selectors as resources_selectors
    from resources import services as resources_services
    from resources import sheets, workbook

    planner = django_user_model.objects.create_user("pianif-risorse")
    grant(planner, Role.PLANNING)
    services.findings_count(cycle)
    data = resources_selectors.resources_workbook_rows(cycle)
    wb = load_workbook(io.BytesIO(workbook.build_workbook(data.rows, heading="x")))
    ws = wb[sheets.HOLDINGS]
    header = [c.value for c in ws[1]]
    nominal = ws.cell(row=2, column=header.index("Valore nominale della partecipazione") + 1)
    nominal.value = 1  # one euro: a change the budget and staff rules read
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("r.xlsx", out.getvalue())
    preview = resources_services.resources_import_preview(user=planner, cycle=cycle, file=upload)
    upload.seek(0)
    resources_services.resources_import_apply(
        user=planner, cycle=cycle, file=upload, expected_fingerprint=preview.fingerprint
    )
    with CaptureQueriesContext(connection) as queries:
        services.findings_count(cycle)
    assert len(queries) > 3  # not served from the cache: the run read the new data


def test_count_follows_a_context_table_edit(cached, cycle, django_user_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from resources import context_services
    from resources.models import ContextTable

    planner = django_user_model.objects.create_user("pianif-contesto")
    grant(planner, Role.PLANNING)
    services.findings_count(cycle)
    table = ContextTable.objects.filter(cycle=cycle).exclude(key="process_phases").first()
    context_services.context_table_update(
        user=planner,
        cycle=cycle,
        table=table,
        title=table.title,
        source=table.source,
        text="Voce\tValore\nTotale\t1",
        expected_version=table.version,
    )
    with CaptureQueriesContext(connection) as queries:
        services.findings_count(cycle)
    assert len(queries) > 4  # recomputed: the edit changed the fingerprint


def test_count_follows_a_narrative_text(cached, cycle, django_user_model):
    """NARR-001 reads the texts: rewriting page 69's claim through the service clears it."""
    from narratives.models import Narrative
    from reports.services import narrative_update

    assert services.findings_count(cycle)["error"] == 15
    planner = django_user_model.objects.create_user("pianif-testi")
    grant(planner, Role.PLANNING)
    text = Narrative.objects.get(cycle=cycle, key="obiettivi_individuali")
    narrative_update(
        user=planner,
        narrative=text,
        title=text.title,
        body="Gli indicatori sono stati raggiunti, salvo una scadenza rispettata in ritardo.",
        expected_version=text.version,
    )
    assert services.findings_count(cycle)["error"] == 14


def test_the_submission_decides_on_findings_computed_now(cached, cycle):
    """The pages read the findings cached for the year's data version; the submission to the
    OIV does not: a cached list that says «no error» (written by a raw SQL change the version
    did not see, or by anything else) never lets an year with open errors through."""
    from workflow import services as workflow

    assert len(services.open_errors(cycle)) == 15  # now cached for this version
    key = f"consistency:findings:{cycle.pk}:{services._data_fingerprint(cycle)}"
    assert caches["consistency"].get(key) is not None
    caches["consistency"].set(key, [], services.FINDINGS_TTL)  # a stale, wrong list
    assert services.open_errors(cycle) == []  # what a page would show until the next write
    assert len(workflow.consistency_open_errors(cycle)) == 15
    assert len(services.open_errors(cycle)) == 15  # and the cache has the fresh list again
