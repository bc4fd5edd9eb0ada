"""Reads of the context-and-resources data of a year, as rows of the workbook's sheets."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from core.models import Cycle
from resources.models import ContextTable

from . import sheets
from .models import ResourcesImport

PROCESS_PHASES = "process_phases"
# Tables kept as context tables but printed elsewhere than section 1.1: the process phases in
# chapter 4, the smart-working training and technology in objective 3.1 (where its narrative
# places them); they have no place among the tables pasted for 1.1.
SMART_WORKING_TABLES = ("lavoro_agile_formazione", "lavoro_agile_tecnologia")
RESERVED_CONTEXT_KEYS = (PROCESS_PHASES, *SMART_WORKING_TABLES)

# The order of the rows in the sheets (and in the fingerprint): the pages' order where the
# model has one, else the newest year first.
_SORT = {
    sheets.HEADCOUNTS: ("-year", "category__order", "category_id", "contract", "gender"),
    sheets.PART_TIME: ("-year", "gender"),
    sheets.FTE: ("-year",),
    sheets.ABSENCES: ("-year", "id"),
    sheets.PARENTAL: ("-year", "id"),
    sheets.SMART_WORKING: ("-year",),
    sheets.DECLARED: ("table", "key"),
}


def _sheet_rows(spec: sheets.SheetSpec, cycle: Cycle) -> list[dict]:
    paths = [c.path for c in spec.columns]
    order = ("order", "id") if spec.ordered else (*_SORT[spec.title], "id")
    rows = spec.model.objects.filter(cycle=cycle).order_by(*order).values(*paths)
    return [{c.field: row[c.path] for c in spec.columns} for row in rows]


def resources_rows(cycle: Cycle) -> dict[str, list[dict]]:
    """Every sheet's recorded rows; one query per sheet."""
    return {spec.title: _sheet_rows(spec, cycle) for spec in sheets.SHEETS}


CONTEXT_TABLES = "context_tables"  # the key of the context tables' count


def resources_counts(cycle: Cycle) -> dict[str, int]:
    """Rows per sheet, and the context tables under ``CONTEXT_TABLES``, in one query."""

    def count(queryset):
        return Coalesce(
            Subquery(
                queryset.filter(cycle=OuterRef("pk"))
                .order_by()
                .values("cycle")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )

    names = {f"n{i}": count(spec.model.objects) for i, spec in enumerate(sheets.SHEETS)}
    names["context"] = count(_context_qs())
    values = Cycle.objects.filter(pk=cycle.pk).order_by().values(**names).get()
    counts = {spec.title: values[f"n{i}"] for i, spec in enumerate(sheets.SHEETS)}
    counts[CONTEXT_TABLES] = values["context"]
    return counts


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return (
        Cycle.objects.filter(body_id=cycle.body_id, year__lt=cycle.year).order_by("-year").first()
    )


@dataclass
class WorkbookRows:
    rows: dict[str, list[dict]]
    prefilled: list[str]  # sheets with the structure of ``source`` and no figures
    source: Cycle | None


def resources_workbook_rows(cycle: Cycle) -> WorkbookRows:
    """The year's rows; a sheet with none gets the structure of the body's previous year."""
    rows = resources_rows(cycle)
    empty = [spec for spec in sheets.SHEETS if not rows[spec.title]]
    source = previous_cycle(cycle) if empty else None
    prefilled = []
    if source is not None:
        for spec in empty:
            previous = _sheet_rows(spec, source)
            if previous:
                shift = cycle.year - source.year
                rows[spec.title] = sheets.structure_of(spec, previous, year_shift=shift)
                prefilled.append(spec.title)
    return WorkbookRows(rows=rows, prefilled=prefilled, source=source)


def _context_qs():
    # The process-phases table is printed in chapter 4 and has no place among these.
    return ContextTable.objects.exclude(key__in=RESERVED_CONTEXT_KEYS)


def context_tables(cycle: Cycle) -> list[ContextTable]:
    """The year's context tables in the order the Relazione prints them, with who last changed
    each (one query)."""
    return list(
        _context_qs().filter(cycle=cycle).select_related("updated_by").order_by("order", "id")
    )


def context_table_get(cycle: Cycle, key: str) -> ContextTable | None:
    return _context_qs().filter(cycle=cycle, key=key).select_related("updated_by").first()


def context_source_cycle(cycle: Cycle) -> Cycle | None:
    """The body's latest year before ``cycle`` that has context tables (one query): the one a
    new year copies its structure from."""
    return (
        Cycle.objects.filter(body_id=cycle.body_id, year__lt=cycle.year)
        .filter(pk__in=_context_qs().values("cycle"))
        .order_by("-year")
        .first()
    )


def resources_imports(cycle: Cycle) -> list[ResourcesImport]:
    return list(ResourcesImport.objects.filter(cycle=cycle).select_related("user"))
