"""COMP: indicators and objectives that are missing something (an actual, the reason for a
gap, indicators, operational objectives, a weight)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from core import machine  # pure
from indicators import domain
from indicators.domain import ValueType

from .base import (
    PAST_DATA_ENTRY_STATES,
    ZERO,
    Finding,
    IndicatorData,
    ObjectRef,
    OperationalObjectiveData,
    Severity,
    StrategicObjectiveData,
    YearData,
    YearSettings,
    check,
    declare,
    indicator_check,
)
from .formatting import _short
from .indicators import _kind_problems, _values_text

COMP_001 = declare(
    "COMP-001",
    Severity.ERROR,
    "Indicatore senza valore ottenuto",
    "A rendicontazione chiusa ogni indicatore deve avere un valore ottenuto (o «NV» motivato).",
)
COMP_002 = declare(
    "COMP-002",
    Severity.WARNING,
    "Scostamento senza motivazione",
    "Indicatore valutato sotto il risultato atteso (realizzazione < 100%) senza la motivazione "
    "dello scostamento.",
)
COMP_003 = declare(
    "COMP-003",
    Severity.WARNING,
    "Obiettivo operativo senza indicatori",
    "Un obiettivo operativo non ha alcun indicatore e non può essere misurato.",
)
COMP_004 = declare(
    "COMP-004",
    Severity.WARNING,
    "Obiettivo strategico senza obiettivi operativi",
    "Un obiettivo strategico non è declinato in alcun obiettivo operativo.",
)
COMP_005 = declare(
    "COMP-005",
    Severity.ERROR,
    "Pesi tutti nulli",
    "Tutti gli indicatori di un obiettivo operativo hanno peso zero: l'obiettivo non può essere "
    "valutato.",
)


# --- COMP: completeness ------------------------------------------------------------------------


@indicator_check
def check_missing_actual(data: YearSettings, ind: IndicatorData) -> Iterator[Finding]:
    if data.state not in PAST_DATA_ENTRY_STATES or ind.actual_value.type is not ValueType.EMPTY:
        return
    yield COMP_001.finding(
        subject=f"indicator:{ind.id}",
        message=(
            f"L'indicatore «{_short(ind.name)}» non ha un valore ottenuto, ma il ciclo è in "
            f"stato «{machine.label(data.state)}» (inserimento dati chiuso)."
        ),
        fix="Inserire il valore ottenuto, oppure «NV» con la motivazione dello scostamento.",
        objects=[ind.ref()],
        values={"target": ind.target, "actual": ""},
        area="indicators",
    )


@indicator_check
def check_unexplained_gap(data: YearSettings, ind: IndicatorData) -> Iterator[Finding]:
    if _kind_problems(ind) or ind.explanation.strip():
        return
    computed = ind.realization(data.missed_deadline_pct)
    if not domain.is_below_target(computed):
        return
    yield COMP_002.finding(
        subject=f"indicator:{ind.id}",
        message=(
            f"L'indicatore «{_short(ind.name)}» è sotto il risultato atteso (realizzazione "
            f"{domain.format_pct(computed)}: {_values_text(ind)}) ma non ha la motivazione "
            "dello scostamento."
        ),
        fix="Inserire la motivazione dello scostamento, obbligatoria sotto il 100%.",
        objects=[ind.ref()],
        values={
            "target": ind.target,
            "actual": ind.actual,
            "computed_realization": domain.format_pct(computed),
        },
        area="indicators",
    )


def _strategic_of(data: YearData) -> dict[int, StrategicObjectiveData]:
    return {s.id: s for s in data.strategic_objectives}


def _op_subject(
    op: OperationalObjectiveData, so: StrategicObjectiveData | None
) -> tuple[str, list[ObjectRef]]:
    """Whom a finding on an operational objective names: the objective, or for an implicit
    one (indicators placed directly on the strategic objective) the strategic objective, the
    level the body has."""
    if op.implicit and so is not None:
        ref = ObjectRef("strategic_objective", so.id, f"{so.code} {so.name}")
        return f"strategic_objective:{so.id}", [ref]
    return f"operational_objective:{op.id}", [ObjectRef("operational_objective", op.id, op.name)]


@check
def check_objectives_without_indicators(data: YearData) -> Iterator[Finding]:
    with_indicators = {i.operational_objective_id for i in data.indicators}
    strategic = _strategic_of(data)
    for op in data.operational_objectives:
        if op.id in with_indicators:
            continue
        so = strategic.get(op.strategic_objective_id)
        code = so.code if so else "?"
        if op.implicit and so is not None:
            message = f"L'obiettivo strategico {code} «{_short(so.name)}» non ha indicatori."
        else:
            message = (
                f"L'obiettivo operativo «{_short(op.name)}» (obiettivo strategico {code}) non "
                "ha indicatori."
            )
        subject, objects = _op_subject(op, so)
        yield COMP_003.finding(
            subject=subject,
            objects=objects,
            message=message,
            fix=(
                "Associare almeno un indicatore all'obiettivo; se è lo stesso obiettivo scritto "
                "con un nome diverso in un altro cruscotto, unificare i due nomi."
            ),
            values={"strategic_objective": code},
            area="objectives",
        )


@check
def check_strategic_without_operational(data: YearData) -> Iterator[Finding]:
    with_children = {op.strategic_objective_id for op in data.operational_objectives}
    for so in data.strategic_objectives:
        if so.id in with_children:
            continue
        yield COMP_004.finding(
            subject=f"strategic_objective:{so.id}",
            message=(
                f"L'obiettivo strategico {so.code} «{_short(so.name)}» non ha obiettivi operativi."
            ),
            fix="Declinare l'obiettivo strategico in almeno un obiettivo operativo con indicatori.",
            objects=[ObjectRef("strategic_objective", so.id, f"{so.code} {so.name}")],
            values={"code": so.code},
            area="objectives",
        )


@check
def check_zero_weights(data: YearData) -> Iterator[Finding]:
    weights: dict[int, list[Decimal]] = defaultdict(list)
    for ind in data.indicators:
        if ind.operational_objective_id is not None:
            weights[ind.operational_objective_id].append(ind.weight or ZERO)
    strategic = _strategic_of(data)
    for op in data.operational_objectives:
        ws = weights.get(op.id)
        if not ws or any(w > 0 for w in ws):
            continue
        so = strategic.get(op.strategic_objective_id)
        whose = (
            f"dell'obiettivo strategico {so.code} «{_short(so.name)}»"
            if op.implicit and so is not None
            else f"dell'obiettivo operativo «{_short(op.name)}»"
        )
        subject, objects = _op_subject(op, so)
        yield COMP_005.finding(
            subject=subject,
            objects=objects,
            message=(
                f"Tutti i {len(ws)} indicatori {whose} hanno peso zero: la realizzazione "
                "dell'obiettivo non può essere calcolata."
            ),
            fix="Assegnare un peso maggiore di zero ad almeno un indicatore dell'obiettivo.",
            values={"indicators": str(len(ws))},
            area="objectives",
        )
