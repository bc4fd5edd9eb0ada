"""The structure of a year's Relazione (``core.structure``) with the year's data: which parts
have cruscotti, budget lines, staff, texts. Here, above the apps it looks into, for the menus,
the pages and the submission's gaps; the document builds the same from what it has loaded."""

from __future__ import annotations

import functools

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q

from core import structure
from core.models import Cycle
from finance.models import BudgetLine, EconomicIntervention, FinancialRatio, Holding
from indicators.models import CommonGroup
from narratives.models import Narrative
from objectives import sections
from objectives.models import Scorecard
from staff.models import StaffCategory

_TEXTS = sorted(structure.DATA_OF)


def _exists(model, *conditions, **filters) -> Exists:
    return Exists(model.objects.filter(*conditions, cycle=OuterRef("pk"), **filters))


def cycle_structure(cycle: Cycle) -> structure.Structure:
    """The parts by the body's kind and the year's setting only (no query): for the pages
    that exist whatever the data (the common objectives' 404)."""
    return structure.build(cycle.body.kind, cycle.omitted_sections, levels=cycle.levels)


def _flags() -> dict:
    return {
        "common": _exists(CommonGroup),
        "units": _exists(Scorecard, section=sections.UNIT),
        "individuals": _exists(Scorecard, section=sections.INDIVIDUAL),
        "staff": _exists(StaffCategory),
        "budget": _exists(BudgetLine)
        | _exists(EconomicIntervention)
        | _exists(FinancialRatio)
        | _exists(Holding),
        **{f"text_{key}": _exists(Narrative, ~Q(body=""), key=key) for key in _TEXTS},
    }


@functools.cache
def _structure_sql(alias: str) -> tuple[str, tuple]:
    """The SQL of the flags' query, compiled once per database: the ORM takes ~5 ms to build
    its thirteen subqueries, the database 0,1 ms to answer, and every page's menu asks it. The
    cycle's id is the query's only varying parameter, its last (the WHERE follows the SELECT):
    compiled for two ids, the queries must differ in that parameter alone."""

    def compiled(pk: int) -> tuple[str, tuple]:
        flags = _flags()
        query = Cycle.objects.using(alias).filter(pk=pk).annotate(**flags).values(*flags)
        sql, params = query.query.sql_with_params()
        return sql, tuple(params)

    (sql, first), (other_sql, second) = compiled(1), compiled(2)
    if sql != other_sql or first[:-1] != second[:-1] or (first[-1], second[-1]) != (1, 2):
        raise ImproperlyConfigured("La struttura dell'anno: query non riutilizzabile.")
    return sql, first[:-1]


def year_structure(cycle: Cycle) -> structure.Structure:
    """The parts the year's document has, by kind, setting and data. Queries: one, kept on the
    cycle object for the rest of the request (a page and its menu ask both)."""
    known = cycle.__dict__.get("_year_structure")
    if known is not None:
        return known
    alias = router.db_for_read(Cycle, instance=cycle)
    sql, params = _structure_sql(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, (*params, cycle.pk))
        names = [column[0] for column in cursor.description]
        values = cursor.fetchone()
    if values is None:
        raise Cycle.DoesNotExist
    row = {name: bool(value) for name, value in zip(names, values, strict=True)}
    written = [key for key in _TEXTS if row.pop(f"text_{key}")]
    parts = structure.build(
        cycle.body.kind, cycle.omitted_sections, row, written, cycle.state, cycle.levels
    )
    cycle.__dict__["_year_structure"] = parts
    return parts
