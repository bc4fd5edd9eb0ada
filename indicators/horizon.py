"""The triennial plan of an indicator: the targets of the years after the cycle's (N+1, N+2)
and the baseline, the value it starts from with the year that value refers to.

Every path that writes them (the services, hence the forms and the admin; the plan workbook)
reads them here, with the one parser of targets (:func:`indicators.services.parse_target`,
passed in: this module sits below the services), so a target for N+2 is written and stored
exactly as the year's own. No database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from . import domain, targets

# The plan's later years, by field: how many years after the cycle's.
LATER_TARGETS = {"target_n1": 1, "target_n2": 2}
FIELDS = frozenset({*LATER_TARGETS, "baseline", "baseline_year"})
LABELS = {
    "target_n1": "Risultato atteso N+1",
    "target_n2": "Risultato atteso N+2",
    "baseline": "Valore di partenza",
    "baseline_year": "Anno del valore di partenza",
}

TargetParser = Callable[[str, str], str]  # (kind, text) -> canonical text, or ValidationError


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages).rstrip(".")


def later_target(parse: TargetParser, kind: str, text: str) -> str:
    """A target of a later year of the plan, in the canonical form of the year's target;
    ``ValidationError`` with the Italian message otherwise."""
    try:
        return parse(kind, text or "")
    except ValidationError as exc:
        raise ValidationError(_messages(exc)) from exc


def baseline_value(parse: TargetParser, kind: str, text: str) -> str:
    """A baseline: a value of a past year, in the canonical form of the kind (what the target
    parser stores); never a threshold nor «monitoraggio», which are no values."""
    stored = later_target(parse, kind, text)
    value = targets.parse_target(stored).value
    if value.comparator:
        raise ValidationError(
            f"«{text}» è una soglia: il valore di partenza è un valore rilevato (es. 85,60%)"
        )
    if value.type is domain.ValueType.MONITORING:
        raise ValidationError("«monitoraggio» non è un valore: lasciare vuoto o scrivere il valore")
    return stored


def baseline_year_of(year: int, baseline: str, baseline_year: object) -> int | None:
    """The year the baseline refers to: the one given (before ``year``, the plan's), the year
    before when a baseline has none, none without a baseline."""
    if baseline_year in (None, ""):
        return year - 1 if baseline else None
    try:
        number = int(str(baseline_year))
    except ValueError as exc:
        raise ValidationError(f"«{baseline_year}» non è un anno: scrivere es. {year - 1}") from exc
    if not baseline:
        raise ValidationError("indicare anche il valore di partenza, o lasciare vuoto l'anno")
    if not 1990 <= number < year:
        raise ValidationError(
            f"{number}: il valore di partenza è di un anno precedente il {year} "
            f"(dal 1990 al {year - 1})"
        )
    return number


def clean(fields: Mapping[str, Any], *, kind: str, year: int, parse: TargetParser) -> dict:
    """The multi-year fields among ``fields`` cleaned; each error keyed by its field."""
    cleaned = dict(fields)
    errors: dict[str, str] = {}
    for name in LATER_TARGETS:
        if name in fields:
            try:
                cleaned[name] = later_target(parse, kind, fields[name] or "")
            except ValidationError as exc:
                errors[name] = _messages(exc) + "."
    if "baseline" in fields:
        try:
            cleaned["baseline"] = baseline_value(parse, kind, fields["baseline"] or "")
        except ValidationError as exc:
            errors["baseline"] = _messages(exc) + "."
    if "baseline" in fields or "baseline_year" in fields:
        try:
            cleaned["baseline_year"] = baseline_year_of(
                year, cleaned.get("baseline", ""), fields.get("baseline_year")
            )
        except ValidationError as exc:
            errors["baseline_year"] = _messages(exc) + "."
    if errors:
        raise ValidationError(errors)
    return cleaned


def carried(target: str, target_n1: str, target_n2: str) -> tuple[str, str, str]:
    """(target, N+1, N+2) of the next year's plan from this year's: the N+1 target becomes the
    year's, N+2 its N+1, and N+2 is left for the new plan to set. Without an N+1 the year's own
    target is the proposal (the caller moves its deadline)."""
    if target_n1:
        return target_n1, target_n2, ""
    return target, target_n2, ""


def carried_baseline(
    year: int, actual: str, baseline: str, baseline_year: int | None
) -> tuple[str, int | None]:
    """The next plan's baseline: the actual of ``year`` when known (a value, not NV or
    empty), else the baseline it had."""
    value = domain.parse_value(actual)
    if value.is_valid:
        return actual, year
    return baseline, baseline_year
