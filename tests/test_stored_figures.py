"""The stored % realization and band (Indicator.realization, status): every write path sets
them through indicators.domain, the rules of the year refresh them, rebuild_figures recomputes
them without touching a validated year, and CALC-001 reports a stored figure that is wrong."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from consistency import rules
from consistency.selectors import year_data_build
from core.measurement import Band
from core.models import Body, Cycle
from core.selectors import measurement_rules
from indicators import domain, services
from indicators.entry import RowInput
from indicators.models import Indicator
from scale.generator import plan_generate
from tests.people import *  # noqa: F403
from workflow import services as workflow_services

pytestmark = pytest.mark.django_db


def _recomputed(ind: Indicator):
    rules_ = measurement_rules(Cycle.objects.get(pk=ind.cycle_id))
    return domain.stored_figures(ind.kind, ind.direction, ind.target, ind.actual, rules_)


def _all_right(cycle) -> None:
    wrong = [
        ind.id
        for ind in Indicator.objects.filter(cycle=cycle)
        if (ind.realization, ind.status) != _recomputed(ind)
    ]
    assert wrong == []


def test_demo_generator_and_migration_leave_every_figure_right(cycle):
    _all_right(cycle)
    assert Indicator.objects.filter(cycle=cycle, status=Band.ACHIEVED).exists()
    plan = plan_generate(units=8, indicators=60, years=1, seed=3, first_year=2061)
    _all_right(plan.cycles[0])
    assert Indicator.objects.filter(cycle=plan.cycles[0], realization__isnull=False).exists()


def test_single_write_sets_the_figures(open_cycle, people, unit_a_indicator):
    ind = unit_a_indicator  # target 13
    services.indicator_update_actual(
        user=people.planning, indicator=ind, actual="6", explanation="Calo.", expected_version=None
    )
    ind.refresh_from_db()
    assert ind.realization == Decimal("46.15") and ind.status == Band.NOT_ACHIEVED
    services.indicator_update_actual(
        user=people.planning, indicator=ind, actual="13", explanation="", expected_version=None
    )
    ind.refresh_from_db()
    assert (ind.realization, ind.status) == (Decimal(100), Band.ACHIEVED)


def test_plan_edit_and_revision_set_the_figures(cycle, people, unit_a_indicator):
    ind = unit_a_indicator
    set_state(cycle, Cycle.State.PLANNING)  # noqa: F405
    ind.cycle = cycle
    services.indicator_update(user=people.planning, indicator=ind, target="28")
    ind.refresh_from_db()
    assert ind.realization == Decimal("50.00") and ind.status == Band.NOT_ACHIEVED
    set_state(cycle, Cycle.State.MONITORING)  # noqa: F405
    workflow_services.target_revise(
        user=people.planning,
        indicator=ind,
        new_target="16",
        reason="Riprogrammazione.",
        act_reference="delibera n. 1/2023",
        act_date=dt.date(2023, 7, 1),
    )
    ind.refresh_from_db()
    assert ind.realization == Decimal("87.50") and ind.status == Band.PARTIAL


def test_excel_import_sets_the_figures_in_its_statement(open_cycle, people, unit_a_indicator):
    ind = unit_a_indicator
    services.actuals_import_apply(
        user=people.planning,
        cycle=open_cycle,
        rows=[RowInput(2, ind.id, ind.version, "12", "Di poco sotto.")],
    )
    ind.refresh_from_db()
    assert ind.actual == "12" and (ind.realization, ind.status) == _recomputed(ind)
    assert ind.status == Band.ACHIEVED  # 92,31%


def test_queryset_update_and_bulk_update_set_the_figures(open_cycle, unit_a_indicator):
    ind = unit_a_indicator
    Indicator.objects.filter(pk=ind.pk).update(actual="1")
    ind.refresh_from_db()
    assert ind.status == Band.NOT_ACHIEVED and ind.realization == Decimal("7.69")
    ind.actual = "NV"
    Indicator.objects.bulk_update([ind], ["actual"])
    ind.refresh_from_db()
    assert (ind.realization, ind.status) == (None, Band.NV)


def test_a_change_of_the_rules_refreshes_the_open_years_only(cycle, y2024):
    deadline = Indicator.objects.filter(cycle=y2024, kind="deadline").first()
    Indicator.objects.filter(pk=deadline.pk).update(target="30/06/2024", actual="01/07/2024")
    deadline.refresh_from_db()
    assert deadline.realization == Decimal(0)
    before_2023 = dict(Indicator.objects.filter(cycle=cycle).values_list("id", "realization"))
    body = Body.objects.get(pk=y2024.body_id)
    body.missed_deadline_pct = Decimal(50)
    body.band_partial_from = Decimal(40)
    body.save()
    deadline.refresh_from_db()
    assert (deadline.realization, deadline.status) == (Decimal(50), Band.PARTIAL)
    # 2023 is published: its rules and figures stay as validated.
    after_2023 = dict(Indicator.objects.filter(cycle=cycle).values_list("id", "realization"))
    assert after_2023 == before_2023
    # The year's own settings (the rules page of the year) refresh it too.
    y2024.refresh_from_db()
    y2024.missed_deadline_pct = Decimal(20)
    y2024.save()
    deadline.refresh_from_db()
    assert deadline.realization == Decimal(20)


def _spoil(ind: Indicator) -> None:
    # Only the stored figure: no source field, so the queryset writes it as given.
    Indicator.objects.filter(pk=ind.pk).update(realization=Decimal("1.00"), status="partial")


def test_consistency_rule_reports_a_wrong_stored_figure(open_cycle, unit_a_indicator):
    assert "CALC-001" in rules.RULES
    data = year_data_build(cycle=open_cycle)
    assert not list(rules.check_stored_figures(data))
    _spoil(unit_a_indicator)
    findings = list(rules.check_stored_figures(year_data_build(cycle=open_cycle)))
    assert [f.subject for f in findings] == [f"indicator:{unit_a_indicator.id}"]
    assert "1%" in findings[0].message


def test_rebuild_figures_writes_open_years(open_cycle, unit_a_indicator, capsys):
    _spoil(unit_a_indicator)
    call_command("rebuild_figures", year=2023, dry_run=True)
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.realization == Decimal("1.00")
    call_command("rebuild_figures", year=2023)
    assert "1 ricalcolate" in capsys.readouterr().out
    unit_a_indicator.refresh_from_db()
    assert (unit_a_indicator.realization, unit_a_indicator.status) == (Decimal(100), Band.ACHIEVED)


def test_rebuild_figures_never_writes_a_validated_year(cycle, unit_a_indicator, capsys):
    from core.locking import unlocked

    assert cycle.state == Cycle.State.PUBLISHED
    with unlocked():
        _spoil(unit_a_indicator)
    with pytest.raises(CommandError, match="anni validati: 2023"):
        call_command("rebuild_figures", year=2023, ente=cycle.body.slug)
    assert "NON scritte" in capsys.readouterr().out
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.realization == Decimal("1.00")
