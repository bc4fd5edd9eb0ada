# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The code of a shared indicator of the common objectives (Indicator.common_code, issue 17):
one format rule (lib.codes) in the plan workbook, the forms and the database; carried by the
next year's plan; refused in a locked year; the Bergamo demo's indicators coded."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role
from core.locking import YearLocked, unlocked
from core.models import Cycle
from demo.plan import common_code
from indicators import plan_workbook
from indicators.models import Indicator
from indicators.plan_import import plan_spec
from indicators.plan_workbook import PlanReference, plan_validate
from lib.xlsx import Sheet
from tests.people import people  # noqa: F401 - fixture
from workflow import services

UNITS = PlanReference(units={"promozione": "Promozione"})
CODE_AT = plan_workbook.PLAN_SHEETS[plan_workbook.INDICATORS].index(plan_workbook.COMMON_CODE)


def _indicators_sheet(code: str) -> dict[str, Sheet]:
    sheets = {}
    for title, header in plan_workbook.PLAN_SHEETS.items():
        rows = [list(r) for r in plan_workbook.PLAN_EXAMPLE[title]]
        if title == plan_workbook.INDICATORS:
            rows[0][CODE_AT] = code
        sheets[title] = Sheet(header=list(header), rows=list(enumerate(rows, start=2)))
    return sheets


def test_the_template_reads_a_code_into_the_spec():
    plan = plan_validate(_indicators_sheet("OC2.4"), reference=UNITS)
    assert plan.errors == []
    assert plan_spec(plan, UNITS.units).indicators[0].common_code == "OC2.4"


@pytest.mark.parametrize("bad", ["OC 2.4", ".OC", "OC//1", "X" * 21])
def test_a_malformed_code_is_a_message(bad):
    plan = plan_validate(_indicators_sheet(bad), reference=UNITS)
    assert plan.indicators == []
    assert len(plan.errors) == 1
    assert plan.errors[0].startswith(
        "Foglio «Indicatori», riga 2, colonna «Codice obiettivo comune»:"
    )


def test_a_file_made_before_the_column_is_still_read():
    sheets = _indicators_sheet("")
    old = sheets[plan_workbook.INDICATORS]
    sheets[plan_workbook.INDICATORS] = Sheet(
        header=old.header[:CODE_AT], rows=[(n, v[:CODE_AT]) for n, v in old.rows]
    )
    plan = plan_validate(sheets, reference=UNITS)
    assert plan.errors == []
    assert plan_spec(plan, UNITS.units).indicators[0].common_code == ""


def test_the_instructions_sheet_documents_the_column():
    from io import BytesIO

    from openpyxl import load_workbook

    legend = load_workbook(BytesIO(plan_workbook.plan_template([])))[plan_workbook.LEGEND]
    rows = [[c.value for c in row] for row in legend.iter_rows()]
    assert any(r[1] == plan_workbook.COMMON_CODE and "OC1.1" in (r[2] or "") for r in rows)


@pytest.mark.django_db
def test_the_demo_codes_its_common_indicators_by_their_place(cycle):
    coded = Indicator.objects.filter(cycle=cycle, common_group__isnull=False)
    assert coded.count() == 14 and not coded.filter(common_code="").exists()
    # The reference's order: the SUAP is the fourth row of the second group (lines 3455-3473).
    assert coded.get(name="Grado di coinvolgimento dei Comuni nel SUAP").common_code == "OC2.4"
    assert common_code(0, 0) == "OC1.1"
    assert Indicator.objects.filter(cycle=cycle, common_group__isnull=True, common_code="").count()
    assert not Indicator.objects.filter(cycle=cycle, common_group__isnull=True).exclude(
        common_code=""
    )


@pytest.mark.django_db
def test_the_database_refuses_a_malformed_code(y2024):
    with unlocked(), pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(cycle=y2024).update(common_code="OC 1")
    ind = Indicator.objects.filter(cycle=y2024).first()
    ind.common_code = "OC 1"
    with pytest.raises(ValidationError, match="Codice non valido"):
        ind.full_clean()


@pytest.mark.django_db
def test_a_locked_year_keeps_its_codes(cycle):
    assert cycle.state in (Cycle.State.VALIDATED, Cycle.State.PUBLISHED)
    ind = Indicator.objects.filter(cycle=cycle, common_group__isnull=False).first()
    ind.common_code = "ALTRO"
    with pytest.raises(YearLocked), transaction.atomic():
        ind.save()
    with pytest.raises(YearLocked), transaction.atomic():
        Indicator.objects.filter(pk=ind.pk).update(common_code="ALTRO")
    assert Indicator.objects.get(pk=ind.pk).common_code != "ALTRO"


@pytest.mark.django_db
def test_the_next_years_plan_carries_the_codes(y2024):
    from tests.people import _person

    planning = _person("t-codici-2025", Role.PLANNING)
    before = dict(
        Indicator.objects.filter(cycle=y2024).values_list("order", "common_code").order_by("order")
    )
    assert set(before.values()) - {""}
    new = services.cycle_open_next(user=planning, source=y2024)
    after = dict(Indicator.objects.filter(cycle=new).values_list("order", "common_code"))
    assert after == before


@pytest.mark.django_db
def test_the_planning_office_writes_a_code_through_the_service(y2024, people):
    from indicators import services as indicator_services
    from tests.people import set_state

    set_state(y2024, Cycle.State.PLANNING)
    ind = Indicator.objects.filter(cycle=y2024, common_group__isnull=False).first()
    saved = indicator_services.indicator_update(
        user=people.planning, indicator=ind, common_code="UC-2025/1"
    )
    saved.refresh_from_db()
    assert saved.common_code == "UC-2025/1"
    with pytest.raises(ValidationError) as exc:
        indicator_services.indicator_update(
            user=people.planning, indicator=saved, common_code="a b"
        )
    assert set(exc.value.message_dict) == {"common_code"}
    assert Indicator.objects.get(pk=ind.pk).common_code == "UC-2025/1"


@pytest.mark.django_db
def test_a_threshold_under_higher_is_scored_by_the_rule_when_written(y2024, people):
    """Issue 17: «≥ 60» with Polarità «higher» and 56 obtained is a threshold missed (the
    demo's method: all or nothing), not 56/60 = 93,33%, on the write path too."""
    from indicators import services as indicator_services
    from tests.people import set_state

    set_state(y2024, Cycle.State.PLANNING)
    ind = Indicator.objects.filter(cycle=y2024, kind="number").first()
    saved = indicator_services.indicator_update(
        user=people.planning, indicator=ind, direction="higher", target="≥ 60"
    )
    with unlocked():
        Indicator.objects.filter(pk=saved.pk).update(actual="56")
    saved.refresh_from_db()
    assert (saved.direction, saved.target, saved.realization) == ("higher", ">=60", Decimal("0"))
