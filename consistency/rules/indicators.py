"""REAL, DEAD, KIND: the realization an indicator declares, its deadlines and the type of its
values; and the predicates on indicators the other families share."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from indicators import domain
from indicators.domain import Direction, Kind, Value, ValueType
from lib.italian import format_date

from .base import (
    HUNDRED,
    PAST_DATA_ENTRY_STATES,
    RULES,
    ZERO,
    Finding,
    IndicatorData,
    ObjectRef,
    Placement,
    Severity,
    YearSettings,
    declare,
    indicator_check,
)
from .formatting import _short, _shown

REAL_001 = declare(
    "REAL-001",
    Severity.ERROR,
    "% di realizzazione dichiarata diversa da quella calcolata",
    "La % di realizzazione stampata in un cruscotto non corrisponde a quella che risulta dal "
    "risultato atteso e dal valore ottenuto (confronto alla precisione dichiarata).",
)
DEAD_001 = declare(
    "DEAD-001",
    Severity.ERROR,
    "Scadenza mancata dichiarata realizzata al 100%",
    "Indicatore a scadenza raggiunto dopo la data attesa ma dichiarato realizzato al 100%.",
)
DEAD_002 = declare(
    "DEAD-002",
    Severity.WARNING,
    "Scadenza senza data di raggiungimento",
    "Indicatore a scadenza senza una data valida come valore ottenuto (non valutabile, o "
    "mancante a scadenza passata).",
)
KIND_001 = declare(
    "KIND-001",
    Severity.ERROR,
    "Valore di tipo diverso da quello dell'indicatore",
    "Un risultato atteso o un valore ottenuto non è del tipo dell'indicatore (un numero per "
    "una scadenza, una data per un indicatore numerico, un Sì/No con un numero...).",
)
KIND_002 = declare(
    "KIND-002",
    Severity.ERROR,
    "Avanzamento di progetto fuori dall'intervallo 0-100%",
    "Un indicatore di avanzamento di progetto riporta una percentuale negativa o oltre il 100%.",
)
KIND_003 = declare(
    "KIND-003",
    Severity.ERROR,
    "Valore non valido",
    "Un risultato atteso o un valore ottenuto non è interpretabile (es. la data impossibile "
    "00/01/1900, tipica di una cella vuota di foglio di calcolo).",
)
KIND_004 = declare(
    "KIND-004",
    Severity.WARNING,
    "Conteggio espresso in percentuale",
    "Il nome dell'indicatore indica un numero (conteggio) ma i valori sono percentuali.",
)


# --- Indicators: shared predicates ---------------------------------------------------------

_DATE_LIKE = re.compile(r"^\d{1,2}/\d{1,2}/\d{1,4}$")
_TYPE_WORDS = {
    ValueType.NUMBER: "un numero",
    ValueType.DATE: "una data",
    ValueType.BOOLEAN: "un valore Sì/No",
}
_FIELDS = (("target", "risultato atteso"), ("actual", "valore ottenuto"))
# What a qualitative indicator may hold besides a level of the scale (the other rules say it).
_NOT_A_LEVEL = frozenset({ValueType.EMPTY, ValueType.NV, ValueType.MONITORING})


def _field_value(ind: IndicatorData, name: str) -> Value:
    return ind.target_value if name == "target" else ind.actual_value


def _project_out_of_range(kind: Kind, value: Value) -> bool:
    return (
        kind is Kind.PROJECT
        and value.type is ValueType.NUMBER
        and value.number is not None
        and not (ZERO <= value.number <= HUNDRED)
    )


def _kind_problems(ind: IndicatorData) -> list[tuple[str, str, Value, str]]:
    """(rule code, field, value, field label) for every value that does not fit the kind;
    asked by several rules of a run, found once."""
    if "kind_problems" not in ind.memo:
        ind.memo["kind_problems"] = _find_kind_problems(ind)
    problems: list[tuple[str, str, Value, str]] = ind.memo["kind_problems"]
    return problems


def _find_kind_problems(ind: IndicatorData) -> list[tuple[str, str, Value, str]]:
    problems = []
    kind = ind.kind_enum
    for name, label in _FIELDS:
        value = _field_value(ind, name)
        if kind is Kind.QUALITATIVE:
            if value.type in _NOT_A_LEVEL or domain.scale_level(value, ind.scale):
                continue
            code = KIND_003.code if value.type is ValueType.INVALID else KIND_001.code
            problems.append((code, name, value, label))
        elif value.type is ValueType.INVALID:
            problems.append((KIND_003.code, name, value, label))
        elif value.is_valid and not domain.value_fits_kind(kind, value):
            code = KIND_002.code if _project_out_of_range(kind, value) else KIND_001.code
            problems.append((code, name, value, label))
    return problems


def _late_deadline(ind: IndicatorData) -> bool:
    t, a = ind.target_value, ind.actual_value
    return (
        ind.kind_enum is Kind.DEADLINE
        and t.type is ValueType.DATE
        and a.type is ValueType.DATE
        and t.date is not None
        and a.date is not None
        and a.date > t.date
    )


def _declares_full(placement: Placement) -> bool:
    declared = domain.parse_value(placement.declared_realization)
    return declared.type is ValueType.NUMBER and declared.number == HUNDRED


def _late_declared_full(ind: IndicatorData, missed_pct: Decimal) -> list[Placement]:
    """Rows printing 100% for a deadline met late, when the body's rule gives it less."""
    if not _late_deadline(ind):
        return []
    computed = ind.realization(missed_pct)
    if computed is not None and computed >= HUNDRED:
        return []  # the body counts late deadlines as achieved: 100% is its rule
    return [p for p in ind.rows if _declares_full(p)]


def _values_text(ind: IndicatorData) -> str:
    return f"atteso {_shown(ind.target)}, ottenuto {_shown(ind.actual)}"


def _not_valued_reason(ind: IndicatorData) -> str:
    return domain.not_valued_reason(
        ind.kind_enum, Direction(ind.direction), ind.target_value, ind.actual_value
    )


def _where(placements: Iterable[Placement]) -> str:
    return ", ".join(p.where for p in placements) or "nessun cruscotto"


# --- REAL: declared realization -------------------------------------------------------------


@indicator_check
def check_declared_realization(data: YearSettings, ind: IndicatorData) -> Iterator[Finding]:
    declaring = [row for row in ind.rows if row.declared_realization.strip()]
    if not declaring or _kind_problems(ind):
        return  # nothing declared; KIND-*: the realization cannot be verified, said there
    computed = ind.realization(data.missed_deadline_pct)
    late_rows = {p.row_id for p in _late_declared_full(ind, data.missed_deadline_pct)}
    for row in declaring:
        if row.row_id in late_rows:
            continue  # DEAD-001
        declared = domain.parse_value(row.declared_realization)
        if domain.declared_matches(computed, declared):
            continue
        if computed is None:
            result = f"non è valutabile ({_not_valued_reason(ind)})"
        else:
            result = f"risulta {domain.format_pct(computed)}"
        yield REAL_001.finding(
            subject=f"row:{row.row_id}",
            message=(
                f"Nel cruscotto {row.where} l'indicatore «{_short(ind.name)}» riporta una "
                f"% di realizzazione di {_shown(row.declared_realization)}, ma dai valori "
                f"({_values_text(ind)}) {result}."
            ),
            fix=(
                "Correggere la % di realizzazione stampata nel cruscotto, oppure il "
                "risultato atteso o il valore ottenuto se sono questi a essere errati."
            ),
            objects=[
                ind.ref(),
                ObjectRef("scorecard", row.scorecard_id, row.scorecard_title),
            ],
            values={
                "declared_realization": row.declared_realization,
                "computed_realization": domain.format_pct(computed),
                "target": ind.target,
                "actual": ind.actual,
            },
            area="indicators",
        )


# --- DEAD: deadlines --------------------------------------------------------------------------


@indicator_check
def check_late_deadlines(data: YearSettings, ind: IndicatorData) -> Iterator[Finding]:
    rows = _late_declared_full(ind, data.missed_deadline_pct)
    t, a = ind.target_value.date, ind.actual_value.date
    if not rows or t is None or a is None:  # rows: a deadline met late, both dates given
        return
    computed = ind.realization(data.missed_deadline_pct)
    yield DEAD_001.finding(
        subject=f"indicator:{ind.id}",
        message=(
            f"L'indicatore a scadenza «{_short(ind.name)}» è stato raggiunto il "
            f"{format_date(a)}, {(a - t).days} giorni dopo la data attesa del "
            f"{format_date(t)}, ma è dichiarato realizzato al 100% in {_where(rows)}; "
            f"con la regola dell'ente (scadenza mancata = "
            f"{domain.format_pct(data.missed_deadline_pct)}) la realizzazione è "
            f"{domain.format_pct(computed)}."
        ),
        fix=(
            f"Riportare la realizzazione calcolata ({domain.format_pct(computed)}) e motivare "
            "il ritardo; se il termine era stato spostato, registrare la revisione formale "
            "della scadenza."
        ),
        objects=[ind.ref()]
        + [ObjectRef("scorecard", p.scorecard_id, p.scorecard_title) for p in rows],
        values={
            "target": ind.target,
            "actual": ind.actual,
            "days_late": str((a - t).days),
            "declared_realization": "100%",
            "computed_realization": domain.format_pct(computed),
        },
        area="indicators",
    )


@indicator_check
def check_deadline_without_date(data: YearSettings, ind: IndicatorData) -> Iterator[Finding]:
    if ind.kind_enum is not Kind.DEADLINE:
        return
    a, t = ind.actual_value, ind.target_value
    if a.type is ValueType.NV or a.type is ValueType.MONITORING:
        reason = f"il valore ottenuto è {_shown(ind.actual)}"
    elif a.type is ValueType.EMPTY:
        if data.state in PAST_DATA_ENTRY_STATES:
            return  # COMP-001 reports the missing actual
        deadline = t.date if t.type is ValueType.DATE else None
        if not (deadline and data.as_of and deadline < data.as_of):
            return  # the deadline has not passed yet
        reason = f"la scadenza del {format_date(deadline)} è passata senza data"
    else:
        return  # a date (fine) or a value of another type (KIND-*)
    yield DEAD_002.finding(
        subject=f"indicator:{ind.id}",
        message=(
            f"L'indicatore a scadenza «{_short(ind.name)}» non ha una data di "
            f"raggiungimento valida: {reason}."
        ),
        fix=(
            "Inserire la data in cui il risultato è stato raggiunto, oppure motivare perché "
            "l'indicatore non è valutabile."
        ),
        objects=[ind.ref()],
        values={"target": ind.target, "actual": ind.actual},
        area="indicators",
    )


# --- KIND: values that do not fit the indicator's kind --------------------------------------


@indicator_check
def check_value_kinds(data: YearSettings, ind: IndicatorData) -> Iterator[Finding]:
    problems = _kind_problems(ind)
    if not problems:
        return
    kind_label = domain.KIND_LABELS[ind.kind_enum]
    declared = sorted({p.declared_realization for p in ind.rows if p.declared_realization})
    unverifiable = (
        f" La % di realizzazione dichiarata ({', '.join(declared)}) non è verificabile."
        if declared
        else ""
    )
    by_rule: dict[str, list[tuple[str, Value, str]]] = defaultdict(list)
    for code, name, value, label in problems:
        by_rule[code].append((name, value, label))
    for code, found in by_rule.items():
        parts = []
        for _name, value, label in found:
            if code == KIND_003.code:
                what = " (data impossibile)" if _DATE_LIKE.match(value.raw) else ""
                parts.append(f"il {label} {_shown(value.raw)} non è un valore valido{what}")
            elif code == KIND_002.code:
                parts.append(
                    f"il {label} {_shown(value.raw)} è fuori dall'intervallo 0-100% di un "
                    "avanzamento di progetto"
                )
            else:
                parts.append(f"il {label} {_shown(value.raw)} è {_TYPE_WORDS[value.type]}")
        fix = {
            KIND_001.code: (
                "Correggere il valore oppure il tipo dell'indicatore (es. «Scadenza (data)» "
                "se il risultato è una data, «Numero» se è un conteggio)."
            ),
            KIND_002.code: "Riportare l'avanzamento del progetto come percentuale tra 0 e 100.",
            KIND_003.code: (
                "Sostituire il valore con un dato valido, oppure indicare «NV» con la "
                "motivazione se il dato non è disponibile."
            ),
        }[code]
        yield RULES[code].finding(
            subject=f"indicator:{ind.id}",
            message=(
                f"L'indicatore «{_short(ind.name)}» è di tipo «{kind_label}» "
                f"({_values_text(ind)}), ma {' e '.join(parts)}.{unverifiable}"
            ),
            fix=fix,
            objects=[ind.ref()],
            values={
                "kind": kind_label,
                "target": ind.target,
                "actual": ind.actual,
                **({"declared_realization": ", ".join(declared)} if declared else {}),
            },
            area="indicators",
        )


_COUNT_WORDS = re.compile(r"\b(numero|n\.)\s", re.IGNORECASE)
_RATIO_WORDS = re.compile(
    r"[/|%]|\b(percentuale|rapporto|tasso|grado|quota|incidenza|indice)\b", re.IGNORECASE
)


def _may_count(name: str) -> bool:
    """False where _COUNT_WORDS cannot match (neither word is there, in any case: no other
    character folds to those letters), at a fraction of the search's cost."""
    lowered = name.lower()
    return "numero" in lowered or "n." in lowered


@indicator_check
def check_count_as_percentage(data: YearSettings, ind: IndicatorData) -> Iterator[Finding]:
    match = _COUNT_WORDS.search(ind.name) if _may_count(ind.name) else None
    if not match or _RATIO_WORDS.search(ind.name):
        return
    if not (ind.target_value.percent or ind.actual_value.percent):
        return
    yield KIND_004.finding(
        subject=f"indicator:{ind.id}",
        message=(
            f"Il nome dell'indicatore «{_short(ind.name)}» indica un conteggio "
            f"(«{match.group(1)}») ma i valori sono percentuali ({_values_text(ind)})."
        ),
        fix=(
            "Verificare l'unità di misura: riportare il conteggio, oppure rinominare "
            "l'indicatore come percentuale indicandone numeratore e denominatore."
        ),
        objects=[ind.ref()],
        values={"target": ind.target, "actual": ind.actual},
        area="indicators",
    )
