"""Narratives, permissions, the validated PDF generated once and the SVG charts (no real
rendering here; the PDF requests through the task queue: tests/test_reports_pdf_queue.py)."""

from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from consistency.selectors import YEAR_DATA_QUERIES
from core.models import Cycle
from narratives.models import Narrative
from reports import charts, services
from reports.pdf import RenderedPdf
from reports.selectors import document_validation, relazione_document
from reports.templatetags.reports_tags import it_cell
from tests.people import grant, set_state

pytestmark = pytest.mark.django_db


def _set_state(cycle, state):
    set_state(cycle, state)  # as the demo loader does: no transition recorded


def _user(role, name=None):
    user = User.objects.create_user(name or f"u-{role}", password="x")
    grant(user, role)
    return user


@pytest.fixture
def planning():
    return _user(Role.PLANNING)


@pytest.fixture
def monitoring(cycle):
    _set_state(cycle, Cycle.State.MONITORING)
    return cycle


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def test_demo_loads_every_narrative(cycle):
    keys = set(Narrative.objects.filter(cycle=cycle).values_list("key", flat=True))
    assert keys == set(Narrative.Key.values)
    premessa = Narrative.objects.get(cycle=cycle, key="premessa")
    assert premessa.body.startswith("Il decreto legislativo n. 150/2009")


def test_narrative_edit_requires_planning_role(client, monitoring):
    manager = _user(Role.MANAGER)
    client.force_login(manager)
    url = reverse("reports:narrative", args=["cciaa-bergamo", 2023, "premessa"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "X", "body": "Y"}).status_code == 403
    assert Narrative.objects.get(cycle=monitoring, key="premessa").title == "Premessa"


def test_narrative_preview_does_not_save_and_save_does(client, planning, monitoring):
    client.force_login(planning)
    url = reverse("reports:narrative", args=["cciaa-bergamo", 2023, "premessa"])
    body = "Testo **nuovo**\n\n<script>alert(1)</script>"
    version = Narrative.objects.get(cycle=monitoring, key="premessa").version
    response = client.post(
        url, {"title": "Premessa", "body": body, "version": version, "anteprima": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>nuovo</strong>" in html and "<script>alert(1)" not in html
    assert not Narrative.objects.get(cycle=monitoring, key="premessa").body.startswith("Testo")
    response = client.post(url, {"title": "Premessa", "body": body, "version": version})
    assert response.status_code == 302
    saved = Narrative.objects.get(cycle=monitoring, key="premessa")
    assert saved.body == body and saved.updated_by == planning


def test_narrative_cannot_change_once_validated(planning, cycle):
    _set_state(cycle, Cycle.State.VALIDATED)
    narrative = Narrative.objects.get(cycle=cycle, key="premessa")
    with pytest.raises(PermissionDenied):
        services.narrative_update(user=planning, narrative=narrative, title="X", body="Y")
    narrative.refresh_from_db()
    assert narrative.title == "Premessa"


def test_report_page_is_internal_only(client, cycle):
    url = reverse("reports:report", args=["cciaa-bergamo", 2023])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(User.objects.create_user("nobody", password="x"))
    assert client.get(url).status_code == 403


def _fake_render(content=b"%PDF-1.7 fake", draft=True):
    import hashlib

    return RenderedPdf(content, 3, hashlib.sha256(content).hexdigest(), draft)


def test_validated_pdf_is_generated_once(cycle):
    _set_state(cycle, Cycle.State.VALIDATED)
    with mock.patch("reports.pdf.render_pdf", return_value=_fake_render(draft=False)) as render:
        first = services.pdf_generate(cycle)
        second = services.pdf_generate(cycle)
    assert render.call_count == 1
    assert first.pk == second.pk and first.sha256 == second.sha256


def test_validation_is_absent_for_drafts_and_without_records(monitoring, cycle):
    assert document_validation(monitoring) is None


def test_document_query_count_is_constant(cycle, django_assert_max_num_queries):
    # narratives 1, context tables 1, people 7, budget 4, map 4, common groups 3,
    # scorecard rows 1, units of the organization chart 1, validation 1, the strategic
    # objectives' trends 3, the corrections (the consistency snapshot).
    with django_assert_max_num_queries(27 + YEAR_DATA_QUERIES):
        doc = relazione_document(cycle)
    assert len(doc.units) == 10 and len(doc.individuals) == 2
    assert set(doc.charts) == {"objectives", "units", "budget", "gender"}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (9.4, "9,4"),
        (4884, "4.884"),
        (-1.4, "-1,4"),
        (Decimal("1234.50"), "1.234,50"),
        (None, "–"),
        ("Anno", "Anno"),
    ],
)
def test_it_cell(value, text):
    assert it_cell(value) == text


def test_horizontal_bars_svg():
    svg = charts.horizontal_bars(
        "Prova <&>",
        ["Uno", "Due"],
        [charts.Series("A", [Decimal("98.765"), None]), charts.Series("B", [Decimal(1284), 0])],
        decimals=2,
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>Prova &lt;&amp;&gt;</title>" in svg
    assert ">98,77<" in svg and ">1.284,00<" in svg and ">–<" in svg
    assert svg.count("<rect") == 4 + 2  # bars + legend keys
