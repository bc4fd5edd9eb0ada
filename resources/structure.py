"""The structure of a year's Relazione (``core.structure``) with the year's data: which parts
have cruscotti, budget lines, staff, texts. Here, above the apps it looks into, for the menus,
the pages and the submission's gaps; the document builds the same from what it has loaded."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from core import structure
from core.models import Cycle
from core.prepared import Prepared
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


# The flags' query: the ORM took ~5 ms to build its thirteen subqueries, the database 0,1 ms to
# answer, and every page's menu asks it (core.prepared: the SQL compiled once per database).
_NAMES = ("common", "units", "individuals", "staff", "budget", *(f"text_{k}" for k in _TEXTS))
_STRUCTURE = Prepared(
    lambda pk: Cycle.objects.filter(pk=pk).annotate(**_flags()).values_list(*_NAMES), int
)


def year_structure(cycle: Cycle) -> structure.Structure:
    """The parts the year's document has, by kind, setting and data. Queries: one, kept on the
    cycle object for the rest of the request (a page and its menu ask both)."""
    known = cycle.__dict__.get("_year_structure")
    if known is not None:
        return known
    rows = _STRUCTURE.rows(cycle.pk)
    if not rows:
        raise Cycle.DoesNotExist
    row = {name: bool(value) for name, value in zip(_NAMES, rows[0], strict=True)}
    written = [key for key in _TEXTS if row.pop(f"text_{key}")]
    parts = structure.build(
        cycle.body.kind, cycle.omitted_sections, row, written, cycle.state, cycle.levels
    )
    cycle.__dict__["_year_structure"] = parts
    return parts
