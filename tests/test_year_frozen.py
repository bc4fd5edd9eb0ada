"""Everything a validated year shows is frozen with it (issue 13, points 1 and 3).

The body's settings that enter the computation (bands, missed-deadline rule), the units' names
and codes and the OIV's checklist texts belong to the year: a change applies to the years not
yet submitted to the OIV, the validated 2023 keeps its pages, open data and snapshot. Every ORM
path to a row of 2023 is refused (default and base managers, the units' through table, bulk
operations); the context and resources freeze at the submission; ``verify_snapshot`` detects a
change made behind the guard (raw SQL), a rename included.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from core import locking
from core.locking import YearLocked, unlocked
from core.models import Body, Cycle
from core.querysets import CycleOwnedQuerySet
from dashboards.export import export_rows, to_csv
from finance.models import BudgetLine
from indicators.models import Indicator
from narratives.models import Narrative
from objectives.models import CycleUnit, OperationalObjective, OrgUnit
from resources.models import ContextTable
from staff.models import Headcount, StaffCategory
from tests.people import *  # noqa: F403
from tests.people import log_in, set_state
from workflow import selectors, snapshot
from workflow.models import ChecklistAnswer, ChecklistItem, Validation

D = Decimal


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def year_2024(cycle):
    return Cycle.objects.get(body=cycle.body, year=2024)


def _public(client, name, *args) -> str:
    cache.clear()  # the public pages are cached per publication
    response = client.get(reverse(f"public:{name}", args=["cciaa-bergamo", 2023, *args]))
    assert response.status_code == 200
    return response.content.decode()


def _shown_2023(client):
    """What 2023 shows: the pages that print bands and units, the open data, the snapshot."""
    op = (
        OperationalObjective.objects.filter(
            cycle__year=2023,
            units__year_labels__cycle__year=2023,
            units__year_labels__slug="promozione",
        )
        .select_related("strategic_objective")
        .first()
    )
    return {
        "map": _public(client, "map"),
        "scorecard": _public(client, "scorecard", "promozione"),
        "objective": _public(client, "objective", op.strategic_objective.code),
        "csv": _public(client, "download", "indicatori", "csv"),
    }


def _assert_2023_unchanged(client, cycle, before):
    after = _shown_2023(client)
    for name in before:
        assert after[name] == before[name], name
    assert snapshot.take(cycle)[1] == selectors.validation_of(cycle).snapshot_hash
    call_command("verify_snapshot", "--year", "2023", "--ente", "cciaa-bergamo")


# --- The body's settings belong to the year ------------------------------------------------


def test_a_new_year_takes_the_bodys_settings_of_the_day(cycle):
    body = cycle.body
    assert (cycle.band_achieved_from, cycle.band_partial_from) == (
        body.band_achieved_from,
        body.band_partial_from,
    )
    body.band_achieved_from, body.missed_deadline_pct = D(95), D(25)
    body.save()
    new = Cycle.objects.create(body=body, year=2030)
    assert (new.band_achieved_from, new.missed_deadline_pct) == (D(95), D(25))
    assert new.bands.achieved_from == D(95)


def test_band_change_keeps_2023_and_reaches_2024(client, cycle, year_2024, people):
    before = _shown_2023(client)
    assert "raggiunto da 90%" in before["map"]
    body = Body.objects.get(pk=cycle.body_id)  # as the admin's change form saves it
    body.band_achieved_from, body.band_partial_from = D(99), D(95)
    body.save()

    _assert_2023_unchanged(client, cycle, before)
    year_2024.refresh_from_db()
    assert (year_2024.band_achieved_from, year_2024.band_partial_from) == (D(99), D(95))
    log_in(client, people.planning)
    page = client.get(reverse("dashboards:map", args=["cciaa-bergamo", 2024])).content.decode()
    assert "raggiunto da 99%" in page and "parzialmente raggiunto da 95%" in page


def test_missed_deadline_rule_change_keeps_2023_open_data(client, cycle, year_2024):
    before = _shown_2023(client)
    # The rule does change 2023's figures if applied to it (so the test can fail).
    changed = Cycle.objects.get(pk=cycle.pk)
    changed.missed_deadline_pct = D(50)
    assert to_csv(export_rows(changed)) != to_csv(export_rows(cycle))

    Body.objects.filter(pk=cycle.body_id).update(missed_deadline_pct=D(50))  # bulk path too

    _assert_2023_unchanged(client, cycle, before)
    year_2024.refresh_from_db()
    assert year_2024.missed_deadline_pct == D(50)


def test_the_admin_change_of_the_bands_keeps_2023(client, cycle, year_2024, people):
    """As measured: the administrator changes the thresholds at /admin/core/body/<id>/."""
    before = _shown_2023(client)
    body = cycle.body
    log_in(client, people.admin)
    response = client.post(
        reverse("admin:core_body_change", args=[body.pk]),
        {
            "name": body.name,
            "short_name": body.short_name,
            "slug": body.slug,
            "kind": body.kind,
            "tax_code": body.tax_code,
            "band_achieved_from": "75",
            "band_partial_from": "50",
            "missed_deadline_pct": "40",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    _assert_2023_unchanged(client, cycle, before)
    year_2024.refresh_from_db()
    assert (year_2024.band_achieved_from, year_2024.missed_deadline_pct) == (D(75), D(40))


def test_the_admin_rename_of_a_unit_keeps_2023(client, cycle, year_2024, people):
    """As measured: the planning office renames Promozione at /admin/objectives/orgunit/."""
    before = _shown_2023(client)
    unit = OrgUnit.objects.get(body=cycle.body, slug="promozione")
    log_in(client, people.planning)
    response = client.post(
        reverse("admin:objectives_orgunit_change", args=[unit.pk]),
        {
            "body": unit.body_id,
            "parent": unit.parent_id or "",
            "kind": unit.kind,
            "name": "Promozione rinominata",
            "slug": "promozione-rinominata",
            "order": unit.order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    _assert_2023_unchanged(client, cycle, before)
    label = CycleUnit.objects.get(cycle=year_2024, unit=unit)
    assert (label.name, label.slug) == ("Promozione rinominata", "promozione-rinominata")


def test_body_rename_keeps_2023_and_reaches_2024(client, cycle, year_2024):
    old = cycle.body.name
    before = _public(client, "year")
    assert old in before
    body = Body.objects.get(pk=cycle.body_id)
    body.name, body.short_name = "Camera di commercio di Bergamo e Sondrio", "CCIAA BG-SO"
    body.save()

    assert _public(client, "year") == before
    assert snapshot.take(cycle)[1] == selectors.validation_of(cycle).snapshot_hash
    year_2024.refresh_from_db()
    assert (year_2024.body_name, str(year_2024)) == (body.name, "CCIAA BG-SO 2024")
    cycle.refresh_from_db()
    assert cycle.body_name == old


def test_body_bulk_update_reaches_open_years_only(cycle, year_2024):
    set_state(year_2024, Cycle.State.SUBMITTED)
    Body._base_manager.filter(pk=cycle.body_id).update(band_partial_from=D(10))
    year_2024.refresh_from_db()
    cycle.refresh_from_db()
    assert year_2024.band_partial_from == cycle.band_partial_from == D(60)
    set_state(year_2024, Cycle.State.RETURNED)
    body = Body.objects.get(pk=cycle.body_id)
    Body.objects.bulk_update([body], ["band_partial_from"])
    year_2024.refresh_from_db()
    assert year_2024.band_partial_from == D(10)


def test_a_validated_years_own_settings_cannot_change(cycle):
    cycle.band_achieved_from = D(50)
    with pytest.raises(YearLocked), transaction.atomic():
        cycle.save()
    with pytest.raises(YearLocked), transaction.atomic():
        Cycle.objects.filter(pk=cycle.pk).update(missed_deadline_pct=D(1))
    with pytest.raises(YearLocked), transaction.atomic():
        Cycle._base_manager.filter(pk=cycle.pk).update(missed_deadline_pct=D(1))


# --- Unit names and codes belong to the year -------------------------------------------------


def test_unit_rename_keeps_2023_and_reaches_2024(client, cycle, year_2024, people):
    before = _shown_2023(client)
    assert "Unità: Promozione" in before["scorecard"]
    assert "Promozione" in before["objective"]
    unit = OrgUnit.objects.get(body=cycle.body, slug="promozione")
    unit.name = "Promozione e sviluppo del territorio"
    unit.save()  # as the admin's change form saves it

    _assert_2023_unchanged(client, cycle, before)
    assert "sviluppo del territorio" not in _public(client, "scorecard", "promozione")
    log_in(client, people.planning)
    page = client.get(
        reverse("dashboards:scorecard", args=["cciaa-bergamo", 2024, "promozione"])
    ).content
    assert "Unità: Promozione e sviluppo del territorio" in page.decode()
    assert CycleUnit.objects.get(cycle=cycle, unit=unit).name == "Promozione"


def test_unit_reordering_keeps_2023s_order(client, cycle, year_2024):
    before = _shown_2023(client)
    op = OperationalObjective.objects.filter(cycle=cycle).annotate(n=Count("units"))
    op = op.filter(n__gte=2).first()
    units = list(OrgUnit.objects.as_of(cycle).filter(operational_objectives=op))
    assert len(units) >= 2
    # The last unit first, the first last: by update() and by save().
    OrgUnit.objects.filter(pk=units[-1].pk).update(order=0)
    first = OrgUnit.objects.get(pk=units[0].pk)
    first.order = 999
    first.save()

    _assert_2023_unchanged(client, cycle, before)
    assert list(OrgUnit.objects.as_of(cycle).filter(operational_objectives=op)) == units
    shown_2024 = [
        u.pk for u in OrgUnit.objects.as_of(year_2024).filter(pk__in=[u.pk for u in units])
    ]
    assert shown_2024[0] == units[-1].pk and shown_2024[-1] == units[0].pk


def test_unit_code_change_and_bulk_rename_keep_2023(client, cycle, year_2024):
    before = _shown_2023(client)
    unit = OrgUnit.objects.get(body=cycle.body, slug="promozione")
    unit.slug = "promozione-economica"
    unit.save()
    OrgUnit.objects.filter(pk=unit.pk).update(name="PROMO")
    OrgUnit._base_manager.filter(pk=unit.pk).update(name="PROMO 2")

    _assert_2023_unchanged(client, cycle, before)
    label_2024 = CycleUnit.objects.get(cycle=year_2024, unit=unit)
    assert (label_2024.name, label_2024.slug) == ("PROMO 2", "promozione-economica")
    assert [u.year_slug for u in OrgUnit.objects.as_of(cycle).filter(pk=unit.pk)] == ["promozione"]


def test_a_new_unit_appears_in_the_open_years_only(cycle, year_2024):
    unit = OrgUnit.objects.create(body=cycle.body, kind="office", name="Nuovo", slug="nuovo")
    assert CycleUnit.objects.filter(cycle=year_2024, unit=unit).exists()
    assert not CycleUnit.objects.filter(cycle=cycle, unit=unit).exists()


def test_a_unit_of_the_validated_year_cannot_be_deleted(cycle):
    """Its name in 2023 (and its assignments) would go: refused by the year's lock, even for a
    unit that no cruscotto or child unit holds back."""
    set_state(cycle, Cycle.State.MONITORING)  # a unit of 2023 with no cruscotto
    unit = OrgUnit.objects.create(body=cycle.body, kind="office", name="Ufficio", slug="uff")
    set_state(cycle, Cycle.State.PUBLISHED)
    assert CycleUnit.objects.filter(cycle=cycle, unit=unit).exists()
    with pytest.raises(YearLocked), transaction.atomic():
        unit.delete()
    assert CycleUnit.objects.filter(cycle=cycle, unit=unit).exists()


# --- The checklist the OIV signed ------------------------------------------------------------


def test_checklist_text_change_keeps_what_the_oiv_signed(cycle, year_2024):
    signed = [line.text for line in selectors.checklist_of(cycle)]
    assert signed and all(line.checked for line in selectors.checklist_of(cycle))
    item = ChecklistItem.objects.filter(body=cycle.body).order_by("order").first()
    item.text = "Testo riscritto dopo la validazione"
    item.save()
    ChecklistItem.objects.filter(pk=item.pk).update(active=False)

    assert [line.text for line in selectors.checklist_of(cycle)] == signed
    assert snapshot.take(cycle)[1] == selectors.validation_of(cycle).snapshot_hash
    with pytest.raises(YearLocked), transaction.atomic():
        ChecklistAnswer.objects.filter(cycle=cycle).update(text="altro")
    with pytest.raises(YearLocked), transaction.atomic():
        item.delete()


def test_an_answer_to_an_older_text_does_not_count(cycle, year_2024, people):
    from workflow import services

    set_state(year_2024, Cycle.State.SUBMITTED)
    items = list(ChecklistItem.objects.filter(body=cycle.body, active=True))
    for item in items:
        services.checklist_answer(user=people.oiv, cycle=year_2024, item=item, checked=True)
    assert services.checklist_missing(year_2024) == []
    items[0].text = "Una verifica riformulata"
    items[0].save()
    assert services.checklist_missing(year_2024) == [items[0]]
    line = selectors.checklist_of(year_2024)[0]
    assert line.text == "Una verifica riformulata" and not line.checked


# --- Every ORM path to a row of 2023 is refused ----------------------------------------------


def test_every_guarded_model_has_the_guarded_base_manager():
    through = OperationalObjective.units.through
    models = [*locking.guarded_models(), through]
    assert {"CycleUnit", "ChecklistAnswer"} <= {m.__name__ for m in models}
    for model in models:
        assert isinstance(model._base_manager.all(), CycleOwnedQuerySet), model
        assert isinstance(model._default_manager.all(), CycleOwnedQuerySet), model


@pytest.mark.parametrize(
    "attempt",
    [
        lambda c: Indicator._base_manager.filter(cycle=c).update(actual="1"),
        lambda c: Indicator._base_manager.filter(cycle=c).delete(),
        lambda c: Narrative._base_manager.filter(cycle=c).update(body="riscritto"),
        lambda c: Narrative._base_manager.filter(cycle=c).delete(),
        lambda c: CycleUnit.objects.filter(cycle=c).update(name="altro"),
        lambda c: CycleUnit._base_manager.filter(cycle=c).delete(),
        lambda c: ChecklistAnswer._base_manager.filter(cycle=c).update(checked=False),
        lambda c: OperationalObjective.units.through.objects.filter(
            operationalobjective__cycle=c
        ).delete(),
        lambda c: OperationalObjective.units.through._base_manager.filter(
            operationalobjective__cycle=c
        ).update(orgunit=OrgUnit.objects.get(body__slug="cciaa-bergamo", slug="registro-imprese")),
        lambda c: OperationalObjective.units.through.objects.bulk_create(
            [
                OperationalObjective.units.through(
                    operationalobjective=OperationalObjective.objects.filter(cycle=c).first(),
                    orgunit=OrgUnit.objects.create(body=c.body, kind="office", name="N", slug="n"),
                )
            ]
        ),
        lambda c: OperationalObjective.objects.filter(cycle=c).first().units.clear(),
        lambda c: OrgUnit.objects.get(
            body__slug="cciaa-bergamo", slug="promozione"
        ).operational_objectives.clear(),
        lambda c: OrgUnit.objects.get(
            body__slug="cciaa-bergamo", slug="promozione"
        ).operational_objectives.remove(
            *OperationalObjective.objects.filter(cycle=c, units__slug="promozione")
        ),
    ],
    ids=[
        "indicator-base-update",
        "indicator-base-delete",
        "narrative-base-update",
        "narrative-base-delete",
        "unit-label-update",
        "unit-label-base-delete",
        "checklist-answer-base-update",
        "through-delete",
        "through-base-update",
        "through-bulk-create",
        "m2m-clear",
        "m2m-reverse-clear",
        "m2m-reverse-remove",
    ],
)
def test_orm_path_refused_on_2023(cycle, attempt):
    sha = selectors.validation_of(cycle).snapshot_hash
    with pytest.raises(YearLocked), transaction.atomic():
        attempt(cycle)
    assert snapshot.take(cycle)[1] == sha


def test_moving_a_through_row_into_2023_is_refused(cycle, year_2024):
    through = OperationalObjective.units.through
    row = through.objects.filter(operationalobjective__cycle=year_2024).first()
    target = OperationalObjective.objects.filter(cycle=cycle).first()
    with pytest.raises(YearLocked), transaction.atomic():
        through.objects.filter(pk=row.pk).update(operationalobjective=target)


# --- Context and resources freeze at the submission ------------------------------------------


@pytest.fixture
def submitted_2024(year_2024):
    """2024 with a budget line, a staff row and a context table, then submitted to the OIV."""
    set_state(year_2024, Cycle.State.MONITORING)
    line = BudgetLine.objects.create(
        cycle=year_2024, code="T1", group="A", label="Voce di prova", forecast=D(1), actual=D(2)
    )
    category = StaffCategory.objects.create(cycle=year_2024, name="Area di prova")
    head = Headcount.objects.create(
        cycle=year_2024, year=2024, category=category, gender="F", contract="full", count=3
    )
    table = ContextTable.objects.create(cycle=year_2024, key="prova", title="Prova")
    set_state(year_2024, Cycle.State.SUBMITTED)
    return year_2024, line, head, table


@pytest.mark.parametrize(
    "attempt",
    [
        lambda c, line, head, table: BudgetLine.objects.filter(pk=line.pk).update(actual=D(9)),
        lambda c, line, head, table: BudgetLine._base_manager.filter(pk=line.pk).delete(),
        lambda c, line, head, table: BudgetLine.objects.create(
            cycle=c, code="T2", group="A", label="Altra voce"
        ),
        lambda c, line, head, table: Headcount.objects.filter(pk=head.pk).update(count=4),
        lambda c, line, head, table: head.delete(),
        lambda c, line, head, table: ContextTable.objects.filter(pk=table.pk).update(title="X"),
        lambda c, line, head, table: ContextTable._base_manager.filter(pk=table.pk).update(
            rows=[["x"]]
        ),
        lambda c, line, head, table: ContextTable.objects.bulk_create(
            [ContextTable(cycle=c, key="altra", title="Altra")]
        ),
    ],
    ids=[
        "budget-update",
        "budget-base-delete",
        "budget-create",
        "headcount-update",
        "headcount-delete",
        "context-update",
        "context-base-update",
        "context-bulk-create",
    ],
)
def test_context_and_resources_refused_while_submitted(submitted_2024, attempt):
    with pytest.raises(YearLocked, match="trasmesso all'OIV"), transaction.atomic():
        attempt(*submitted_2024)


def test_context_and_resources_reopen_when_returned(submitted_2024, people):
    from accounts.permissions import can_edit_resources

    year, line, _head, table = submitted_2024
    assert not can_edit_resources(people.planning, year)
    set_state(year, Cycle.State.RETURNED)
    assert can_edit_resources(people.planning, year)
    BudgetLine.objects.filter(pk=line.pk).update(actual=D(9))
    table.title = "Riveduta"
    table.save()


def test_context_pages_refuse_a_write_while_submitted(client, submitted_2024, people):
    year, _line, _head, _table = submitted_2024
    log_in(client, people.planning)
    response = client.post(
        reverse("resources:context_list", args=["cciaa-bergamo", year.year]),
        {"key": "nuova", "title": "Nuova"},
    )
    assert response.status_code in (302, 403)
    assert not ContextTable.objects.filter(cycle=year, key="nuova").exists()


# --- verify_snapshot detects what goes behind the guard --------------------------------------


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify_fails(match):
    with pytest.raises(CommandError, match=match):
        call_command("verify_snapshot", "--year", "2023", "--ente", "cciaa-bergamo")


def test_verify_snapshot_detects_a_unit_renamed_in_the_year(cycle):
    label = CycleUnit.objects.get(cycle=cycle, unit__slug="promozione")
    _raw("UPDATE objectives_cycleunit SET name = %s WHERE id = %s", ["PROMO", label.pk])
    _verify_fails(r"Unità organizzative nell'anno · «promozione» · nome: validato 'Promozione'")


def test_verify_snapshot_detects_a_unit_code_changed_in_the_year(cycle):
    with unlocked():
        CycleUnit.objects.filter(cycle=cycle, slug="promozione").update(slug="promo")
    _verify_fails("«promo»: aggiunto dopo la validazione")


def test_verify_snapshot_detects_the_years_thresholds(cycle):
    _raw(
        "UPDATE relazione_cycle SET band_achieved_from = %s WHERE id = %s",
        ["80", cycle.pk],
    )
    _verify_fails(r"Ciclo · soglia_raggiunto: validato '90', ora '80'")


def test_verify_snapshot_detects_the_body_name_of_the_year(cycle):
    _raw("UPDATE relazione_cycle SET body_name = %s WHERE id = %s", ["Altro ente", cycle.pk])
    _verify_fails("Ciclo · ente_denominazione")


def test_verify_snapshot_detects_the_checklist(cycle):
    _raw(
        "UPDATE workflow_checklistanswer SET checked = %s WHERE cycle_id = %s",
        [False, cycle.pk],
    )
    _verify_fails("Lista di verifica dell'OIV")


def test_verify_snapshot_detects_a_unit_taken_off_an_objective(cycle):
    through = OperationalObjective.units.through
    row = through.objects.filter(operationalobjective__cycle=cycle).first()
    _raw("DELETE FROM objectives_operationalobjective_units WHERE id = %s", [row.pk])
    _verify_fails("Obiettivi operativi")


def test_a_version_1_snapshot_stays_verifiable(cycle, capsys):
    """A validation stored before version 2 is rebuilt in version 1, and says what it does not
    cover; a change inside what it covers is still found."""
    text = snapshot.canonical(snapshot.build_snapshot(cycle, 1))
    assert '"versione":1' in text and "lista_di_verifica" not in text
    with unlocked():
        Validation.objects.filter(cycle=cycle, voided=False).update(
            snapshot=text, snapshot_hash=snapshot.digest(text)
        )
    call_command("verify_snapshot", "--year", "2023", "--ente", "cciaa-bergamo")
    out = capsys.readouterr().out
    assert "coincidono" in out and "formato 1: non copre" in out
    _raw(
        "UPDATE relazione_cycle SET missed_deadline_pct = %s WHERE id = %s",
        ["10", cycle.pk],
    )
    _verify_fails("scadenza_mancata_pct")


def test_a_version_4_snapshot_stays_verifiable(cycle, capsys):
    """A validation stored in version 4 is rebuilt in version 4: it says it does not cover the
    plan's depth and the levels' names, and still finds a change inside what it covers."""
    text = snapshot.canonical(snapshot.build_snapshot(cycle, 4))
    assert '"versione":4' in text and "nomi_dei_livelli" not in text
    with unlocked():
        Validation.objects.filter(cycle=cycle, voided=False).update(
            snapshot=text, snapshot_hash=snapshot.digest(text)
        )
    _raw("UPDATE relazione_cycle SET strategic_label = %s WHERE id = %s", ["Obiettivo", cycle.pk])
    call_command("verify_snapshot", "--year", "2023", "--ente", "cciaa-bergamo")
    out = capsys.readouterr().out
    assert "coincidono" in out and "formato 4: non copre livelli impliciti" in out
    _raw("UPDATE indicators_indicator SET baseline = %s WHERE cycle_id = %s", ["1", cycle.pk])
    _verify_fails("valore_di_partenza")


def test_verify_snapshot_detects_the_level_names_of_the_year(cycle):
    _raw("UPDATE relazione_cycle SET strategic_label = %s WHERE id = %s", ["Obiettivo", cycle.pk])
    _verify_fails("Ciclo · nomi_dei_livelli")


def test_an_unknown_snapshot_version_is_refused(cycle):
    with pytest.raises(ValueError, match="sconosciuta"):
        snapshot.build_snapshot(cycle, 99)


def test_the_snapshot_names_every_unit_as_the_year_shows_it(cycle):
    data = snapshot.build_snapshot(cycle)
    promozione = OrgUnit.objects.get(body=cycle.body, slug="promozione")
    assert {"chiave": "promozione", "nome": "Promozione", "ordine": promozione.order} in (
        data["unita"]
    )
    assert data["ciclo"]["ente_denominazione"] == cycle.body.name
    assert apps.get_model("workflow", "ChecklistAnswer").objects.filter(cycle=cycle).count() == (
        len(data["lista_di_verifica"])
    )


def test_texts_refused_on_every_path_while_submitted(year_2024):
    """The Relazione's texts freeze at submission below the services too: the ORM (default and
    base managers), as the narrative page and its service already refuse."""
    set_state(year_2024, Cycle.State.MONITORING)
    text = Narrative.objects.create(cycle=year_2024, key="premessa", title="Premessa", body="x")
    set_state(year_2024, Cycle.State.SUBMITTED)
    for attempt in (
        lambda: Narrative.objects.filter(pk=text.pk).update(body="riscritto"),
        lambda: Narrative._base_manager.filter(pk=text.pk).update(body="riscritto"),
        lambda: Narrative.objects.create(cycle=year_2024, key="altro", title="Altro", body="y"),
    ):
        with pytest.raises(YearLocked, match="trasmesso all'OIV"), transaction.atomic():
            attempt()
    set_state(year_2024, Cycle.State.RETURNED)  # a return reopens them
    Narrative.objects.filter(pk=text.pk).update(body="riveduto")
    assert Narrative.objects.get(pk=text.pk).body == "riveduto"
