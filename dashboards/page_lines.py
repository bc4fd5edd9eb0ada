"""A cruscotto's table page as plain values (dashboards.tables): one query for the page's rows,
with only what the table prints of them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import QuerySet

from core.models import Cycle
from core.selectors import measurement_rules
from indicators.models import ScorecardRow
from indicators.rollup import IndicatorFigure, NamedIndicator, figure_for

_SO = "indicator__operational_objective__strategic_objective"


@dataclass(frozen=True)
class ShownIndicator(NamedIndicator):
    """What a cruscotto's table prints of an indicator besides :class:`NamedIndicator`."""

    baseline: str
    baseline_year: int | None
    weight: Decimal


SHOWN_INDICATOR_FIELDS = tuple(f.name for f in fields(ShownIndicator))


@dataclass(slots=True)
class TableLine:
    """One row of a cruscotto's table page (:func:`scorecard_page_lines`), from plain values."""

    figure: IndicatorFigure
    perspective: str
    strategic_code: str
    strategic_name: str
    operational: str

    @property
    def indicator(self):
        return self.figure.indicator


_LINE_VALUES = (
    "declared_realization",
    "weight",
    *(f"indicator__{name}" for name in SHOWN_INDICATOR_FIELDS),
    f"{_SO}__perspective__name",
    f"{_SO}__perspective__implicit",
    f"{_SO}__code",
    f"{_SO}__name",
    "indicator__operational_objective_id",
    "indicator__operational_objective__name",
    "indicator__operational_objective__implicit",
    "indicator__common_group__name",
)


def scorecard_page_lines(cycle: Cycle, rows: QuerySet[ScorecardRow]) -> list[TableLine]:
    """:func:`scorecard_lines` of a table's page as plain values, one query: building each row
    with its indicator, objectives and perspective as models was most of the page's time."""
    lines = []
    count = len(SHOWN_INDICATOR_FIELDS)
    # The year's rules once a page, not rebuilt for each row (the scoring method's json).
    rules = measurement_rules(cycle)
    for declared, row_weight, *values in rows.values_list(*_LINE_VALUES):
        indicator = ShownIndicator(**dict(zip(SHOWN_INDICATOR_FIELDS, values[:count], strict=True)))
        p_name, p_implicit, so_code, so_name, op_id, op_name, op_implicit, group = values[count:]
        # The row's operational objective (none for an indicator placed directly on its
        # strategic objective: its implicit one) or its group of common objectives.
        operational = ("" if op_implicit else op_name) if op_id is not None else group or ""
        lines.append(
            TableLine(
                figure=figure_for(indicator, cycle, declared, row_weight, rules=rules),
                # The implicit levels (a plan of fewer levels) are no group of the table.
                perspective=p_name if p_name is not None and not p_implicit else "",
                strategic_code=so_code or "",
                strategic_name=so_name or "",
                operational=operational,
            )
        )
    return lines
