"""What an upload changes against the rows already recorded (the preview and the log), the
fingerprint of those rows and the structure a new year's workbook is pre-filled with."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .cells import Column, Kind, Row, SheetSpec, format_value
from .specs import SHEETS

# --- Diff -----------------------------------------------------------------------------------


@dataclass
class SheetDiff:
    """Rows as the sheet shows them: ``added``/``removed`` as (key, [(header, text)]),
    ``changed`` as (key, [(header, old text, new text)])."""

    added: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)
    removed: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def as_json(self) -> dict[str, Any]:
        return {
            "added": [{"key": k, "values": dict(v)} for k, v in self.added],
            "changed": [
                {"key": k, "fields": {h: [old, new] for h, old, new in fields}}
                for k, fields in self.changed
            ],
            "removed": [{"key": k, "values": dict(v)} for k, v in self.removed],
        }


def _same(column: Column, old: Any, new: Any) -> bool:
    if column.kind in (Kind.MONEY, Kind.DECIMAL, Kind.INTEGER):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    return (old or "") == (new or "")


def changed_columns(spec: SheetSpec, old: Row, new: Row) -> list[Column]:
    return [c for c in spec.columns if not _same(c, old.get(c.field), new.get(c.field))]


def _shown(spec: SheetSpec, row: Row) -> list[tuple[str, str]]:
    return [(c.header, format_value(c, row.get(c.field))) for c in spec.columns]


def sheet_diff(spec: SheetSpec, current_rows: Iterable[Row], new_rows: Iterable[Row]) -> SheetDiff:
    current = {spec.key_of(row): row for row in current_rows}
    new_keys = set()
    result = SheetDiff()
    for row in new_rows:
        key = spec.key_of(row)
        new_keys.add(key)
        old = current.get(key)
        if old is None:
            result.added.append((spec.key_text(row), _shown(spec, row)))
            continue
        fields = [
            (c.header, format_value(c, old.get(c.field)), format_value(c, row.get(c.field)))
            for c in changed_columns(spec, old, row)
        ]
        if fields:
            result.changed.append((spec.key_text(row), fields))
    for key, row in current.items():
        if key not in new_keys:
            result.removed.append((spec.key_text(row), _shown(spec, row)))
    return result


def diff(
    current_rows: dict[str, list[Row]], new_rows: dict[str, list[Row]]
) -> dict[str, SheetDiff]:
    """Per sheet of ``new_rows`` (the sheets of an upload): added, changed and removed rows."""
    return {
        spec.title: sheet_diff(spec, current_rows.get(spec.title, []), new_rows[spec.title])
        for spec in SHEETS
        if spec.title in new_rows
    }


def changes_summary(added: int, changed: int, removed: int) -> str:
    """``1 riga aggiunta, 2 modificate, 0 eliminate``."""

    def part(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    return ", ".join(
        (
            part(added, "riga aggiunta", "righe aggiunte"),
            part(changed, "modificata", "modificate"),
            part(removed, "eliminata", "eliminate"),
        )
    )


# --- Fingerprint and pre-fill ---------------------------------------------------------------


def fingerprint(current_rows: dict[str, list[Row]]) -> str:
    """A digest of every recorded row (in order) of every sheet: it changes with any write."""
    canonical = {
        spec.title: [
            [format_value(c, row.get(c.field)) for c in spec.columns]
            for row in current_rows.get(spec.title, [])
        ]
        for spec in SHEETS
    }
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def structure_of(spec: SheetSpec, rows: Iterable[Row], *, year_shift: int) -> list[Row]:
    """A previous year's rows reduced to their structure (labels, codes, categories), years
    moved forward, figures left empty: the new year's workbook, ready for the numbers."""
    result = []
    for row in rows:
        new = {}
        for column in spec.columns:
            value = row.get(column.field)
            if not column.structure:
                value = "" if column.kind is Kind.TEXT else None
            elif column.year and value is not None:
                value = value + year_shift
            new[column.field] = value
        result.append(new)
    return result
