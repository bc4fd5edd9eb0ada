"""Writes of the context-and-resources data: an uploaded workbook, previewed, then applied as a
whole (every row or none) with a log of who changed what, old and new values."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import permissions as perms
from core.models import Cycle

from . import selectors, sheets, workbook
from .models import ResourcesImport
from .sheets import Column, Kind, SheetDiff, SheetSpec


@dataclass
class SheetPreview:
    title: str
    status: str  # "uploaded", "missing" (left out: no change), "unfilled" (structure only)
    diff: SheetDiff | None = None
    rows: int = 0


@dataclass
class Preview:
    """What an upload would change. ``fingerprint`` digests the year's data as read for the
    preview: the apply step refuses when it no longer matches (someone imported meanwhile)."""

    fingerprint: str
    file_name: str = ""
    sha256: str = ""
    errors: list[str] = field(default_factory=list)
    sheets: list[SheetPreview] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=dict)  # the uploaded sheets' rows

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def diffs(self) -> dict[str, SheetDiff]:
        return {s.title: s.diff for s in self.sheets if s.diff is not None}

    @property
    def has_changes(self) -> bool:
        return self.ok and any(self.diffs.values())

    def count(self, kind: str) -> int:
        return sum(len(getattr(d, kind)) for d in self.diffs.values())

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def removed(self) -> int:
        return self.count("removed")

    @property
    def summary(self) -> str:
        return sheets.changes_summary(self.added, self.changed, self.removed)

    def as_json(self) -> dict:
        return {title: d.as_json() for title, d in self.diffs.items() if d}


class ResourcesImportRejected(ValidationError):
    """An upload that cannot be applied: nothing was written. ``preview`` says why."""

    def __init__(self, preview: Preview, message: str | None = None):
        self.preview = preview
        messages = [message] if message else list(preview.errors)
        super().__init__(messages or ["Il file non può essere importato."], code="rejected")


class StalePreview(ResourcesImportRejected):
    """The year's data changed between the preview and the confirmation."""

    def __init__(self, preview: Preview):
        super().__init__(
            preview,
            "I dati di contesto e risorse dell'anno sono stati modificati da un'altra "
            "importazione dopo l'anteprima: nessuna modifica è stata applicata. Ricaricare il "
            "file e controllare di nuovo l'anteprima.",
        )


def _ensure_can_edit(user: User, cycle: Cycle) -> None:
    perms.ensure(
        perms.is_planner(user, cycle),
        "Solo l'ufficio pianificazione e controllo carica i dati di contesto e risorse.",
    )
    perms.ensure(
        perms.can_edit_resources(user, cycle),
        f"L'anno {cycle.year} è validato o pubblicato: i suoi dati di contesto e risorse non "
        "si possono più modificare.",
    )


def _preview(cycle: Cycle, file: IO[bytes], current: dict[str, list[dict]]) -> Preview:
    preview = Preview(
        fingerprint=sheets.fingerprint(current), file_name=getattr(file, "name", "") or ""
    )
    try:
        data, raw = workbook.read_workbook(file)
    except workbook.WorkbookError as exc:
        preview.errors.append(str(exc))
        return preview
    preview.sha256 = hashlib.sha256(data).hexdigest()
    upload = sheets.read_upload(raw, year=cycle.year, current=current)
    preview.errors = upload.errors
    if upload.errors:
        return preview
    preview.rows = upload.rows
    diffs = sheets.diff(current, upload.rows)
    for spec in sheets.SHEETS:
        if spec.title in diffs:
            preview.sheets.append(
                SheetPreview(
                    spec.title, "uploaded", diffs[spec.title], len(upload.rows[spec.title])
                )
            )
        else:
            status = "unfilled" if spec.title in upload.unfilled else "missing"
            preview.sheets.append(SheetPreview(spec.title, status))
    return preview


def resources_import_preview(*, user: User, cycle: Cycle, file: IO[bytes]) -> Preview:
    """Parse and check every row of an uploaded workbook and compare it with the year's data.
    Bad input is reported in ``errors`` (sheet, row, reason); nothing is written."""
    _ensure_can_edit(user, cycle)
    return _preview(cycle, file, selectors.resources_rows(cycle))


def resources_import_apply(
    *, user: User, cycle: Cycle, file: IO[bytes], expected_fingerprint: str
) -> ResourcesImport:
    """Apply a previewed workbook: every row or none. Refused when the file has errors, when
    it changes nothing, and when the year's data are no longer those of the preview."""
    _ensure_can_edit(user, cycle)
    try:
        with transaction.atomic():
            # Serialises the imports of a year (a row lock on PostgreSQL; on SQLite the
            # IMMEDIATE transaction already holds the write lock from its start).
            locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
            _ensure_can_edit(user, locked)
            current = selectors.resources_rows(locked)
            preview = _preview(locked, file, current)
            if preview.fingerprint != expected_fingerprint:
                raise StalePreview(preview)
            if not preview.ok:
                raise ResourcesImportRejected(preview)
            if not preview.has_changes:
                raise ResourcesImportRejected(
                    preview, "Il file non contiene modifiche: nessuna modifica da applicare."
                )
            _write(locked, preview)
            return ResourcesImport.objects.create(
                cycle=locked,
                user=user,
                file_name=preview.file_name[:255],
                sha256=preview.sha256,
                diff=preview.as_json(),
                added=preview.added,
                changed=preview.changed,
                removed=preview.removed,
            )
    except IntegrityError as exc:  # the database's constraints, behind the checks above
        raise ValidationError(
            "I dati non rispettano i vincoli delle tabelle: nessuna modifica è stata applicata. "
            "Controllare il file e riprovare."
        ) from exc


# --- Writing --------------------------------------------------------------------------------


def _existing(spec: SheetSpec, cycle: Cycle) -> dict[tuple, dict]:
    """The year's rows of a sheet by natural key, with their primary key and order."""
    extra = ["pk", "order"] if spec.ordered else ["pk"]
    rows = spec.model._default_manager.filter(cycle=cycle).values(
        *extra, *[c.path for c in spec.columns]
    )
    result = {}
    for row in rows:
        values = {c.field: row[c.path] for c in spec.columns}
        result[spec.key_of(values)] = {**values, "pk": row["pk"], "order": row.get("order")}
    return result


def _foreign_ids(spec: SheetSpec, cycle: Cycle) -> dict[str, dict[Any, int]]:
    """For each column naming a row of another sheet: that row's key -> its primary key."""
    return {
        c.field: dict(
            sheets.SHEETS_BY_TITLE[c.ref]
            .model._default_manager.filter(cycle=cycle)
            .values_list(c.ref_field, "pk")
        )
        for c in spec.columns
        if c.kind is Kind.REF
        and c.ref is not None
        and c.ref_field is not None
        and c.ref != spec.title
    }


def _values(spec: SheetSpec, row: dict, ids: dict[str, dict[Any, int]]) -> dict[str, Any]:
    """The model fields of one row, a reference to another sheet as its primary key."""
    values = {}
    for column in spec.columns:
        if column.kind is not Kind.REF:
            values[column.field] = row[column.field]
        elif column.ref != spec.title:
            values[f"{column.field}_id"] = ids[column.field][row[column.field]]
    return values


def _link_own_rows(spec: SheetSpec, cycle: Cycle, rows: list[dict], column: Column) -> None:
    """A column naming a row of the same sheet (a budget line's parent), set once every row
    of the sheet exists."""
    model = spec.model
    assert column.ref_field is not None  # a REF names the key field it points to
    pks, parents = {}, {}
    for pk, ref_key, parent_id in model._default_manager.filter(cycle=cycle).values_list(
        "pk", column.ref_field, f"{column.field}_id"
    ):
        pks[ref_key] = pk
        parents[pk] = parent_id
    moved = []
    for row in rows:
        pk = pks[row[column.ref_field]]
        target = pks[row[column.field]] if row[column.field] else None
        if parents[pk] != target:
            moved.append(model(pk=pk, cycle=cycle, **{f"{column.field}_id": target}))
    if moved:
        model._default_manager.bulk_update(moved, [column.field])


def _write_sheet(spec: SheetSpec, cycle: Cycle, rows: list[dict]) -> list[int]:
    """Create and update the rows of one sheet; the primary keys of the rows to delete."""
    model = spec.model
    existing = _existing(spec, cycle)
    ids = _foreign_ids(spec, cycle)
    to_create, to_update = [], []
    fields: set[str] = set()
    for position, row in enumerate(rows):
        values = _values(spec, row, ids)
        if spec.ordered:
            values["order"] = position
        old = existing.get(spec.key_of(row))
        if old is None:
            to_create.append(model(cycle=cycle, **values))
        elif sheets.changed_columns(spec, old, row) or (spec.ordered and old["order"] != position):
            to_update.append(model(pk=old["pk"], cycle=cycle, **values))
            fields.update(values)
    if to_create:
        model._default_manager.bulk_create(to_create)
    if to_update:
        model._default_manager.bulk_update(
            to_update, [f.removesuffix("_id") for f in sorted(fields)]
        )
    for column in spec.columns:
        if column.kind is Kind.REF and column.ref == spec.title:
            _link_own_rows(spec, cycle, rows, column)
    new_keys = {spec.key_of(row) for row in rows}
    return [old["pk"] for key, old in existing.items() if key not in new_keys]


def _write(cycle: Cycle, preview: Preview) -> None:
    """Sheets in workbook order (a referenced sheet before the sheets that name its rows);
    deletions last and in reverse, once nothing kept points to a deleted row."""
    deletions = []
    for spec in sheets.SHEETS:
        diff = preview.diffs.get(spec.title)
        if diff:
            deletions.append((spec, _write_sheet(spec, cycle, preview.rows[spec.title])))
    for spec, pks in reversed(deletions):
        if pks:
            spec.model._default_manager.filter(pk__in=pks).delete()
