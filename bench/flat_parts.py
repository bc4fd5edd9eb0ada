"""The parts of the paginated pages that grew with the year (issue 18), before and after, in
the same run: each part's median time at 1x and 100x of the demo plan and its growth.

    .venv/bin/python bench/flat_parts.py [--runs 15] [--factors 1,100]

"prima" is the previous code of each part, kept here only to be measured against:

* the key of the consistency counts' cache: six aggregates over the year (``prima``) against
  the year's data version (``core.dataversion``, one indexed read);
* the unit filter of the OIV workspace: every unit of the year with its year's names
  (``prima``) against ``workflow.review.unit_choices`` (few units: all; many: a bounded search);
* a cruscotto's summary and rows count: the aggregate and a ``COUNT(*)`` (``prima``) against
  the aggregate that counts too (``dashboards.selectors.rows_summary_counted``);
* the objective filter of the Segretario Generale's cruscotto: every objective (``prima``)
  against the bounded search (``dashboards.filters``), form built and rendered.

Temporary SQLite database, or DATABASE_URL (a scratch database: flushed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scale import DEMO_INDICATORS, DEMO_UNITS, setup_django


def median_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def old_fingerprint(cycle) -> str:
    """consistency.services._data_fingerprint before the data version (six aggregates)."""
    from django.db.models import Count, Max, Sum

    from consistency.models import FindingJustification
    from indicators.models import Indicator
    from narratives.models import Narrative
    from objectives.models import StrategicObjective
    from resources.models import ContextTable, ResourcesImport

    parts = [
        Indicator.objects.filter(cycle=cycle).aggregate(
            n=Count("id"), v=Sum("version"), r=Sum("realization")
        ),
        FindingJustification.objects.filter(cycle=cycle).aggregate(n=Count("id"), m=Max("id")),
        ResourcesImport.objects.filter(cycle=cycle).aggregate(m=Max("id")),
        ContextTable.objects.filter(cycle=cycle).aggregate(n=Count("id"), v=Sum("version")),
        Narrative.objects.filter(cycle=cycle).aggregate(n=Count("id"), v=Sum("version")),
        StrategicObjective.objects.filter(cycle=cycle).aggregate(n=Count("id"), v=Sum("version")),
    ]
    return repr(parts)


def old_units(cycle) -> list:
    """workflow.review.units_of before the bounded filter: every unit of the year."""
    from objectives.models import OrgUnit

    assigned = OrgUnit.operational_objectives.through.objects.filter(
        operationalobjective__cycle=cycle
    ).values("orgunit_id")
    return [
        (u.year_slug, u.year_name) for u in OrgUnit.objects.as_of(cycle).filter(pk__in=assigned)
    ]


def measure(factor: int, runs: int, seed: int, first_year: int) -> dict[str, float]:
    from unittest import mock

    from core import dataversion
    from core.models import Cycle
    from dashboards import filters
    from dashboards import selectors as dash
    from dashboards.exports import scorecard_filter
    from objectives.models import Scorecard
    from scale.generator import plan_generate
    from workflow.review import ReviewFilters, unit_choices

    plan = plan_generate(
        units=DEMO_UNITS * factor,
        indicators=DEMO_INDICATORS * factor,
        years=1,
        seed=seed,
        body_slug=f"parti-{factor}x",
        first_year=first_year,
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cycle = Cycle.objects.select_related("body").get(pk=plan.cycles[-1].pk)
    card = Scorecard.objects.get(cycle=cycle, slug="segretario-generale")
    rows = scorecard_filter(cycle, card, {}).qs
    units = old_units(cycle)
    term = units[len(units) // 2][1].split()[-1]

    def objective_filter(params):
        def run():
            return str(scorecard_filter(cycle, card, params).form["strategic_objective"])

        return run

    def objective_filter_all():
        with mock.patch.object(filters, "OBJECTIVES_LISTED_MAX", 10**9):
            return objective_filter({})()

    return {
        "chiave della cache dei controlli: prima (6 aggregati)": median_ms(
            lambda: old_fingerprint(cycle), runs
        ),
        "chiave della cache dei controlli: ora (versione dei dati)": median_ms(
            lambda: dataversion.current(cycle.pk), runs
        ),
        f"filtro unità dello spazio OIV: prima (tutte, {len(units)})": median_ms(
            lambda: old_units(cycle), runs
        ),
        "filtro unità dello spazio OIV: ora, senza ricerca": median_ms(
            lambda: unit_choices(cycle, ReviewFilters()), runs
        ),
        "filtro unità dello spazio OIV: ora, con ricerca": median_ms(
            lambda: unit_choices(cycle, ReviewFilters(unit_search=term)), runs
        ),
        "sintesi del cruscotto Segr. Gen.: prima (aggregato + COUNT)": median_ms(
            lambda: (dash.rows_summary(cycle, "x", rows), rows.count()), runs
        ),
        "sintesi del cruscotto Segr. Gen.: ora (un aggregato)": median_ms(
            lambda: dash.rows_summary_counted(cycle, "x", rows), runs
        ),
        "filtro obiettivi del cruscotto Segr. Gen.: prima (tutti)": median_ms(
            objective_filter_all, runs
        ),
        "filtro obiettivi del cruscotto Segr. Gen.: ora, senza ricerca": median_ms(
            objective_filter({}), runs
        ),
        "filtro obiettivi del cruscotto Segr. Gen.: ora, con ricerca": median_ms(
            objective_filter({filters.OBJECTIVE_SEARCH: "1"}), runs
        ),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", default="1,100")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "parts.sqlite3"))
        from django.core.management import call_command
        from django.db import connection

        if connection.vendor != "sqlite":
            call_command("flush", interactive=False, verbosity=0)
        results = {
            factor: measure(factor, args.runs, args.seed, 2000 + 10 * i)
            for i, factor in enumerate(factors)
        }
        print(f"Database: {connection.vendor}; mediana di {args.runs} esecuzioni\n")
        first, last = factors[0], factors[-1]
        print(f"| parte | {first}x | {last}x | crescita |")
        print("|---|---:|---:|---:|")
        for name in results[first]:
            a = results[first][name]
            key = next(k for k in results[last] if k.split(" (")[0] == name.split(" (")[0])
            b = results[last][key]
            print(f"| {key} | {a:.1f} ms | {b:.1f} ms | {b / a:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
