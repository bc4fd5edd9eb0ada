"""The open-data export of the indicators: one row per indicator row as printed in the
Relazione. This column contract is relied upon by the public downloads and the checks: columns
are only ever appended (the meanings are in public.opendata.INDICATOR_MEANINGS).

``correction_reason`` says why ``realization`` differs from ``declared_realization`` (the one
definition of a correction, indicators.domain.realization_correction); the ``cruscotto_*`` and
``year_*`` columns give the overall score of the row's cruscotto and of the year with their
coverage: how many indicators it is computed on (``*_valued``, NV ones are left out) of how many
(``*_indicators``), and (``*_points``, ``*_judgement``) the score as the body's scoring method
converts it, empty when it converts nothing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from openpyxl import Workbook

from core.models import Cycle
from indicators import domain
from indicators.rollup import figure_for
from indicators.selectors import scorecard_rows
from lib.formulas import escape_formula
from objectives.models import Scorecard

COLUMNS = [
    "year",
    "section",
    "cruscotto",
    "perspective",
    "strategic_objective_code",
    "strategic_objective",
    "operational_objective",
    "indicator",
    "kind",
    "direction",
    "target",
    "actual",
    "realization",
    "declared_realization",
    "target_value",
    "actual_value",
    "realization_pct",
    "weight",
    "unit_of_measure",
    "notes",
    "correction_reason",
    "cruscotto_realization_pct",
    "cruscotto_valued",
    "cruscotto_indicators",
    "year_realization_pct",
    "year_valued",
    "year_indicators",
    # Appended with the body's scoring method (core.scoring_method): the row's weight in its
    # cruscotto, and the points or judgement the method converts the scores into.
    "row_weight",
    "cruscotto_points",
    "cruscotto_judgement",
    "year_points",
    "year_judgement",
    # Appended with the triennial plan (indicators.horizon): the baseline, the year it refers
    # to, and the targets of the two years after ``year``, as written and machine-readable.
    "baseline",
    "baseline_year",
    "baseline_value",
    "target_n1",
    "target_n1_value",
    "target_n2",
    "target_n2_value",
    # Appended with the comparison across bodies (public.benchmark): the shared indicator's code.
    "common_code",
]
# Machine-readable columns: numbers, ISO dates and booleans, never formulas.
INTEGER_COLUMNS = {
    "year",
    "cruscotto_valued",
    "cruscotto_indicators",
    "year_valued",
    "year_indicators",
    "baseline_year",
}
MACHINE_COLUMNS = INTEGER_COLUMNS | {
    "target_value",
    "actual_value",
    "realization_pct",
    "weight",
    "cruscotto_realization_pct",
    "year_realization_pct",
    "row_weight",
    "cruscotto_points",
    "year_points",
    "baseline_value",
    "target_n1_value",
    "target_n2_value",
}


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize() if value == value.to_integral_value() else value, "f")


def export_rows(cycle: Cycle) -> Iterator[dict[str, str]]:
    """Queries: the cruscotti's summaries (2), the year's (4), the rows with their joins (1)."""
    from dashboards.selectors import scorecard_summaries, strategic_map

    cards = scorecard_summaries(cycle)
    overall = strategic_map(cycle).overall
    for row in scorecard_rows(cycle=cycle).iterator(chunk_size=2000):
        scorecard, indicator = row.scorecard, row.indicator
        op = indicator.operational_objective
        so = op.strategic_objective if op else None
        if scorecard.section == Scorecard.Section.STRATEGIC:
            cruscotto = scorecard.strategic_objective.code
        else:
            cruscotto = scorecard.title
        # The same figure (and correction) as the pages and the PDF: rollup.figure_for.
        figure = figure_for(indicator, cycle, row.declared_realization, row.weight)
        realization, correction = figure.realization, figure.correction
        card = cards[scorecard.id]
        yield {
            "year": str(cycle.year),
            "section": scorecard.section,
            "cruscotto": cruscotto,
            # The implicit levels of a plan of fewer levels: empty columns.
            "perspective": so.perspective.name if so and not so.perspective.implicit else "",
            "strategic_objective_code": so.code if so else "",
            "strategic_objective": so.name if so else "",
            "operational_objective": (
                ("" if op.implicit else op.name) if op else indicator.common_group.name
            ),
            "indicator": indicator.name,
            "kind": indicator.kind,
            "direction": indicator.direction,
            "target": indicator.target,
            "actual": indicator.actual,
            "realization": domain.format_pct(realization),
            "declared_realization": row.declared_realization,
            "target_value": indicator.target_value.machine(),
            "actual_value": indicator.actual_value.machine(),
            "realization_pct": _number(realization),
            "weight": _number(indicator.weight),
            "unit_of_measure": indicator.unit_of_measure,
            "notes": indicator.notes,
            "correction_reason": correction.reason if correction else "",
            "cruscotto_realization_pct": _number(card.realization),
            "cruscotto_valued": str(card.valued),
            "cruscotto_indicators": str(card.total),
            "year_realization_pct": _number(overall.realization),
            "year_valued": str(overall.valued),
            "year_indicators": str(overall.total),
            "row_weight": _number(figure.weight),
            "cruscotto_points": _number(card.converted.points),
            "cruscotto_judgement": _judgement(card),
            "year_points": _number(overall.converted.points),
            "year_judgement": _judgement(overall),
            **_multiyear(indicator),
            "common_code": indicator.common_code,
        }


def _multiyear(indicator) -> dict[str, str]:
    year = indicator.baseline_year
    return {
        "baseline": indicator.baseline,
        "baseline_year": str(year) if year is not None else "",
        "baseline_value": domain.parse_value(indicator.baseline).machine(),
        "target_n1": indicator.target_n1,
        "target_n1_value": domain.parse_value(indicator.target_n1).machine(),
        "target_n2": indicator.target_n2,
        "target_n2_value": domain.parse_value(indicator.target_n2).machine(),
    }


def _judgement(summary) -> str:
    level = summary.converted.level
    return level.label if level is not None else ""


def _escaped(rows: Iterable[dict[str, str]]) -> Iterator[dict[str, str]]:
    for row in rows:
        yield {
            key: value if key in MACHINE_COLUMNS else escape_formula(value)
            for key, value in row.items()
        }


def to_csv(rows: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_escaped(rows))
    return out.getvalue()


def to_json(rows: Iterable[dict[str, str]]) -> str:
    # JSON is not opened by spreadsheets as formulas: values stay exactly as they are.
    return json.dumps(list(rows), ensure_ascii=False, indent=1)


def to_xlsx(rows: Iterable[dict[str, str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("indicatori")
    sheet.append(COLUMNS)
    for row in _escaped(rows):
        cells = []
        for key in COLUMNS:
            value = row[key]
            if key in MACHINE_COLUMNS and value:
                try:
                    cells.append(Decimal(value) if key not in INTEGER_COLUMNS else int(value))
                    continue
                except ArithmeticError:
                    pass
            # Strings are written as inline strings: openpyxl never makes them formulas unless
            # they start with '=', which escape_formula has already neutralised.
            cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


WRITERS = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}
