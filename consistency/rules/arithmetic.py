"""ARITH-001, -004, -005: the printed totals, differences and percentages against those
computed from their parts (:mod:`.staff`, :mod:`.finance`, the context tables)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from .base import HUNDRED, DeclaredData, Finding, ObjectRef, Severity, YearData, check, declare
from .figures import (
    DeclaredNumber,
    Expectation,
    declared_number,
    declared_text,
    same_at,
    table_area,
    table_label,
)
from .finance import _budget_expectations, _context_expectations
from .formatting import _num, _pct
from .staff import _staff_expectations

ARITH_001 = declare(
    "ARITH-001",
    Severity.ERROR,
    "Totale, differenza o percentuale non corrispondente",
    "Un totale, uno scostamento o una percentuale stampati non corrispondono al calcolo dalle "
    "voci (alla precisione stampata; le percentuali intere si confrontano dopo "
    "l'arrotondamento).",
)
ARITH_004 = declare(
    "ARITH-004",
    Severity.WARNING,
    "Variazione % su una base non significativa",
    "Una variazione % è stampata dove non ha significato (preventivo nullo o di segno opposto "
    "al consuntivo).",
)
ARITH_005 = declare(
    "ARITH-005",
    Severity.INFO,
    "Variazione % indicata «n.s.» ma calcolabile",
    "Una variazione % è indicata come non significativa ma si può calcolare.",
)


def expectations(data: YearData) -> list[Expectation]:
    """Every declared figure the app can recompute, with the computed value."""
    return [
        *_staff_expectations(data),
        *_budget_expectations(data),
        *_context_expectations(data),
    ]


def _declared_for(data: YearData, exp: Expectation) -> DeclaredData | None:
    return exp.declared or data.declared_figure(exp.table, exp.key)


def _declared_ref(fig: DeclaredData, exp: Expectation, data: YearData) -> ObjectRef:
    return ObjectRef("declared_figure", fig.id, f"{table_label(exp.table, data)}: {exp.what}")


def comparisons(data: YearData) -> Iterator[tuple[Expectation, DeclaredData, DeclaredNumber]]:
    for exp in expectations(data):
        fig = _declared_for(data, exp)
        if fig is None:
            continue
        number = declared_number(fig)
        if number is None:
            continue
        yield exp, fig, number


def computed_text(exp: Expectation) -> str:
    return (_pct if exp.percent else _num)(exp.computed)


def arithmetic_mismatches(
    data: YearData,
) -> Iterator[tuple[Expectation, DeclaredData, DeclaredNumber]]:
    """Declared figures that their parts contradict: ARITH-001, and the corrections the app
    prints (consistency.corrections)."""
    for exp, fig, number in comparisons(data):
        if number.not_significant or number.number is None or exp.computed is None:
            continue  # ARITH-004 / ARITH-005 (only a figure "n.s." has no number)
        if not same_at(exp.computed, number.number, number.decimals):
            yield exp, fig, number


@check
def check_declared_arithmetic(data: YearData) -> Iterator[Finding]:
    for exp, fig, number in arithmetic_mismatches(data):
        declared = declared_text(fig, number)
        computed = computed_text(exp)
        yield ARITH_001.finding(
            subject=f"declared:{exp.table}/{exp.key}",
            message=(
                f"{table_label(exp.table, data)}, {exp.what}: dichiarato {declared}, ma risulta "
                f"{computed} ({exp.how})."
            ),
            fix=(
                "Correggere il dato stampato, oppure la voce di dettaglio errata da cui è "
                "calcolato."
            ),
            objects=[_declared_ref(fig, exp, data)],
            values={"declared": declared, "computed": computed, "computation": exp.how},
            area=table_area(exp.table),
        )


@check
def check_variation_significance(data: YearData) -> Iterator[Finding]:
    for exp, fig, number in comparisons(data):
        if exp.kind != "variation":
            continue
        subject = f"declared:{exp.table}/{exp.key}"
        f, a = exp.forecast, exp.actual
        if f is None or a is None:  # never: finance gives a variation both amounts
            continue
        if exp.computed is None and not number.not_significant:
            declared = declared_text(fig, number)
            if f == 0:
                reason = "il preventivo è zero"
                raw = ""
            else:
                reason = "preventivo e consuntivo hanno segno opposto"
                raw_value = ((a - f) / abs(f) * HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
                sign = "+" if raw_value > 0 else ""
                raw = (
                    "; calcolata sul valore assoluto del preventivo sarebbe "
                    f"{sign}{_pct(raw_value)}, non {declared}"
                )
            yield ARITH_004.finding(
                subject=subject,
                message=(
                    f"{table_label(exp.table, data)}, {exp.what}: stampata {declared}, ma "
                    f"{reason} (preventivo {_num(f)}, consuntivo {_num(a)}) e la variazione % "
                    f"non è significativa{raw}."
                ),
                fix="Indicare «n.s.» e commentare nel testo lo scostamento in valore assoluto.",
                objects=[_declared_ref(fig, exp, data)],
                values={
                    "declared": declared,
                    "computed": "n.s.",
                    "forecast": _num(f),
                    "actual_amount": _num(a),
                },
                area=table_area(exp.table),
            )
        elif exp.computed is not None and number.not_significant:
            computed = _pct(exp.computed)
            yield ARITH_005.finding(
                subject=subject,
                message=(
                    f"{table_label(exp.table, data)}, {exp.what}: indicata «n.s.», ma è "
                    f"calcolabile: {computed} ({exp.how})."
                ),
                fix=(
                    "Riportare la variazione calcolata, o spiegare nel testo perché non è "
                    "significativa."
                ),
                objects=[_declared_ref(fig, exp, data)],
                values={"declared": "n.s.", "computed": computed},
                area=table_area(exp.table),
            )
