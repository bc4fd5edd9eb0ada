"""The corrections: every figure the app prints differently from what a source declared, with
both values and the reason. One definition, pure (over a :class:`~consistency.rules.YearData`),
read by the dashboards, the finance and staff pages, the PDF's annex and the open data.

A % realization of a cruscotto row is corrected by :func:`indicators.domain.realization_correction`
(a late deadline printed at 100%, a value of the wrong kind, a threshold, ...); a declared total,
difference or share by the recomputation from its parts that ``ARITH-001`` checks. The app never
copies a source's mistake: it prints the computed figure and says what the source printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from indicators import domain

from . import rules

_RECOMPUTED = {
    "sum": "totale ricalcolato dalle voci",
    "pct": "percentuale ricalcolata",
    "variation": "variazione ricalcolata",
}


@dataclass(frozen=True)
class Correction:
    subject: str  # the finding's subject: "row:12", "declared:holdings/X.pct"
    area: str  # indicators | finance | staff | context
    where: str  # the cruscotto or table
    what: str  # the indicator or the figure
    published: str  # as the source printed it
    computed: str  # as the app prints it
    reason: str


def row_corrections(data: rules.YearData) -> Iterator[Correction]:
    for ind in data.indicators:
        for row in ind.rows:
            found = domain.realization_correction(
                ind.kind_enum,
                domain.Direction(ind.direction),
                ind.target_value,
                ind.actual_value,
                row.declared_realization,
                missed_deadline_pct=data.missed_deadline_pct,
                proportional=ind.proportional,
                scale=ind.scale,
            )
            if found is None:
                continue
            yield Correction(
                subject=f"row:{row.row_id}",
                area="indicators",
                where=f"Cruscotto «{row.scorecard_title}» (sez. {row.section})",
                what=ind.name,
                published=found.published,
                computed=found.computed_text,
                reason=found.reason,
            )


def figure_corrections(data: rules.YearData) -> Iterator[Correction]:
    """Declared totals, differences and shares that do not match their parts (``ARITH-001``)."""
    for exp, fig, number in rules.arithmetic_mismatches(data):
        yield Correction(
            subject=f"declared:{exp.table}/{exp.key}",
            area=rules.table_area(exp.table),
            where=rules.table_label(exp.table, data),
            what=exp.what,
            published=rules.declared_text(fig, number),
            computed=rules.computed_text(exp),
            reason=f"{_RECOMPUTED.get(exp.kind, 'ricalcolato')}: {exp.how}",
        )


def corrections(data: rules.YearData) -> list[Correction]:
    """Every correction of the year: indicators first (in the document's order), then tables."""
    return [*row_corrections(data), *figure_corrections(data)]
