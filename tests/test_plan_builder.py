"""The one plan builder (indicators/plan_builder.py) and the four paths that build a year's plan
through it: the copy to the next year, the plan workbook, the demo loader and the synthetic
generator. A plan built from a spec reads back as that spec (``plan_spec_of``), so each path is
checked by comparing the spec it made with the year it built."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Body, Cycle
from demo.loader import FIXTURES_DIR
from demo.plan import plan_spec as demo_plan_spec
from indicators import plan_workbook
from indicators.models import Indicator
from indicators.plan_builder import plan_build, plan_spec_of, units_build
from indicators.plan_import import plan_import_apply
from indicators.plan_import import plan_spec as plan_import_spec
from indicators.plan_spec import (
    GroupSpec,
    IndicatorSpec,
    OperationalSpec,
    PerspectiveSpec,
    PlanSpec,
    RowSpec,
    ScorecardSpec,
    StrategicSpec,
    UnitSpec,
)
from lib.xlsx import Sheet
from objectives.models import OperationalObjective, OrgUnit, StrategicObjective
from scale.generator import plan_generate
from tests.people import people  # noqa: F401 - fixture
from workflow import services as workflow_services
from workflow.models import TargetProposal


def _spec(indicators: int = 3) -> PlanSpec:
    """A small plan of every part: two units' objectives, a common group, the four sections."""
    spec = PlanSpec(
        perspectives=[PerspectiveSpec(name="CRESCITA", order=1), PerspectiveSpec("PROCESSI", 2)],
        strategic=[
            StrategicSpec(code="1.1", perspective="CRESCITA", name="Sostenere", order=0),
            StrategicSpec(code="2.1", perspective="PROCESSI", name="Semplificare", order=1),
        ],
        operational=[
            OperationalSpec(
                strategic="1.1", name="Bandi", units=("registro-imprese", "promozione")
            ),
            OperationalSpec(strategic="2.1", name="Pratiche", units=("registro-imprese",), order=1),
        ],
        common_groups=[GroupSpec(name="Transizione digitale")],
    )
    for i in range(indicators):
        spec.indicators.append(
            IndicatorSpec(
                name=f"Indicatore {i}",
                kind="number",
                target=str(10 + i),
                actual=str(9 + i),
                weight=Decimal("0.5") if i % 2 else Decimal(1),
                order=i + 1,
                operational=("1.1", "Bandi") if i % 2 else ("2.1", "Pratiche"),
            )
        )
    spec.indicators.append(
        IndicatorSpec(
            name="Servizi digitali",
            kind="deadline",
            target="30/06/2040",
            order=indicators + 1,
            common_group="Transizione digitale",
        )
    )
    every = tuple(RowSpec(indicator=i, order=i + 1) for i in range(len(spec.indicators)))
    spec.scorecards = [
        ScorecardSpec(
            "2.2", "1.1 Sostenere", "obiettivo-1-1", order=1, strategic="1.1", rows=every[:1]
        ),
        ScorecardSpec("2.3", "Transizione digitale", "comuni-1", order=2, rows=every[-1:]),
        ScorecardSpec(
            "2.4", "PROMOZIONE", "promozione", order=3, unit="promozione", rows=every[:-1]
        ),
        ScorecardSpec(
            "3",
            "SEGRETARIO GENERALE",
            "sg",
            order=4,
            holder="Segretario Generale",
            unit="segreteria-generale",
            rows=(RowSpec(0, 1, declared_realization="90%", source_note="p. 3"),),
        ),
    ]
    return spec


@pytest.fixture
def new_year(cycle):
    return Cycle.objects.create(body=cycle.body, year=2040, state=Cycle.State.PLANNING)


# --- The spec, pure ---------------------------------------------------------------------------


def test_a_spec_names_what_it_does_not_hold():
    spec = _spec()
    assert spec.references() == []
    spec.strategic.append(StrategicSpec(code="3.1", perspective="ALTRO", name="X"))
    spec.indicators.append(IndicatorSpec(name="Orfano", kind="number"))
    spec.scorecards.append(ScorecardSpec("2.2", "9.9", "x", strategic="9.9", rows=(RowSpec(99),)))
    problems = spec.references()
    assert any("perspective 'ALTRO'" in p for p in problems)
    assert any("one parent" in p for p in problems)
    assert any("strategic '9.9'" in p for p in problems)
    assert any("indicator 99" in p for p in problems)
    with pytest.raises(ValueError, match="unresolved"):
        plan_build(cycle=Cycle(year=2040), plan=spec)


# --- The builder ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_built_plan_reads_back_as_its_spec(new_year, people):  # noqa: F811
    spec = _spec()
    built = plan_build(cycle=new_year, plan=spec, user=people.planning, history_reason="Prova")
    assert plan_spec_of(new_year) == spec
    assert [i.name for i in built.indicators] == [i.name for i in spec.indicators]
    assert built.rows == sum(len(card.rows) for card in spec.scorecards)
    op = built.operational[("1.1", "Bandi")]
    assert sorted(op.units.values_list("slug", flat=True)) == ["promozione", "registro-imprese"]
    # Every objective and indicator has its "created" record, with author and reason.
    records = Indicator.history.filter(cycle_id=new_year.id)
    assert records.count() == len(spec.indicators)
    assert {(r.history_type, r.history_user_id, r.history_change_reason) for r in records} == {
        ("+", people.planning.pk, "Prova")
    }
    assert StrategicObjective.history.filter(cycle_id=new_year.id).count() == 2
    assert OperationalObjective.history.filter(cycle_id=new_year.id).count() == 2


@pytest.mark.django_db
def test_the_fast_history_writes_the_same_records(new_year, people):  # noqa: F811
    plan_build(
        cycle=new_year,
        plan=_spec(),
        user=people.planning,
        history_reason="Veloce",
        fast_history=True,
    )
    records = Indicator.history.filter(cycle_id=new_year.id).order_by("id")
    assert [(r.name, r.target, r.history_type) for r in records] == [
        (i.name, i.target, "+") for i in Indicator.objects.filter(cycle=new_year)
    ]
    assert {(r.history_user_id, r.history_change_reason) for r in records} == {
        (people.planning.pk, "Veloce")
    }


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_plan(cycle):
    counts = []
    for year, size in ((2041, 5), (2042, 200)):
        new = Cycle.objects.create(body=cycle.body, year=year, state=Cycle.State.PLANNING)
        with CaptureQueriesContext(connection) as queries:
            plan_build(cycle=new, plan=_spec(size))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_a_validated_year_is_refused_and_nothing_is_written(cycle):
    before = StrategicObjective.objects.count()
    spec = PlanSpec(
        perspectives=[PerspectiveSpec("NUOVA", 9)],
        strategic=[StrategicSpec(code="9.1", perspective="NUOVA", name="Fuori tempo")],
    )
    with pytest.raises(PermissionDenied, match="validato"):
        plan_build(cycle=cycle, plan=spec)  # the demo's 2023, validated and published
    assert StrategicObjective.objects.count() == before


@pytest.mark.django_db
def test_units_are_those_of_the_years_body(new_year):
    other = Body.objects.create(name="Altro ente", slug="altro")
    OrgUnit.objects.create(body=other, slug="solo-altrove", name="Altrove", kind="service")
    spec = replace(
        _spec(),
        operational=[OperationalSpec(strategic="1.1", name="Bandi", units=("solo-altrove",))],
    )
    spec.indicators, spec.scorecards = [], []
    with pytest.raises(ValidationError, match="solo-altrove"):
        plan_build(cycle=new_year, plan=spec)


@pytest.mark.django_db
def test_validate_cleans_each_row_and_says_where_an_indicator_came_from(new_year):
    spec = _spec()
    spec.indicators[0] = replace(spec.indicators[0], name="N" * 501, source="Indicatori, riga 7")
    with pytest.raises(ValidationError, match="Indicatori, riga 7"):
        plan_build(cycle=new_year, plan=spec, validate=True)
    assert not Indicator.objects.filter(cycle=new_year).exists()


@pytest.mark.django_db
def test_units_build_creates_and_updates_by_code(cycle):
    body = Body.objects.create(name="Ente nuovo", slug="ente-nuovo")
    units = [
        UnitSpec(slug="sg", name="Segreteria", kind="secretariat"),
        UnitSpec(slug="area", name="Area", kind="area", parent="sg", order=1),
    ]
    first = units_build(body=body, units=units)
    assert first["area"].parent == first["sg"]
    again = units_build(body=body, units=[units[0], replace(units[1], name="Area rinominata")])
    assert again["area"].pk == first["area"].pk
    assert OrgUnit.objects.get(body=body, slug="area").name == "Area rinominata"
    assert OrgUnit.objects.filter(body=body).count() == 2


# --- The four paths ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_year_is_the_spec_read_from_the_fixtures(cycle):
    assert plan_spec_of(cycle) == demo_plan_spec(FIXTURES_DIR / "2023")


@pytest.mark.django_db
def test_the_next_year_is_the_spec_of_this_one_without_what_is_not_carried_over(
    y2024,
    people,  # noqa: F811
):
    new = workflow_services.cycle_open_next(user=people.planning, source=y2024)
    source = plan_spec_of(y2024)
    copied = plan_spec_of(new)
    assert copied.perspectives == source.perspectives
    assert copied.operational == source.operational
    assert copied.common_groups == source.common_groups
    assert copied.strategic == [replace(so, narrative="") for so in source.strategic]
    assert [
        (i.name, i.kind, i.weight, i.operational, i.common_group) for i in copied.indicators
    ] == [(i.name, i.kind, i.weight, i.operational, i.common_group) for i in source.indicators]
    assert not any(i.actual or i.explanation or i.notes for i in copied.indicators)
    assert [[(r.indicator, r.order) for r in c.rows] for c in copied.scorecards] == [
        [(r.indicator, r.order) for r in c.rows] for c in source.scorecards
    ]
    proposals = TargetProposal.objects.filter(indicator__cycle=new)
    assert proposals.count() == len(copied.indicators)
    assert all(
        p.proposed_target == p.indicator.target for p in proposals.select_related("indicator")
    )


def _sheets(rows: dict[str, list[list[str]]]) -> dict[str, Sheet]:
    return {
        title: Sheet(
            header=list(plan_workbook.PLAN_SHEETS[title]),
            rows=[(n, values) for n, values in enumerate(body, start=2)],
        )
        for title, body in rows.items()
    }


@pytest.mark.django_db
def test_the_imported_year_is_the_spec_of_its_workbook(cycle, people):  # noqa: F811
    sheets = _sheets(
        {
            plan_workbook.PERSPECTIVES: [["1", "CRESCITA"], ["2", "PROCESSI"]],
            plan_workbook.STRATEGIC: [
                ["1.1", "CRESCITA", "Sostenere"],
                ["2.1", "PROCESSI", "Semplificare"],
            ],
            plan_workbook.OPERATIONAL: [
                ["1.1", "Bandi", "promozione; registro-imprese"],
                ["2.1", "Pratiche", "registro-imprese"],
            ],
            plan_workbook.INDICATORS: [
                ["1.1", "Bandi", "Bandi pubblicati", "", "number", "", "3"],
                ["2.1", "Pratiche", "Tempo medio", "", "number", "lower", "30", "2"],
                ["1.1", "Bandi", "Entro giugno", "", "deadline", "", "30/06/2045"],
            ],
        }
    )
    units = dict(OrgUnit.objects.filter(body=cycle.body).values_list("slug", "name"))
    plan = plan_workbook.plan_validate(sheets, reference=plan_workbook.PlanReference(units=units))
    assert plan.errors == []
    expected = plan_import_spec(plan, units)
    new = plan_import_apply(user=people.planning, body=cycle.body, year=2045, sheets=sheets)
    assert plan_spec_of(new) == expected
    cards = {c.slug: [r.indicator for r in c.rows] for c in expected.scorecards}
    assert cards == {
        "obiettivo-1-1": [0, 2],
        "obiettivo-2-1": [1],
        "promozione": [0, 2],
        "registro-imprese": [0, 1, 2],
    }


@pytest.mark.django_db
def test_a_generated_year_built_again_from_its_spec_is_the_same(cycle):
    generated = plan_generate(units=12, indicators=60, years=1, seed=3, first_year=2050)
    year = generated.cycles[0]
    spec = plan_spec_of(year)
    assert spec.references() == [] and len(spec.indicators) == 60
    # The same spec through the other paths' options (cleaned rows, the ORM's history).
    again = Cycle.objects.create(body=year.body, year=2051, state=Cycle.State.PLANNING)
    plan_build(cycle=again, plan=spec, validate=True)
    assert plan_spec_of(again) == spec


@pytest.mark.django_db
def test_the_demo_plan_built_into_a_new_year_is_the_same(cycle, new_year):
    spec = plan_spec_of(cycle)
    plan_build(cycle=new_year, plan=spec, validate=True)
    assert plan_spec_of(new_year) == spec


ROOT = Path(__file__).resolve().parent.parent
PLAN_MODULES = [
    *sorted((ROOT / "demo").rglob("*.py")),
    *sorted((ROOT / "scale").glob("*.py")),
    *(ROOT / "indicators" / name for name in ("plan_builder.py", "plan_spec.py", "plan_import.py")),
    ROOT / "indicators" / "plan_workbook.py",
    ROOT / "indicators" / "plan_cells.py",
    ROOT / "workflow" / "services.py",
]


@pytest.mark.parametrize("path", PLAN_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_modules_that_build_plans_stay_under_600_lines(path):
    assert len(path.read_text().splitlines()) <= 600
