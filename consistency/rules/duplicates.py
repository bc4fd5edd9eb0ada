"""DUP: the same indicator (same name) printed with different values."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .base import Finding, IndicatorData, Rule, Severity, YearData, check, declare
from .formatting import _short, _value_identity, normalize_name
from .indicators import _values_text, _where

DUP_001 = declare(
    "DUP-001",
    Severity.ERROR,
    "Stesso indicatore con valori diversi",
    "Lo stesso indicatore (stesso nome) è riportato in cruscotti o sezioni diverse con "
    "risultato atteso o valore ottenuto diversi.",
)
DUP_003 = declare(
    "DUP-003",
    Severity.WARNING,
    "Stesso nome con valori diversi in obiettivi strategici diversi",
    "Indicatori con lo stesso nome ma valori diversi sotto obiettivi strategici (o gruppi di "
    "obiettivi comuni) diversi: possono essere indicatori distinti con un nome generico.",
)
DUP_002 = declare(
    "DUP-002",
    Severity.WARNING,
    "Stesso indicatore con soglia scritta in modo diverso",
    "Lo stesso indicatore ha gli stessi valori ma il risultato atteso è scritto come soglia "
    "(«>40%») in un cruscotto e come valore («40%») in un altro.",
)


# --- DUP: the same indicator printed with different values ----------------------------------


def _family(ind: IndicatorData, strategic_of: dict[int, int]) -> tuple[str, int | None]:
    """The strategic objective (or common group) an indicator measures."""
    if ind.common_group_id is not None:
        return ("group", ind.common_group_id)
    operational = ind.operational_objective_id
    return ("strategic", None if operational is None else strategic_of.get(operational))


Variants = dict[tuple[object, ...], list[IndicatorData]]


@check
def check_duplicates(data: YearData) -> Iterator[Finding]:
    strategic_of = {op.id: op.strategic_objective_id for op in data.operational_objectives}
    groups: dict[str, list[IndicatorData]] = defaultdict(list)
    for ind in data.indicators:
        groups[normalize_name(ind.name)].append(ind)
    for items in groups.values():
        if len(items) < 2:
            continue
        variants: Variants = defaultdict(list)
        for ind in items:
            t, a = ind.target_value, ind.actual_value
            key = (_value_identity(t), t.comparator, _value_identity(a), a.comparator)
            variants[key].append(ind)
        if len(variants) < 2:
            continue  # printed in several places with the same figures (85,60% == 85,6%)
        yield _duplicate_finding(items, variants, strategic_of)


def _duplicate_rule(
    items: list[IndicatorData], variants: Variants, strategic_of: dict[int, int]
) -> Rule:
    """DUP-002 if only the writing differs, DUP-001 within one objective, else DUP-003."""
    meanings = {(k[0], k[2]) for k in variants}
    families = {_family(ind, strategic_of) for ind in items}
    if len(meanings) == 1:
        return DUP_002
    if len(families) == 1:
        return DUP_001
    return DUP_003


def _duplicate_text(rule: Rule, name: str, described: list[str]) -> tuple[str, str]:
    """The message and the fix of a duplicate."""
    if rule is DUP_003:
        message = (
            f"Più indicatori si chiamano «{name}» in obiettivi strategici diversi, con valori "
            f"diversi: {'; '.join(described)}."
        )
        fix = (
            "Se sono indicatori distinti, dare loro un nome che li distingua; se sono lo "
            "stesso indicatore, uniformare i valori e l'obiettivo a cui è collegato."
        )
    elif rule is DUP_002:
        message = (
            f"L'indicatore «{name}» ha gli stessi valori ovunque, ma il risultato atteso è "
            f"scritto in modo diverso: {'; '.join(described)}."
        )
        fix = "Uniformare la scrittura del risultato atteso (soglia o valore) in ogni cruscotto."
    else:
        message = f"L'indicatore «{name}» è riportato con valori diversi: {'; '.join(described)}."
        fix = (
            "Verificare quale sia il dato corretto e uniformarlo in tutti i cruscotti; se "
            "sono due misure diverse, dare loro nomi diversi."
        )
    return message, fix


def _duplicate_finding(
    items: list[IndicatorData], variants: Variants, strategic_of: dict[int, int]
) -> Finding:
    rule = _duplicate_rule(items, variants, strategic_of)
    ids = sorted(ind.id for ind in items)
    described = []
    for inds in variants.values():
        first = inds[0]
        places = _where(p for ind in inds for p in ind.rows)
        described.append(f"{_values_text(first)} in {places}")
    name = _short(items[0].name)
    message, fix = _duplicate_text(rule, name, described)
    values = {}
    for n, inds in enumerate(variants.values(), start=1):
        values[f"variant_{n}"] = (
            f"atteso {inds[0].target or '-'}, ottenuto {inds[0].actual or '-'}: "
            + ", ".join(f"{p.section} {p.scorecard_title}" for ind in inds for p in ind.rows)
        )
    return rule.finding(
        subject="indicators:" + ",".join(str(i) for i in ids),
        message=message,
        fix=fix,
        objects=[ind.ref() for ind in sorted(items, key=lambda i: i.id)],
        values=values,
        area="indicators",
    )
