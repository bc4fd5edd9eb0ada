"""Data entry rules as pure functions (no database): typed values per kind, the mandatory
explanation, and the validation of a batch of rows (a web form or an uploaded workbook).

The services feed these functions with snapshots of the indicators and apply the result in a
transaction; the tests call them with plain values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.scoring_method import DEFAULT_SCALE, ScaleLevel
from lib.formulas import Formula

from . import domain
from .domain import Kind, ValueType

MAX_TEXT = 4000  # an explanation longer than this is certainly a paste gone wrong
MAX_VALUE = 60  # Indicator.actual / target max_length
# Written as a date, possibly one that does not exist (``31/02/2023``, ``00.01.1900``).
_DATE_LIKE = re.compile(r"^\d{1,2}([/.])\d{1,2}\1\d{1,4}$")

KIND_HINTS = {
    Kind.NUMBER: "un numero in formato italiano (es. 1.284 oppure 12,5)",
    Kind.RATIO: "un numero in formato italiano (es. 1,09)",
    Kind.CURRENCY: "un importo in formato italiano (es. 1.250,00)",
    Kind.PERCENTAGE: "una percentuale (es. 85,60%)",
    Kind.PROJECT: "una percentuale di avanzamento tra 0 e 100 (es. 75%)",
    Kind.DEADLINE: "una data nel formato gg/mm/aaaa (es. 30/06/2023)",
    Kind.BOOLEAN: "SI oppure NO",
    Kind.QUALITATIVE: "un livello della scala di giudizio dell'ente (es. buono)",
}


class EntryError(ValueError):
    """A value that cannot be stored; the message is Italian and meant for the person."""


def _level(text: str, scale: tuple[ScaleLevel, ...]) -> str:
    """A qualitative value: the scale's level as the scale writes it."""
    level = domain.scale_level(domain.parse_value(text), scale)
    if level is None:
        levels = ", ".join(item.label for item in scale)
        raise EntryError(
            f"Valore non valido: inserire un livello della scala dell'ente ({levels})."
        )
    return level.label


def normalize_actual(kind: str, text: object, scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE) -> str:
    """The canonical text to store for an actual typed by a person, or :class:`EntryError`.

    Empty clears the value; ``NV`` (non valutabile) is always accepted. A formula cell of a
    workbook (:class:`lib.formulas.Formula`) is never evaluated: it is refused here, so it
    cannot reach a spreadsheet as a value; a typed text starting with ``=`` is read as any
    text (and, not being a value, refused with the same hint).
    """
    kind = Kind(kind)
    if isinstance(text, Formula):
        raise EntryError(f"Le formule non sono ammesse: inserire {KIND_HINTS[kind]}.")
    raw = "" if text is None else str(text).strip()
    if not raw:
        return ""
    if len(raw) > MAX_VALUE:
        raise EntryError(f"Valore troppo lungo (massimo {MAX_VALUE} caratteri).")
    value = domain.parse_value(raw)
    if value.type is ValueType.NV:
        return "NV"
    if kind is Kind.QUALITATIVE:
        return _level(raw, scale)
    if value.type is ValueType.NUMBER and kind in domain.NUMERIC_KINDS and value.comparator:
        raise EntryError("Il valore ottenuto non può contenere <, >, ≤ o ≥: inserire il numero.")
    if value.type is ValueType.NUMBER and kind is Kind.PERCENTAGE and not value.percent:
        value = domain.parse_value(raw + "%")
    if value.type is ValueType.NUMBER and kind is Kind.PROJECT and not value.percent:
        value = domain.parse_value(raw + "%")
    if value.type is ValueType.NUMBER and kind is not Kind.CURRENCY and value.currency:
        raise EntryError(f"Inserire {KIND_HINTS[kind]}, senza il simbolo €.")
    if not value.is_valid or not domain.value_fits_kind(kind, value):
        raise _not_of_kind(kind, value, raw)
    text = domain.format_value(value)
    if len(text) > MAX_VALUE:
        # The stored text, not the typed one, must fit the column: thousands separators make a
        # 50-digit number 66 characters (a DataError on PostgreSQL, silently kept on SQLite).
        raise EntryError(
            f"Numero troppo grande: scritto in formato italiano supera i {MAX_VALUE} caratteri "
            "ammessi."
        )
    return text


def _not_of_kind(kind: Kind, value: domain.Value, raw: str) -> EntryError:
    """Why a typed value does not fit its kind, with the format to use."""
    if value.type is ValueType.INVALID and raw.startswith("="):
        return EntryError(f"Le formule non sono ammesse: inserire {KIND_HINTS[kind]}.")
    if kind is Kind.DEADLINE and value.type is ValueType.INVALID and _DATE_LIKE.match(raw):
        return EntryError("Data inesistente: usare il formato gg/mm/aaaa (es. 30/06/2023).")
    if kind is Kind.PROJECT and value.type is ValueType.NUMBER:
        return EntryError("L'avanzamento di un progetto deve essere tra 0% e 100%.")
    return EntryError(f"Valore non valido: inserire {KIND_HINTS[kind]}.")


def needs_explanation(
    kind: str,
    direction: str,
    target: str,
    actual: str,
    missed_deadline_pct: Decimal,
    *,
    proportional: bool = False,
    scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE,
) -> bool:
    """Whether the actual leaves the indicator below target (the gap must be explained)."""
    value = domain.realization(
        kind,
        direction,
        domain.parse_value(target),
        domain.parse_value(actual),
        missed_deadline_pct=missed_deadline_pct,
        proportional=proportional,
        scale=scale,
    )
    return domain.is_below_target(value)


def clean_text(text: object) -> str:
    raw = "" if text is None else str(text).strip()
    if len(raw) > MAX_TEXT:
        raise EntryError(f"Testo troppo lungo (massimo {MAX_TEXT} caratteri).")
    return raw


# --- Batches (web form with many rows, Excel upload) ---------------------------------------


@dataclass(frozen=True)
class RowInput:
    """One row as submitted: which indicator, at which version, with which new values."""

    row: int  # the line number the person sees (spreadsheet row, or position in the form)
    indicator_id: int | None
    version: int | None
    actual: str
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "indicator_id": self.indicator_id,
            "version": self.version,
            "actual": self.actual,
            "explanation": self.explanation,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowInput:
        return cls(
            row=int(data["row"]),
            indicator_id=data["indicator_id"],
            version=data["version"],
            actual=str(data["actual"]),
            explanation=str(data["explanation"]),
        )


@dataclass(frozen=True)
class IndicatorSnapshot:
    """What the validation needs to know of an indicator, and whether the person may edit it."""

    id: int
    name: str
    kind: str
    direction: str
    target: str
    actual: str
    explanation: str
    version: int
    editable: bool
    missed_deadline_pct: Decimal = Decimal(0)
    proportional: bool = False  # thresholds scored proportionally (the year's method)
    scale: tuple[ScaleLevel, ...] = DEFAULT_SCALE  # the body's qualitative scale


@dataclass(frozen=True)
class RowChange:
    row: int
    indicator_id: int
    name: str
    expected_version: int
    old_actual: str
    new_actual: str
    old_explanation: str
    new_explanation: str

    @property
    def actual_changed(self) -> bool:
        return self.old_actual != self.new_actual

    @property
    def explanation_changed(self) -> bool:
        return self.old_explanation != self.new_explanation


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"Riga {self.row}: {self.message}"


@dataclass
class BatchPlan:
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def plan_batch(rows: list[RowInput], snapshots: dict[int, IndicatorSnapshot]) -> BatchPlan:
    """Validate every row; the batch applies only when no row has an error."""
    plan = BatchPlan()
    seen: dict[int | None, int] = {}
    for item in rows:
        snap = snapshots.get(item.indicator_id) if item.indicator_id is not None else None
        if snap is None:
            plan.errors.append(
                RowError(
                    item.row, "indicatore non riconosciuto (colonna identificativo alterata?)."
                )
            )
            continue
        if item.indicator_id in seen:
            plan.errors.append(
                RowError(item.row, f"indicatore già presente alla riga {seen[item.indicator_id]}.")
            )
            continue
        seen[item.indicator_id] = item.row
        try:
            new_actual = normalize_actual(snap.kind, item.actual, snap.scale)
            new_explanation = clean_text(item.explanation)
        except EntryError as exc:
            plan.errors.append(RowError(item.row, f"«{snap.name[:60]}»: {exc}"))
            continue
        if new_actual == snap.actual and new_explanation == snap.explanation:
            plan.unchanged += 1
            continue
        if not snap.editable:
            plan.errors.append(
                RowError(item.row, f"«{snap.name[:60]}»: non si ha il permesso di modificarlo.")
            )
            continue
        if item.version != snap.version:
            plan.errors.append(
                RowError(
                    item.row,
                    f"«{snap.name[:60]}»: è stato modificato da altri dopo lo scaricamento "
                    f"(valore attuale: {snap.actual or 'vuoto'}). Riscaricare il file.",
                )
            )
            continue
        if not new_explanation and needs_explanation(
            snap.kind,
            snap.direction,
            snap.target,
            new_actual,
            snap.missed_deadline_pct,
            proportional=snap.proportional,
            scale=snap.scale,
        ):
            plan.errors.append(
                RowError(
                    item.row,
                    f"«{snap.name[:60]}»: il valore è sotto il risultato atteso, "
                    "la motivazione dello scostamento è obbligatoria.",
                )
            )
            continue
        plan.changes.append(
            RowChange(
                row=item.row,
                indicator_id=snap.id,
                name=snap.name,
                expected_version=snap.version,
                old_actual=snap.actual,
                new_actual=new_actual,
                old_explanation=snap.explanation,
                new_explanation=new_explanation,
            )
        )
    return plan
