"""Every database constraint of the models of relazione, objectives, indicators, finance and
staff is enforced by the database itself (IntegrityError), on SQLite and on PostgreSQL.

Each case saves a valid object first (so the failure cannot come from something else), then
the invalid variant, which must be refused; the error must name the constraint where the
backend says it (check constraints on both backends, unique constraints on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, models, transaction

from core.models import Body, Cycle, Transition
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators.models import CommonGroup, Indicator, ScorecardRow, TargetRevision
from objectives.models import (
    CycleUnit,
    OperationalObjective,
    OrgUnit,
    Perspective,
    Scorecard,
    StrategicObjective,
    UnitKind,
)
from resources.models import ContextTable, DeclaredFigure
from staff.models import (
    Absence,
    Headcount,
    ParentalLeave,
    PartTimeCount,
    SmartWorking,
    StaffCategory,
    WorkforceSummary,
)

D = Decimal
APPS = ["core", "resources", "objectives", "indicators", "finance", "staff"]


class World:
    """A small plan of a fresh body, apart from the demo data."""

    def __init__(self):
        self.body = Body.objects.create(name="Ente di prova", slug="ente-di-prova")
        self.other_body = Body.objects.create(name="Altro ente", slug="altro-ente")
        self.cycle = Cycle.objects.create(body=self.body, year=2030)
        self.perspective = Perspective.objects.create(cycle=self.cycle, order=1, name="P1")
        self.so = StrategicObjective.objects.create(
            cycle=self.cycle, perspective=self.perspective, code="1.1", name="Obiettivo"
        )
        self.op = OperationalObjective.objects.create(
            cycle=self.cycle, strategic_objective=self.so, name="Operativo"
        )
        self.unit = OrgUnit.objects.create(
            body=self.body, kind=OrgUnit.Kind.SERVICE, name="Servizio", slug="servizio"
        )
        self.group = CommonGroup.objects.create(cycle=self.cycle, name="Gruppo")
        self.category = StaffCategory.objects.create(cycle=self.cycle, name="Istruttori")

    def indicator(self, **kwargs):
        values = {
            "cycle": self.cycle,
            "operational_objective": self.op,
            "name": "Indicatore",
            "kind": "number",
            "direction": "higher",
            "target": "10",
            "actual": "8",
        }
        values.update(kwargs)
        return Indicator.objects.create(**values)


@dataclass
class Case:
    constraint: str
    valid: Any  # world -> None: creates valid objects
    invalid: Any  # world -> None: must raise IntegrityError
    column: str = ""  # SQLite may report a column-level check instead of the named one

    def __str__(self):
        return self.constraint


def _cycle(w, **kw):
    return Cycle.objects.create(**{"body": w.body, "year": 2031, **kw})


def _so(w, **kw):
    return StrategicObjective.objects.create(
        **{"cycle": w.cycle, "perspective": w.perspective, "code": "2.1", "name": "X", **kw}
    )


def _so_of_another_year(w, **kw):
    """An objective of another year, under a perspective of that year (core.integrity)."""
    cycle = _cycle(w)
    perspective = Perspective.objects.create(cycle=cycle, order=1, name="P1")
    return _so(w, cycle=cycle, perspective=perspective, **kw)


def _scorecard(w, **kw):
    return Scorecard.objects.create(
        **{"cycle": w.cycle, "section": "2.3", "title": "T", "slug": "t", **kw}
    )


def _body(**kw):
    return Body.objects.create(**{"name": "Ente X", "slug": "ente-x", **kw})


def _budget(w, **kw):
    return BudgetLine.objects.create(
        **{"cycle": w.cycle, "group": "A", "code": "1", "label": "Diritto annuale", **kw}
    )


def _holding(w, **kw):
    return Holding.objects.create(
        **{"cycle": w.cycle, "company": "S.p.A.", "share_capital": D(1000), "nominal_value": D(1)}
        | kw
    )


def _intervention(w, **kw):
    return EconomicIntervention.objects.create(
        **{"cycle": w.cycle, "label": "Credito", "forecast": D(1), "actual": D(1)} | kw
    )


def _headcount(w, **kw):
    return Headcount.objects.create(
        **{
            "cycle": w.cycle,
            "year": 2030,
            "category": w.category,
            "gender": "F",
            "contract": "full",
            "count": 3,
        }
        | kw
    )


def _same_indicator_in_two_cruscotti(w):
    indicator = w.indicator()
    for slug in ("a", "b"):
        ScorecardRow.objects.create(
            scorecard=_scorecard(w, slug=slug, title=slug), indicator=indicator
        )


def _same_indicator_twice_in_a_cruscotto(w):
    indicator, scorecard = w.indicator(), _scorecard(w)
    ScorecardRow.objects.create(scorecard=scorecard, indicator=indicator, order=1)
    ScorecardRow.objects.create(scorecard=scorecard, indicator=indicator, order=2)


def _own_parent_valid(w):
    child = OrgUnit.objects.create(body=w.body, kind="office", name="U", slug="u", parent=w.unit)
    OrgUnit.objects.filter(pk=child.pk).update(parent=w.unit)


def _own_parent_invalid(w):
    OrgUnit.objects.filter(pk=w.unit.pk).update(parent=w.unit)


def _transition(w, source="planning", target="monitoring"):
    return Transition.objects.create(
        cycle=w.cycle, source=source, target=target, at=dt.datetime(2030, 2, 1, tzinfo=dt.UTC)
    )


def _revision(w, **values):
    fields = {
        "indicator": w.indicator(),
        "old_target": "10",
        "new_target": "12",
        "reason": "Nuove risorse",
        "act_reference": "Delibera n. 1/2030",
        "act_date": dt.date(2030, 3, 1),
        "created_by": User.objects.get_or_create(username="revisore")[0],
    }
    return TargetRevision.objects.create(**{**fields, **values})


CASES = [
    # relazione
    Case(
        "body_bands_ordered",
        lambda w: _body(band_achieved_from=D(70), band_partial_from=D(70)),
        lambda w: _body(band_achieved_from=D(60), band_partial_from=D("60.01")),
    ),
    Case(
        "body_bands_ordered",
        lambda w: _body(band_partial_from=D(0)),
        lambda w: _body(band_partial_from=D(-1)),
    ),
    Case(
        "body_bands_ordered",
        lambda w: _body(band_achieved_from=D(100)),
        lambda w: _body(band_achieved_from=D("100.01")),
    ),
    Case(
        "body_missed_deadline_pct_range",
        lambda w: _body(missed_deadline_pct=D(100)),
        lambda w: _body(missed_deadline_pct=D("100.5")),
    ),
    Case(
        "body_missed_deadline_pct_range",
        lambda w: _body(missed_deadline_pct=D(0)),
        lambda w: _body(missed_deadline_pct=D("-0.01")),
    ),
    Case(
        "cycle_unique_year",
        lambda w: Cycle.objects.create(body=w.other_body, year=2030),  # same year, other body
        lambda w: Cycle.objects.create(body=w.body, year=2030),
    ),
    Case("cycle_year_range", lambda w: _cycle(w, year=2000), lambda w: _cycle(w, year=1999)),
    # The year's own copy of the body's settings (core.Cycle) obeys the same invariants.
    Case(
        "cycle_bands_ordered",
        lambda w: _cycle(w, band_achieved_from=D(70), band_partial_from=D(70)),
        lambda w: _cycle(w, band_achieved_from=D(60), band_partial_from=D("60.01")),
    ),
    Case(
        "cycle_bands_ordered",
        lambda w: _cycle(w, band_achieved_from=D(100), band_partial_from=D(0)),
        lambda w: _cycle(w, band_partial_from=D(-1)),
    ),
    Case(
        "cycle_missed_deadline_pct_range",
        lambda w: _cycle(w, missed_deadline_pct=D(100)),
        lambda w: _cycle(w, missed_deadline_pct=D("100.5")),
    ),
    Case("cycle_year_range", lambda w: _cycle(w, year=2100), lambda w: _cycle(w, year=2101)),
    Case(
        "declared_unique_key",
        lambda w: [
            DeclaredFigure.objects.create(cycle=w.cycle, table=t, key=k, label="l")
            for t, k in (("t", "k"), ("t", "k2"), ("t2", "k"))
        ],
        lambda w: [
            DeclaredFigure.objects.create(cycle=w.cycle, table="t", key="k", label=label)
            for label in ("l", "m")
        ],
    ),
    Case(
        "context_table_unique_key",
        lambda w: [ContextTable.objects.create(cycle=w.cycle, key=k, title="a") for k in "ab"],
        lambda w: [ContextTable.objects.create(cycle=w.cycle, key="k", title=t) for t in "ab"],
    ),
    # objectives
    Case(
        "perspective_unique_order",
        lambda w: Perspective.objects.create(cycle=w.cycle, order=2, name="P2"),
        lambda w: Perspective.objects.create(cycle=w.cycle, order=1, name="P3"),
    ),
    Case(
        "perspective_unique_name",
        lambda w: Perspective.objects.create(cycle=w.cycle, order=2, name="P2"),
        lambda w: Perspective.objects.create(cycle=w.cycle, order=3, name="P1"),
    ),
    Case(
        # A plan without a first level: one per year. In a year with no plan yet: beside a
        # visible perspective, objectives.levels refuses it before the database does.
        "perspective_one_implicit",
        lambda w: Perspective.objects.create(cycle=_cycle(w), order=1, name="P1", implicit=True),
        lambda w: [
            Perspective.objects.create(cycle=year, order=o, name=f"P{o}", implicit=True)
            for year in [_cycle(w)]
            for o in (1, 2)
        ],
    ),
    Case(
        "strategic_unique_code",
        lambda w: _so(w, code="1.2"),
        lambda w: _so(w, code="1.1"),
    ),
    Case(
        "strategic_unique_code",  # the same code in another cycle is fine
        lambda w: _so_of_another_year(w, code="1.1"),
        lambda w: _so(w, code="1.1", name="Doppione"),
    ),
    *[
        Case("strategic_code_format", lambda w, v=v: _so(w, code=v), lambda w, c=c: _so(w, code=c))
        for v, c in [
            ("10.12", "1.1 "),
            ("6", ""),
            ("0101", "1."),
            ("A.1", ".1"),
            ("1/2", "1,1"),
            ("01010601", "1//2"),
            ("2.3-bis", "è.1"),
        ]
    ],
    Case(
        "unit_unique_slug",
        lambda w: OrgUnit.objects.create(body=w.other_body, kind="area", name="A", slug="servizio"),
        lambda w: OrgUnit.objects.create(body=w.body, kind="area", name="A", slug="servizio"),
    ),
    Case("unit_not_own_parent", _own_parent_valid, _own_parent_invalid),
    Case(
        "unit_kind_unique_code",  # the same code in another body is fine
        lambda w: UnitKind.objects.create(body=w.other_body, code="zona", name="Zona"),
        lambda w: UnitKind.objects.create(body=w.body, code="area", name="Altra area"),
    ),
    Case(
        "unit_kind_unique_name",
        lambda w: UnitKind.objects.create(body=w.body, code="zona", name="Zona"),
        lambda w: UnitKind.objects.create(body=w.body, code="zona", name="Area"),
    ),
    Case(
        "cycle_unit_unique",  # the unit already has its name in w.cycle (copied on creation)
        lambda w: CycleUnit.objects.filter(cycle=w.cycle, unit=w.unit).get(),
        lambda w: CycleUnit.objects.create(cycle=w.cycle, unit=w.unit, name="X", slug="x"),
    ),
    Case(
        "operational_unique_name",
        lambda w: OperationalObjective.objects.create(
            cycle=w.cycle, strategic_objective=w.so, name="Altro"
        ),
        lambda w: OperationalObjective.objects.create(
            cycle=w.cycle, strategic_objective=w.so, name="Operativo"
        ),
    ),
    Case(
        # The direct indicators of a strategic objective: one (of an objective with none yet).
        "operational_one_implicit",
        lambda w: OperationalObjective.objects.create(
            cycle=w.cycle, strategic_objective=_so(w, code="9"), name="Diretti", implicit=True
        ),
        lambda w: [
            OperationalObjective.objects.create(
                cycle=w.cycle, strategic_objective=so, name=name, implicit=True
            )
            for so in [_so(w, code="9")]
            for name in ("Diretti", "Ancora")
        ],
    ),
    Case(
        "scorecard_unique_slug",
        lambda w: _scorecard(w, slug="a", title="A"),
        lambda w: (_scorecard(w, slug="a", title="A"), _scorecard(w, slug="a", title="B")),
    ),
    Case(
        "scorecard_unique_title",
        lambda w: (
            _scorecard(w, slug="a", title="A"),
            _scorecard(w, slug="b", section="3", title="A", holder="SG"),
        ),
        lambda w: (_scorecard(w, slug="a", title="A"), _scorecard(w, slug="b", title="A")),
    ),
    Case(
        "scorecard_section_reference",
        lambda w: _scorecard(w, section="2.2", strategic_objective=w.so),
        lambda w: _scorecard(w, section="2.2"),
    ),
    Case(
        "scorecard_section_reference",
        lambda w: _scorecard(w, section="2.4", unit=w.unit),
        lambda w: _scorecard(w, section="2.4"),
    ),
    Case(
        "scorecard_section_reference",
        lambda w: _scorecard(w, section="3", holder="Segretario Generale"),
        lambda w: _scorecard(w, section="3", holder=""),
    ),
    Case(
        "scorecard_section_reference",
        lambda w: _scorecard(w, section="2.3"),
        lambda w: _scorecard(w, section="9", unit=w.unit, holder="X"),
    ),
    # indicators
    Case(
        "common_group_unique_name",
        lambda w: CommonGroup.objects.create(cycle=w.cycle, name="Altro"),
        lambda w: CommonGroup.objects.create(cycle=w.cycle, name="Gruppo"),
    ),
    Case(
        "indicator_one_parent",
        lambda w: w.indicator(operational_objective=None, common_group=w.group),
        lambda w: w.indicator(common_group=w.group),  # both parents
    ),
    Case(
        "indicator_one_parent",
        lambda w: w.indicator(),
        lambda w: w.indicator(operational_objective=None),  # no parent
    ),
    Case(
        "indicator_weight_gte_0",
        lambda w: w.indicator(weight=D(0)),
        lambda w: w.indicator(weight=D("-0.001")),
    ),
    Case(
        "indicator_kind_valid",
        lambda w: [
            w.indicator(kind=k) for k in ("deadline", "boolean", "project", "ratio", "qualitative")
        ],
        lambda w: w.indicator(kind="bogus"),
    ),
    Case(
        "indicator_direction_valid",
        lambda w: [w.indicator(direction=d) for d in ("lower", "at_most", "monitoring")],
        lambda w: w.indicator(direction="sideways"),
    ),
    Case(
        "indicator_baseline_year_has_value",
        lambda w: [
            w.indicator(baseline="85,60%", baseline_year=2022),
            w.indicator(baseline="85,60%"),
            w.indicator(),
        ],
        lambda w: w.indicator(baseline="", baseline_year=2022),
    ),
    Case(
        "scorecard_row_unique_indicator",
        _same_indicator_in_two_cruscotti,
        _same_indicator_twice_in_a_cruscotto,
    ),
    # the weights of the body's scoring method: >= 0 at every level (0: left out of the mean)
    Case(
        "perspective_weight_gte_0",
        lambda w: Perspective.objects.create(cycle=w.cycle, order=2, name="P2", weight=D(0)),
        lambda w: Perspective.objects.create(cycle=w.cycle, order=2, name="P2", weight=D(-1)),
    ),
    Case(
        "strategic_weight_gte_0",
        lambda w: _so(w, weight=D(0)),
        lambda w: _so(w, weight=D("-0.001")),
    ),
    Case(
        "operational_weight_gte_0",
        lambda w: OperationalObjective.objects.create(
            cycle=w.cycle, strategic_objective=w.so, name="Pesato", weight=D(0)
        ),
        lambda w: OperationalObjective.objects.create(
            cycle=w.cycle, strategic_objective=w.so, name="Pesato", weight=D(-2)
        ),
    ),
    Case(
        "scorecard_row_weight_gte_0",
        lambda w: [
            ScorecardRow.objects.create(
                scorecard=_scorecard(w, slug=str(i), title=str(i)),
                indicator=w.indicator(),
                weight=weight,
            )
            for i, weight in enumerate((None, D(0), D(3)))
        ],
        lambda w: ScorecardRow.objects.create(
            scorecard=_scorecard(w), indicator=w.indicator(), weight=D(-1)
        ),
    ),
    Case(
        "indicator_common_code_format",
        lambda w: [w.indicator(common_code=c) for c in ("", "OC1.1", "A/2", "0101")],
        lambda w: w.indicator(common_code="OC 1.1"),
    ),
    Case(
        "indicator_threshold_rule_valid",
        lambda w: [w.indicator(threshold_rule=r) for r in ("", "all_or_nothing", "proportional")],
        lambda w: w.indicator(threshold_rule="metà"),
    ),
    # finance
    Case(
        "budget_line_unique_code",
        lambda w: (_budget(w), _budget(w, cycle=_cycle(w))),
        lambda w: (_budget(w), _budget(w, label="Altro")),
    ),
    Case(
        "budget_line_both_figures_or_none",
        lambda w: (
            _budget(w, forecast=None, actual=None),
            _budget(w, code="2", forecast=D(1), actual=D(-1)),
        ),
        lambda w: _budget(w, forecast=D(1), actual=None),
    ),
    Case(
        "budget_line_both_figures_or_none",
        lambda w: _budget(w, forecast=D(0), actual=D(0)),
        lambda w: _budget(w, forecast=None, actual=D(1)),
    ),
    Case(
        "intervention_unique_label",
        lambda w: (_intervention(w), _intervention(w, label="Altro")),
        lambda w: (_intervention(w), _intervention(w)),
    ),
    Case(
        "intervention_forecast_gte_0",
        lambda w: _intervention(w, forecast=D(0)),
        lambda w: _intervention(w, forecast=D(-1)),
    ),
    Case(
        "intervention_actual_gte_0",
        lambda w: _intervention(w, actual=D(0)),
        lambda w: _intervention(w, actual=D("-0.01")),
    ),
    Case(
        "ratio_unique_label",
        lambda w: [
            FinancialRatio.objects.create(cycle=w.cycle, group=g, label="R", unit="ratio", value=1)
            for g in ("G1", "G2")
        ],
        lambda w: [
            FinancialRatio.objects.create(
                cycle=w.cycle, group="G", label="R", unit="ratio", value=v
            )
            for v in (1, 2)
        ],
    ),
    Case(
        "holding_unique_company",
        lambda w: (_holding(w), _holding(w, company="Altra")),
        lambda w: (_holding(w), _holding(w)),
    ),
    Case(
        "holding_capital_gt_0",
        lambda w: _holding(w, share_capital=D("0.01"), nominal_value=D(0)),
        lambda w: _holding(w, share_capital=D(0), nominal_value=D(0)),
    ),
    Case(
        "holding_nominal_within_capital",
        lambda w: _holding(w, share_capital=D(1000), nominal_value=D(1000)),
        lambda w: _holding(w, share_capital=D(1000), nominal_value=D("1000.01")),
    ),
    Case(
        "holding_nominal_within_capital",
        lambda w: _holding(w, nominal_value=D(0)),
        lambda w: _holding(w, nominal_value=D(-1)),
    ),
    # staff
    Case(
        "staff_category_unique_name",
        lambda w: StaffCategory.objects.create(cycle=w.cycle, name="Dirigenti"),
        lambda w: StaffCategory.objects.create(cycle=w.cycle, name="Istruttori"),
    ),
    Case(
        "headcount_unique_cell",
        lambda w: (
            [_headcount(w, contract=c) for c in ("full", "part", "any")]
            + [_headcount(w, gender="M"), _headcount(w, year=2029)]
        ),
        lambda w: (_headcount(w), _headcount(w, count=5)),
    ),
    Case(
        "headcount_count_gte_0",
        lambda w: _headcount(w, count=0),
        lambda w: _headcount(w, count=-1),
        column="count",
    ),
    Case(
        "part_time_unique",
        lambda w: [
            PartTimeCount.objects.create(cycle=w.cycle, year=2030, gender=g, count=1) for g in "FM"
        ],
        lambda w: [
            PartTimeCount.objects.create(cycle=w.cycle, year=2030, gender="F", count=c)
            for c in (1, 2)
        ],
    ),
    Case(
        "workforce_unique_year",
        lambda w: [
            WorkforceSummary.objects.create(cycle=w.cycle, year=y, fte=D(1)) for y in (2029, 2030)
        ],
        lambda w: [
            WorkforceSummary.objects.create(cycle=w.cycle, year=2030, fte=D(f)) for f in (1, 2)
        ],
    ),
    Case(
        "workforce_fte_gte_0",
        lambda w: WorkforceSummary.objects.create(cycle=w.cycle, year=2030, fte=D(0)),
        lambda w: WorkforceSummary.objects.create(cycle=w.cycle, year=2030, fte=D("-0.5")),
    ),
    Case(
        "absence_unique",
        lambda w: [
            Absence.objects.create(cycle=w.cycle, year=2030, cause=c, days=1)
            for c in ("sickness", "injury")
        ],
        lambda w: [
            Absence.objects.create(cycle=w.cycle, year=2030, cause="sickness", days=d)
            for d in (1, 2)
        ],
    ),
    Case(
        "parental_leave_unique",
        lambda w: [
            ParentalLeave.objects.create(cycle=w.cycle, year=2030, leave_type=t, gender="F", days=1)
            for t in ("paid_100", "paid_30", "unpaid")
        ],
        lambda w: [
            ParentalLeave.objects.create(
                cycle=w.cycle, year=2030, leave_type="paid_30", gender="M", days=d
            )
            for d in (1, 2)
        ],
    ),
    Case(
        "smart_working_unique_year",
        lambda w: [
            SmartWorking.objects.create(
                cycle=w.cycle,
                year=y,
                employees=1,
                days_total=1,
                days_per_week=1,
                employees_at_year_end=1,
            )
            for y in (2029, 2030)
        ],
        lambda w: [
            SmartWorking.objects.create(
                cycle=w.cycle,
                year=2030,
                employees=e,
                days_total=1,
                days_per_week=1,
                employees_at_year_end=1,
            )
            for e in (1, 2)
        ],
    ),
    # core: the state log; indicators: the target revisions
    Case("transition_moves", lambda w: _transition(w), lambda w: _transition(w, target="planning")),
    Case(
        "revision_changes_target", lambda w: _revision(w), lambda w: _revision(w, new_target="10")
    ),
    Case("revision_reason_required", lambda w: _revision(w), lambda w: _revision(w, reason="")),
    Case("revision_act_required", lambda w: _revision(w), lambda w: _revision(w, act_reference="")),
]


def _declared_constraints():
    names = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                names[constraint.name] = (model, constraint)
    return names


@pytest.mark.parametrize("case", CASES, ids=str)
def test_valid_objects_are_accepted(db, case):
    world = World()
    with transaction.atomic():
        case.valid(world)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_invalid_objects_are_refused(db, case):
    world = World()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        case.invalid(world)
    message = str(excinfo.value)
    _model, constraint = _declared_constraints()[case.constraint]
    if isinstance(constraint, models.CheckConstraint):
        assert case.constraint in message or (case.column and case.column in message), message
    elif connection.vendor == "postgresql":
        assert case.constraint in message, message
    else:
        assert "UNIQUE" in message.upper(), message


def test_every_constraint_of_the_models_has_a_case():
    declared = set(_declared_constraints())
    covered = {case.constraint for case in CASES}
    assert covered <= declared, covered - declared  # no case for a constraint that is gone
    assert declared <= covered, declared - covered  # a new constraint needs its case here


def test_strategic_objective_is_printed_in_one_cruscotto_only(db):
    world = World()
    _scorecard(world, section="2.2", strategic_objective=world.so, slug="a", title="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        _scorecard(world, section="2.2", strategic_objective=world.so, slug="b", title="B")
