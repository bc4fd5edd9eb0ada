"""The locked year: after validation every write path is refused and the data stay
byte-identical (verify_snapshot); the snapshot and its verification command."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse

from core.locking import StateOutsideWorkflow, YearLocked, unlocked
from core.models import Cycle
from finance.models import BudgetLine
from indicators.models import Indicator, ScorecardRow
from objectives.models import OperationalObjective, OrgUnit, StrategicObjective
from resources.models import DeclaredFigure
from staff.models import Headcount
from workflow import selectors, snapshot

from .workflow_helpers import make_user


def _verify(year=2023):
    call_command("verify_snapshot", "--year", str(year), "--ente", "cciaa-bergamo")


@pytest.fixture
def frozen(cycle):
    """The 2023 snapshot before the attempt; the test checks it after."""
    _text, sha = snapshot.take(cycle)
    assert sha == selectors.validation_of(cycle).snapshot_hash
    yield cycle
    assert snapshot.take(cycle)[1] == sha
    _verify()


def test_verify_snapshot_ok(cycle, capsys):
    _verify()
    out = capsys.readouterr().out
    assert "coincidono" in out and selectors.validation_of(cycle).snapshot_hash in out


def test_orm_save_refused(frozen):
    ind = Indicator.objects.filter(cycle=frozen).first()
    ind.actual = "999"
    with pytest.raises(YearLocked, match="validato dall'OIV"), transaction.atomic():
        ind.save()
    so = StrategicObjective.objects.filter(cycle=frozen).first()
    so.narrative = "altro testo"
    with pytest.raises(YearLocked), transaction.atomic():
        so.save()
    line = BudgetLine.objects.filter(cycle=frozen).exclude(actual=None).first()
    line.actual += 1
    with pytest.raises(YearLocked), transaction.atomic():
        line.save()
    head = Headcount.objects.filter(cycle=frozen).first()
    head.count += 1
    with pytest.raises(YearLocked), transaction.atomic():
        head.save()
    with pytest.raises(YearLocked), transaction.atomic():
        Indicator.objects.create(
            cycle=frozen,
            common_group=frozen.common_groups.first(),
            name="nuovo",
            kind="number",
        )


def test_orm_update_delete_bulk_refused(frozen):
    with pytest.raises(YearLocked), transaction.atomic():
        Indicator.objects.filter(cycle=frozen).update(actual="1")
    with pytest.raises(YearLocked), transaction.atomic():
        Indicator.objects.filter(cycle=frozen)[:1].get().delete()
    with pytest.raises(YearLocked), transaction.atomic():
        ScorecardRow.objects.filter(scorecard__cycle=frozen).delete()
    with pytest.raises(YearLocked), transaction.atomic():
        DeclaredFigure.objects.filter(cycle=frozen).update(text="x")
    with pytest.raises(YearLocked), transaction.atomic():
        frozen.indicators.all().update(weight=2)
    inds = list(Indicator.objects.filter(cycle=frozen)[:3])
    for ind in inds:
        ind.target = "0"
    with pytest.raises(YearLocked), transaction.atomic():
        Indicator.objects.bulk_update(inds, ["target"])
    with pytest.raises(YearLocked), transaction.atomic():
        DeclaredFigure.objects.bulk_create(
            [DeclaredFigure(cycle=frozen, table="t", key="k", label="l")]
        )
    op = OperationalObjective.objects.filter(cycle=frozen).first()
    with pytest.raises(YearLocked), transaction.atomic():
        op.units.add(OrgUnit.objects.exclude(operational_objectives=op).first())
    with pytest.raises(YearLocked), transaction.atomic():
        op.units.clear()


def test_cycle_itself_protected(frozen):
    with pytest.raises(YearLocked), transaction.atomic():
        Cycle.objects.get(pk=frozen.pk).delete()
    same = Cycle.objects.get(pk=frozen.pk)
    same.plan_reference = "altro"
    with pytest.raises(YearLocked), transaction.atomic():
        same.save()


def test_cycle_bulk_paths_protected(frozen):
    # update()/bulk_update() skip the signals that guard and log Cycle.save().
    locked = Cycle.objects.filter(pk=frozen.pk)
    with pytest.raises(YearLocked), transaction.atomic():
        locked.update(plan_reference="altro")
    with pytest.raises(YearLocked), transaction.atomic():
        locked.delete()
    copy = Cycle.objects.get(pk=frozen.pk)
    copy.plan_reference = "altro"
    with pytest.raises(YearLocked), transaction.atomic():
        Cycle.objects.bulk_update([copy], ["plan_reference"])
    # Any year's state moves only through a transition that records it, locked or not.
    y2024 = Cycle.objects.filter(body__slug="cciaa-bergamo", year=2024)
    for attempt in (
        lambda: locked.update(state=Cycle.State.MONITORING),
        lambda: y2024.update(state=Cycle.State.CLOSED),
        lambda: Cycle.objects.bulk_update(list(y2024), ["state"]),
    ):
        with pytest.raises(StateOutsideWorkflow, match="flusso di lavoro"):
            attempt()
    assert y2024.get().state == Cycle.State.MONITORING
    assert y2024.update(plan_reference="Delibera n. 1/2024") == 1  # an open year's own fields


def test_moving_a_row_out_of_a_locked_year_refused(frozen):
    other = Cycle.objects.get(body__slug="cciaa-bergamo", year=2024)
    ind = Indicator.objects.filter(cycle=frozen).first()
    ind.cycle = other
    with pytest.raises(YearLocked), transaction.atomic():
        ind.save()


def test_services_refused(frozen):
    from django.core.exceptions import PermissionDenied

    from indicators import services as indicator_services

    planner = make_user("p-lock", "planning")
    ind = Indicator.objects.select_related("cycle__body").filter(cycle=frozen).first()
    with pytest.raises(PermissionDenied):
        indicator_services.indicator_update_actual(
            user=planner, indicator=ind, actual="1", explanation="x", expected_version=None
        )


def test_form_and_admin_posts_refused(client, frozen):
    planner = make_user("p-form", "planning")
    client.force_login(planner)
    ind = Indicator.objects.filter(cycle=frozen).first()
    response = client.post(
        reverse("workflow:revisions", args=["cciaa-bergamo", 2023, ind.id]),
        {
            "new_target": "1",
            "reason": "x",
            "act_reference": "delibera",
            "act_date": "2023-05-01",
        },
    )
    assert response.status_code == 403
    admin = make_user("root", "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    figure = DeclaredFigure.objects.filter(cycle=frozen).first()
    url = reverse("admin:resources_declaredfigure_change", args=[figure.pk])
    response = client.post(
        url,
        {
            "cycle": frozen.pk,
            "table": figure.table,
            "key": figure.key,
            "label": "Cambiata",
            "value": "",
            "text": "1",
            "source": "",
        },
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:resources_declaredfigure_delete", args=[figure.pk]), {"post": "yes"}
    )
    assert response.status_code == 403


def test_management_command_refused(frozen, tmp_path):
    ind = Indicator.objects.filter(cycle=frozen).first()
    fixture = tmp_path / "change.json"
    fields = {
        "cycle": frozen.pk,
        "operational_objective": ind.operational_objective_id,
        "common_group": ind.common_group_id,
        "name": ind.name,
        "kind": ind.kind,
        "direction": ind.direction,
        "target": ind.target,
        "actual": "12345",
        "weight": str(ind.weight),
    }
    fixture.write_text(
        json.dumps([{"model": "indicators.indicator", "pk": ind.pk, "fields": fields}])
    )
    with pytest.raises(YearLocked), transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)


def test_unlocked_year_is_writable(db):
    y2024 = Cycle.objects.get(body__slug="cciaa-bergamo", year=2024)
    assert Indicator.objects.filter(cycle=y2024).update(notes="ok") > 0
    ind = Indicator.objects.filter(cycle=y2024).first()
    ind.actual = "3"
    ind.save()


def test_verify_snapshot_reports_differences(cycle):
    ind = Indicator.objects.filter(cycle=cycle).exclude(actual="").first()
    with unlocked():
        Indicator.objects.filter(pk=ind.pk).update(actual="0,01")
        BudgetLine.objects.filter(cycle=cycle).exclude(actual=None).order_by("code")[:1].get()
    with pytest.raises(CommandError) as info:
        _verify()
    report = str(info.value)
    assert "NON coincidono" in report
    assert "Indicatori" in report and "valore_ottenuto" in report and "'0,01'" in report


def test_verify_snapshot_detects_stored_figures_changed_outside_the_app(cycle):
    # The pages print the stored % and outcome: derived from the validated data, they are
    # checked against them (raw SQL, as a reviewer did, set them to 0 / not achieved).
    ind = Indicator.objects.filter(cycle=cycle, status="achieved").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE indicators_indicator SET realization = 0, status = 'not_achieved' "
            "WHERE id = %s",
            [ind.pk],
        )
    with pytest.raises(CommandError) as info:
        _verify()
    assert "memorizzati di 1 indicatori" in str(info.value) and str(ind.pk) in str(info.value)


def test_verify_snapshot_detects_a_tampered_validation(cycle):
    validation = selectors.validation_of(cycle)
    type(validation).objects.filter(pk=validation.pk).update(
        snapshot=validation.snapshot.replace('"anno":2023', '"anno":2022')
    )
    with pytest.raises(CommandError, match="alterata"):
        _verify()


def test_differences_are_pure_and_readable():
    old = {"indicatori": [{"chiave": "1 A", "valore_ottenuto": "5"}], "ciclo": {"anno": 2023}}
    new = {"indicatori": [{"chiave": "1 A", "valore_ottenuto": "6"}, {"chiave": "2 B"}]}
    new["ciclo"] = {"anno": 2023}
    assert snapshot.differences(old, new) == [
        "Indicatori · «1 A» · valore_ottenuto: validato '5', ora '6'.",
        "Indicatori · «2 B»: aggiunto dopo la validazione.",
    ]
    assert snapshot.differences(old, old) == []


def test_snapshot_is_canonical(cycle, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):  # one query per table, whatever the plan's size
        data = snapshot.build_snapshot(cycle)
    text = snapshot.canonical(data)
    assert text == snapshot.canonical(json.loads(text))
    assert len(data["indicatori"]) == Indicator.objects.filter(cycle=cycle).count()
    assert data["ciclo"]["anno"] == 2023 and data["conto_economico"]
