"""Issue 15, point 5: the guardrails of the cycle, in the services (so the pages, the admin and
any command calling them obey the same rules). Closing data entry lists the missing actuals
and needs a recorded confirmation; submission needs every mandatory part of the Relazione or a
justification of each missing one; the OIV cannot validate with a remark open; the published
date is the date of the publishing transition; the public page links the PDF or says it is
being prepared."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.locking import YearLocked
from core.models import Cycle, Transition
from demo.workflow import demo_checklist
from finance.models import BudgetLine
from indicators.models import Indicator
from narratives.models import Narrative
from objectives.models import Scorecard
from reports.models import RelazionePdf
from staff.models import Headcount, StaffCategory
from workflow import selectors, services
from workflow.models import GapJustification, Remark, Validation

from .workflow_helpers import workflow_people


@pytest.fixture
def people(db):
    return workflow_people("g-")


def _close(cycle, who):
    services.cycle_transition(user=who, cycle=cycle, target="closed", confirm_missing=True)


def _write_every_section(cycle, who, *, but=()):
    for key in Narrative.Key:
        if key.value not in but:
            Narrative.objects.create(
                cycle=cycle, key=key.value, title=key.label, body=f"Testo {key.label}."
            )


def _fill_resources(cycle):
    BudgetLine.objects.create(
        cycle=cycle, group="A", code="1", label="Diritto annuale", forecast=10, actual=12
    )
    category = StaffCategory.objects.create(cycle=cycle, name="Categoria D", order=1)
    Headcount.objects.create(
        cycle=cycle, year=cycle.year, category=category, gender="F", contract="full", count=7
    )


# --- Closing data entry ------------------------------------------------------------------------


def test_close_lists_the_missing_actuals_and_needs_a_confirmation(y2024, people):
    empty = Indicator.objects.filter(cycle=y2024, actual="").count()
    assert empty  # the demo's 2024 has half of its actuals missing
    with pytest.raises(ValidationError, match=f"Sono ancora {empty} valori ottenuti da inserire"):
        services.cycle_transition(user=people["planning"], cycle=y2024, target="closed")
    y2024.refresh_from_db()
    assert y2024.state == "monitoring"
    assert not Transition.objects.filter(cycle=y2024, target="closed").exists()

    missing = selectors.missing_actuals(y2024)
    assert missing.total == empty
    assert (
        dict(missing.by_unit)["Promozione"]
        == Indicator.objects.filter(
            cycle=y2024, actual="", operational_objective__units__slug="promozione"
        ).count()
    )
    promozione = Scorecard.objects.get(cycle=y2024, slug="promozione")
    counted = {slug: n for _title, slug, n in missing.by_scorecard}
    assert counted["promozione"] == promozione.rows.filter(indicator__actual="").count()

    record = services.cycle_transition(
        user=people["planning"],
        cycle=y2024,
        target="closed",
        note="Chiusura alla scadenza.",
        confirm_missing=True,
    )
    assert record.note.startswith("Chiusura alla scadenza.\nChiusura confermata con ")
    assert f"{empty} valori ottenuti da inserire (" in record.note and "Promozione: " in record.note


def test_close_without_missing_actuals_needs_no_confirmation(y2024, people):
    Indicator.objects.filter(cycle=y2024, actual="").update(actual="NV")  # NV is an answer
    record = services.cycle_transition(user=people["planning"], cycle=y2024, target="closed")
    assert record.note == ""


def test_reclosing_a_returned_year_asks_again(y2024, people, no_findings):
    _close(y2024, people["planning"])
    _write_every_section(y2024, people["planning"])
    _fill_resources(y2024)
    services.cycle_transition(user=people["planning"], cycle=y2024, target="submitted")
    services.cycle_transition(user=people["oiv"], cycle=y2024, target="returned", note="Rivedere.")
    with pytest.raises(ValidationError, match="confermare la chiusura"):
        services.cycle_transition(user=people["planning"], cycle=y2024, target="closed")
    _close(y2024, people["planning"])


# --- Submitting to the OIV ---------------------------------------------------------------------


def test_submission_refused_while_a_mandatory_section_is_empty(y2024, people, no_findings):
    _close(y2024, people["planning"])
    _write_every_section(y2024, people["planning"], but={"premessa"})
    Narrative.objects.create(cycle=y2024, key="premessa", title="Premessa", body="   \n ")
    _fill_resources(y2024)
    with pytest.raises(ValidationError, match="«Premessa» non scritto") as refused:
        services.cycle_transition(user=people["planning"], cycle=y2024, target="submitted")
    assert "mancano 1 parti obbligatorie" in str(refused.value)
    y2024.refresh_from_db()
    assert y2024.state == "closed"
    Narrative.objects.filter(cycle=y2024, key="premessa").update(body="La Premessa.")
    services.cycle_transition(user=people["planning"], cycle=y2024, target="submitted")
    y2024.refresh_from_db()
    assert y2024.state == "submitted"


def test_submission_refused_without_resources_unless_each_gap_is_justified(
    y2024,
    people,
    no_findings,
):
    _close(y2024, people["planning"])
    _write_every_section(y2024, people["planning"])
    gaps = [gap.item for gap in selectors.submission_gaps(y2024)]
    assert gaps == ["risorse:conto-economico", "risorse:personale"]
    services.gap_justify(
        user=people["planning"], cycle=y2024, item=gaps[0], text="Bilancio non ancora approvato."
    )
    # One justification does not cover the other item.
    with pytest.raises(ValidationError, match="nessun dipendente in servizio al 31/12/2024"):
        services.cycle_transition(user=people["planning"], cycle=y2024, target="submitted")
    services.gap_justify(
        user=people["planning"], cycle=y2024, item=gaps[1], text="Dati HR in arrivo."
    )
    services.cycle_transition(user=people["planning"], cycle=y2024, target="submitted")
    assert GapJustification.objects.filter(cycle=y2024).count() == 2


def test_gap_justification_rules(y2024, people):
    for role in ("manager", "oiv", "admin"):
        with pytest.raises(PermissionDenied):
            services.gap_justify(
                user=people[role], cycle=y2024, item="testo:premessa", text="Motivo."
            )
    with pytest.raises(ValidationError, match="campo obbligatorio"):
        services.gap_justify(user=people["planning"], cycle=y2024, item="testo:premessa", text=" ")
    with pytest.raises(ValidationError, match="non manca"):
        services.gap_justify(user=people["planning"], cycle=y2024, item="testo:ignota", text="x")
    assert not GapJustification.objects.exists()


def test_gap_justifications_lock_with_the_validated_year(cycle, people):
    with pytest.raises(YearLocked):
        GapJustification.objects.create(
            cycle=cycle, item="testo:premessa", text="x", created_by=people["planning"]
        )


def test_demo_2023_has_every_mandatory_part(cycle):
    assert [gap.label for gap in selectors.submission_gaps(cycle)] == []


# --- Validation and remarks --------------------------------------------------------------------


def _submitted(cycle, people):
    _close(cycle, people["planning"])
    _write_every_section(cycle, people["planning"])
    _fill_resources(cycle)
    services.cycle_transition(user=people["planning"], cycle=cycle, target="submitted")
    for item in demo_checklist(cycle.body):
        services.checklist_answer(user=people["oiv"], cycle=cycle, item=item, checked=True)


def test_validation_refused_while_a_remark_is_open(y2024, people, no_findings):
    _submitted(y2024, people)
    remark = services.remark_create(
        user=people["oiv"], cycle=y2024, text="Citare la fonte.", section="generale"
    )
    with pytest.raises(ValidationError, match=r"chiudere le osservazioni aperte \(1\)"):
        services.cycle_validate(
            user=people["oiv"], cycle=y2024, statement="Validata.", date=timezone.localdate()
        )
    assert not Validation.objects.filter(cycle=y2024).exists()
    # The planning office answers, only the OIV closes.
    services.remark_reply(user=people["planning"], remark=remark, text="Fonte: Infocamere.")
    with pytest.raises(PermissionDenied):
        services.remark_close(user=people["planning"], remark=remark)
    services.remark_close(user=people["oiv"], remark=remark)
    services.cycle_validate(
        user=people["oiv"], cycle=y2024, statement="Validata.", date=timezone.localdate()
    )
    y2024.refresh_from_db()
    assert y2024.state == "validated"
    assert not Remark.objects.filter(cycle=y2024, status="open").exists()


def test_workspace_validation_form_shows_the_open_remarks_refusal(
    client,
    y2024,
    people,
    no_findings,
):
    _submitted(y2024, people)
    services.remark_create(user=people["oiv"], cycle=y2024, text="Da chiarire.", section="3")
    client.force_login(people["oiv"])
    response = client.post(
        reverse("workflow:validate", args=["cciaa-bergamo", 2024]),
        {"statement": "Validata.", "date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "chiudere le osservazioni aperte (1)" in response.content.decode()


# --- Publication -------------------------------------------------------------------------------


def test_demo_2023_is_dated_by_its_publishing_transition(cycle):
    published = Transition.objects.get(cycle=cycle, target="published")
    assert published.at.date() == dt.date(2024, 6, 20)
    cycle.publication.refresh_from_db()
    assert cycle.publication.published_at == published.at


def test_publication_date_is_the_transition_date(y2024, people, no_findings):
    _submitted(y2024, people)
    services.cycle_validate(
        user=people["oiv"], cycle=y2024, statement="Validata.", date=timezone.localdate()
    )
    record = services.cycle_transition(user=people["planning"], cycle=y2024, target="published")
    y2024.publication.refresh_from_db()
    assert y2024.publication.published_at == record.at


def test_public_page_links_the_pdf_or_says_it_is_being_prepared(client, cycle):
    page = client.get(reverse("public:year", args=["cciaa-bergamo", 2023])).content.decode()
    assert "pubblicata il 20/06/2024" in page
    if RelazionePdf.objects.filter(cycle=cycle).exists():
        assert reverse("public:pdf", args=["cciaa-bergamo", 2023]) in page
    RelazionePdf.objects.filter(cycle=cycle).delete()
    page = client.get(reverse("public:year", args=["cciaa-bergamo", 2023])).content.decode()
    assert reverse("public:pdf", args=["cciaa-bergamo", 2023]) not in page
    assert "in preparazione" in page


# --- Other paths -------------------------------------------------------------------------------


def test_admin_cannot_write_gap_justifications_nor_move_the_state(people):
    request = RequestFactory().get("/admin/")
    request.user = people["admin"]
    request.user.is_superuser = True
    admin = admin_site._registry[GapJustification]
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert "state" in admin_site._registry[Cycle].get_readonly_fields(request, obj=Cycle())
