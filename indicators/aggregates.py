"""Roll-up totals summed by the database, for the pages that roll up a whole year (the
strategic map of a large plan).

A weighted mean is made of sums (``indicators.scoring.Totals``), and sums add up: the database
adds, per strategic objective and operational objective, the stored % realization times the
weight (``Indicator.realization``, the engine's own figure, written with every change) and the
weights; the engine (``scoring.strategic_score_of``) takes the means, by the year's method,
from those sums, as it does from the indicators one by one. No figure is defined here.

The sums are exact on every database: each value is read as a whole number of its smallest
unit (a realization in hundredths, a weight in thousandths: the fields' decimal places) before
it is multiplied and added, so SQLite, which keeps decimals as floating point, adds integers
(up to 10^11 a term), and the division happens in Python's ``Decimal``. Proved equal to the
roll-up of the figures one by one in tests/test_map_aggregates.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Func, Q, Sum
from django.db.models.functions import Coalesce

from core.models import Cycle
from core.prepared import Prepared
from objectives.models import OperationalObjective

from . import domain, scoring
from .models import ScorecardRow
from .rollup import GroupTotals

REALIZATION_UNITS = 100  # Indicator.realization: decimal_places=2
WEIGHT_UNITS = 1000  # every weight: decimal_places=3

BANDS = tuple(domain.Band)


class _Whole(Func):
    """A decimal as a whole number of its smallest unit (``units`` per 1), rounded: exact
    even where the database holds it as floating point (SQLite)."""

    template = "CAST(ROUND(%(expressions)s * %(units)s) AS BIGINT)"
    output_field = BigIntegerField()

    def __init__(self, expression, units: int):
        super().__init__(expression, units=int(units))


def whole(expression, units: int) -> _Whole:
    """For the reads that must be exact, or fast, on SQLite (``consistency.selectors``)."""
    return _Whole(expression, units)


def _sums(prefix: str, weight) -> dict:
    """Aggregates over indicators reached by ``prefix`` (``""`` or ``"indicator__"``), each
    weighed by ``weight``."""
    realization = F(f"{prefix}realization")
    valued = Q(**{f"{prefix}realization__isnull": False})
    nv_counting = Q(**{f"{prefix}realization__isnull": True}) & ~Q(
        **{f"{prefix}direction": domain.Direction.MONITORING}
    )
    whole_weight = whole(weight, WEIGHT_UNITS)
    sums = {
        "total": Sum(whole(realization, REALIZATION_UNITS) * whole_weight, filter=valued),
        "weights": Sum(whole_weight, filter=valued),
        "nv_weights": Sum(whole_weight, filter=nv_counting),
        "nv_counting": Count(f"{prefix}pk", filter=nv_counting),
    }
    for band in BANDS:
        sums[f"n_{band.value}"] = Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": band.value}))
    return sums


def _decimal(units: int | Decimal | None, scale: int) -> Decimal:
    return Decimal(units or 0).scaleb(-scale)


def _group(row: tuple) -> tuple[Decimal, GroupTotals]:
    _so, op_weight, total, weights, nv_weights, nv_counting, *bands = row
    sums = scoring.Totals(_decimal(total, 5), _decimal(weights, 3), _decimal(nv_weights, 3))
    counts = tuple((b.value, n) for b, n in zip(BANDS, bands, strict=True) if n)
    return _decimal(op_weight, 3), GroupTotals(sums, counts, nv_counting)


def _queries(cycle_id: int, per_operational: bool, objective_ids: list[int] | None) -> list:
    """The two queries of :func:`strategic_totals`, each a ``values_list`` of (so, op_weight,
    total, weights, nv_weights, nv_counting, the bands' counts)."""
    op = "indicator__operational_objective"
    printed = ScorecardRow.objects.filter(
        scorecard__cycle_id=cycle_id,
        scorecard__strategic_objective__isnull=False,
        **{f"{op}__isnull": False},
    )
    printed_keys = {
        "so": F("scorecard__strategic_objective_id"),
        "op_weight": whole(F(f"{op}__weight"), WEIGHT_UNITS),
    }
    # From the objectives that print none: the year's indicators are not read when all print.
    own = OperationalObjective.objects.filter(
        strategic_objective__cycle_id=cycle_id, indicators__isnull=False
    ).exclude(strategic_objective_id__in=printed.values("scorecard__strategic_objective_id"))
    if objective_ids is not None:
        printed = printed.filter(scorecard__strategic_objective_id__in=objective_ids)
        own = own.filter(strategic_objective_id__in=objective_ids)
    own_keys = {"so": F("strategic_objective_id"), "op_weight": whole(F("weight"), WEIGHT_UNITS)}
    if per_operational:
        printed_keys["op"] = F(f"{op}_id")
        own_keys["op"] = F("id")
    names = ["so", "op_weight", "total", "weights", "nv_weights", "nv_counting"]
    names += [f"n_{b.value}" for b in BANDS]
    return [
        printed.order_by()
        .values(**printed_keys)
        .annotate(**_sums("indicator__", Coalesce("weight", "indicator__weight")))
        .values_list(*names),
        own.order_by()
        .values(**own_keys)
        .annotate(**_sums("indicators__", F("indicators__weight")))
        .values_list(*names),
    ]


# The whole year's sums (the strategic map, the cruscotti of section 2.2): the ORM took longer to
# build these two queries than the database to answer them (core.prepared: compiled once).
_YEAR_QUERIES = {
    nested: [Prepared(lambda pk, n=nested, i=i: _queries(pk, n, None)[i], int) for i in range(2)]
    for nested in (False, True)
}


def strategic_totals(
    cycle: Cycle, *, per_operational: bool, objective_ids: Iterable[int] | None = None
) -> dict[int, list[tuple[Decimal, GroupTotals]]]:
    """Per strategic objective, the weights and totals of its operational objectives: of the
    indicators printed in its 2.2 cruscotto (each by the row's weight, else its own), or of all
    its indicators when its cruscotto prints none of them. Two queries, whatever the number of
    indicators.

    ``per_operational``: one group per operational objective (the nested mean needs each
    one's mean); otherwise the objectives of equal weight are summed together, which changes
    no weighted mean (the weight scales their sum as it scales each) and reads one row per
    strategic objective when the weights are all equal. ``objective_ids``: only these
    objectives (a page of one of them reads its own rows, not the year's)."""
    if objective_ids is None:
        rows = [row for q in _YEAR_QUERIES[per_operational] for row in q.rows(cycle.pk)]
    else:
        queries = _queries(cycle.pk, per_operational, list(objective_ids))
        rows = [row for query in queries for row in query]
    groups: dict[int, list[tuple[Decimal, GroupTotals]]] = defaultdict(list)
    for row in rows:
        groups[row[0]].append(_group(tuple(row)))
    return groups
