"""ARITH-002, -003: a figure the document gives twice (in two tables, or in a table and a
text) with two values."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .base import (
    GENDERS,
    ZERO,
    DeclaredData,
    Finding,
    ObjectRef,
    Severity,
    YearData,
    check,
    declare,
)
from .figures import _Staff, table_label
from .formatting import _num, normalize_name

ARITH_002 = declare(
    "ARITH-002",
    Severity.ERROR,
    "Stesso dato riportato due volte con valori diversi",
    "Lo stesso dato (es. personale per genere, part-time, totale interventi economici) è "
    "riportato in due tabelle con valori diversi.",
)
ARITH_003 = declare(
    "ARITH-003",
    Severity.WARNING,
    "Stesso dato con due valori (forse due definizioni)",
    "Il documento riporta due valori per la stessa grandezza (es. FTE): può trattarsi di due "
    "definizioni diverse, da chiarire nel testo.",
)


CrossPair = tuple[str, str, str, Decimal, str, Decimal, list[ObjectRef], str]


def _cross_pairs(data: YearData) -> Iterator[CrossPair]:
    """(subject, what, label a, value a, label b, value b, objects, area) of each figure the
    document gives twice."""
    staff = _Staff(data)
    staff_label = f"la tabella del personale per area e genere al 31/12/{data.year}"
    yield from _by_category_pairs(data, staff, staff_label)
    yield from _in_service_pairs(data, staff, staff_label)
    yield from _part_time_pairs(data, staff, staff_label)
    yield from _interventions_pairs(data)


def _fig_ref(fig: DeclaredData, what: str) -> ObjectRef:
    return ObjectRef("declared_figure", fig.id, f"{table_label(fig.table)}: {what}")


def _by_category_pairs(data: YearData, staff: _Staff, staff_label: str) -> Iterator[CrossPair]:
    """The split by area of the gender table repeats the staff table."""
    y = data.year
    cats = [c.name for c in data.staff_categories]
    if staff.has(y):
        for c in cats:
            for g, gk, glabel in GENDERS:
                fig = data.declared_figure("gender.by_category", f"{y}.{c}.{gk}")
                if fig is None or fig.value is None:
                    continue
                what = f"{c}, {glabel.lower()} {y}"
                yield (
                    f"declared:gender.by_category/{y}.{c}.{gk}",
                    what,
                    "il bilancio di genere (personale per area)",
                    fig.value,
                    staff_label,
                    Decimal(staff.count(y, c, g)),
                    [_fig_ref(fig, what)],
                    "staff",
                )


def _in_service_pairs(data: YearData, staff: _Staff, staff_label: str) -> Iterator[CrossPair]:
    """Staff in service by gender vs the headcounts of the same year, and its total vs the
    total of the table by area."""
    y, prev = data.year, data.year - 1
    for year in (prev, y):
        if not staff.has(year):
            continue
        source = staff_label if year == y else f"la tabella per area {year}"
        for g, gk, glabel in GENDERS:
            fig = data.declared_figure("gender.in_service", f"{year}.{gk}")
            if fig is None or fig.value is None:
                continue
            what = f"personale in servizio {year}, {glabel.lower()}"
            yield (
                f"declared:gender.in_service/{year}.{gk}",
                what,
                "la tabella del personale in servizio",
                fig.value,
                source,
                Decimal(staff.count(year, gender=g)),
                [_fig_ref(fig, what)],
                "staff",
            )
        # ... and its total vs the total of the table by area.
        total = data.declared_figure("gender.in_service", f"{year}.totale")
        by_area = data.declared_figure("gender.by_category", f"{year}.totale.all")
        if total and by_area and total.value is not None and by_area.value is not None:
            what = f"personale in servizio {year}, totale"
            yield (
                f"declared:gender.in_service/{year}.totale",
                what,
                "la tabella del personale in servizio",
                total.value,
                "la tabella del personale per area",
                by_area.value,
                [_fig_ref(total, what), _fig_ref(by_area, f"totale {year}")],
                "staff",
            )


def _part_time_pairs(data: YearData, staff: _Staff, staff_label: str) -> Iterator[CrossPair]:
    """Part-time by gender: the gender table vs the staff table, and the text vs the table."""
    y = data.year
    if staff.has(y):
        for g, gk, glabel in GENDERS:
            pt = data.part_time.get((y, g))
            if pt is None:
                continue
            yield (
                f"part_time:{y}.{gk}",
                f"personale a tempo parziale {y}, {glabel.lower()}",
                "il bilancio di genere (tempo parziale)",
                Decimal(pt),
                staff_label,
                Decimal(staff.count(y, gender=g, contracts={"part"})),
                [ObjectRef("part_time_count", f"{y}.{g}", f"Tempo parziale {y}, {glabel}")],
                "staff",
            )
    w, m = data.part_time.get((y, "F")), data.part_time.get((y, "M"))
    fig = data.declared_figure("gender.part_time_narrative", "declared_count")
    if fig and fig.value is not None and w is not None and m is not None:
        what = f"personale a tempo parziale {y}"
        yield (
            "declared:gender.part_time_narrative/declared_count",
            what,
            "il testo del bilancio di genere",
            fig.value,
            "la tabella del tempo parziale",
            Decimal(w + m),
            [_fig_ref(fig, what)],
            "staff",
        )


def _interventions_pairs(data: YearData) -> Iterator[CrossPair]:
    """The total of the interventi economici is line 8 of the conto economico."""
    line = next(
        (
            b
            for b in data.budget_lines
            if normalize_name(b.label) == "interventi economici" and b.forecast is not None
        ),
        None,
    )
    if line and data.interventions:
        for key, attr, label in (
            ("preventivo", "forecast", "previsione"),
            ("consuntivo", "actual", "costi"),
        ):
            total = sum((getattr(i, attr) for i in data.interventions), ZERO)
            yield (
                f"interventions:totale.{key}",
                f"interventi economici, {label}",
                "la tabella delle iniziative di promozione economica",
                total,
                f"il conto economico (voce {line.code})",
                getattr(line, attr),
                [ObjectRef("budget_line", line.id, f"{line.code}) {line.label}")],
                "finance",
            )


@check
def check_figures_given_twice(data: YearData) -> Iterator[Finding]:
    for subject, what, label_a, a, label_b, b, objects, area in _cross_pairs(data):
        if a == b:
            continue
        yield ARITH_002.finding(
            subject=subject,
            message=(
                f"{what[:1].upper()}{what[1:]}: {label_a} riporta {_num(a)}, {label_b} {_num(b)}."
            ),
            fix="Verificare quale dei due valori è corretto e correggere l'altro.",
            objects=objects,
            values={"first": _num(a), "second": _num(b)},
            area=area,
        )


@check
def check_fte(data: YearData) -> Iterator[Finding]:
    for ratio in data.ratios:
        if "full time equivalent" not in ratio.label.casefold():
            continue
        for year, value in ((data.year, ratio.value), (data.year - 1, ratio.previous_value)):
            fte = data.fte.get(year)
            if fte is None or value is None:
                continue
            if fte.quantize(Decimal("0.01")) == Decimal(value).quantize(Decimal("0.01")):
                continue
            yield ARITH_003.finding(
                subject=f"fte:{year}",
                message=(
                    f"FTE {year}: la sezione sul personale riporta {_num(fte, 2)}, la tabella "
                    f"degli indici di bilancio {_num(Decimal(value), 2)} («{ratio.label}», "
                    f"{ratio.group}). "
                    "Possono essere due definizioni diverse (es. al 31/12 o media dell'anno)."
                ),
                fix=(
                    "Chiarire nel testo la definizione di ciascun valore, oppure uniformarli se "
                    "indicano la stessa grandezza."
                ),
                objects=[
                    ObjectRef("workforce", year, f"Indice FTE {year}"),
                    ObjectRef("financial_ratio", ratio.id, ratio.label),
                ],
                values={"staff_section": _num(fte, 2), "ratios_table": _num(Decimal(value), 2)},
                area="staff",
            )
