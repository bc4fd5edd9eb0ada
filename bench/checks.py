"""The consistency run at scale: snapshot build and rules, per part, wall and CPU.

    .venv/bin/python bench/checks.py [--db /tmp/x.sqlite3] [--factors 1,100] [--runs 5]

Builds (once: the database is kept when ``--db`` names a file, or DATABASE_URL is a scratch
PostgreSQL database) a synthetic one-year plan of 1x and 100x the 2023 demo (scale/generator.py)
and measures, as medians of ``--runs``, in wall and process-CPU time:

* the snapshot (consistency.selectors.year_data_build) and each check of the rules;
* consistency.services.consistency_run: cold (empty caches), after one indicator changed,
  and with nothing changed (the findings cached per data version).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_INDICATORS, DEMO_UNITS = 170, 10


def setup_django(db_path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relazione.settings.test")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    # The test settings turn the consistency cache off: measured as served, with it.
    caches = {
        **settings.CACHES,
        "consistency": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bench-checks",
        },
    }
    override_settings(CACHES=caches).enable()
    call_command("migrate", verbosity=0, interactive=False)


def cycle_of(factor: int, seed: int):
    from django.db import connection

    from core.models import Cycle
    from scale.generator import plan_generate

    slug = f"scala-{factor}x"
    cycle = Cycle.objects.select_related("body").filter(body__slug=slug).first()
    if cycle is None:
        started = time.perf_counter()
        plan_generate(
            units=DEMO_UNITS * factor,
            indicators=DEMO_INDICATORS * factor,
            years=1,
            seed=seed,
            body_slug=slug,
            first_year=2001,
        )
        print(f"  {factor}x generato in {time.perf_counter() - started:.0f} s", flush=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        cycle = Cycle.objects.select_related("body").get(body__slug=slug)
    return cycle


def timed(fn, runs: int, before=None) -> tuple[float, float]:
    """(median wall ms, median CPU ms)."""
    walls, cpus = [], []
    for _ in range(runs):
        if before is not None:
            before()
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def one_change(cycle):
    """Change one indicator's actual (through the ORM: raises the data version)."""
    from indicators.models import Indicator

    ind = Indicator.objects.filter(cycle=cycle).order_by("id").first()
    actual = "1" if ind.actual != "1" else "2"
    Indicator.objects.filter(pk=ind.pk).update(actual=actual)


def measure(cycle, runs: int, profile: bool) -> list[tuple[str, float, float]]:
    import gc

    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consistency import rules, selectors, services
    from consistency.rules.incremental import IncrementalRun
    from core.locking import unlocked

    rows = []
    gc.disable()  # as the run does (consistency.services._without_cycle_collection)
    try:
        rows.append(("snapshot", *timed(lambda: selectors.year_data_build(cycle=cycle), runs)))
        per_check = {func.__name__: [] for func in rules.CHECKS}
        for _ in range(runs):
            data = selectors.year_data_build(cycle=cycle)
            for func in rules.CHECKS:
                w, c = time.perf_counter(), time.process_time()
                list(func(data))
                per_check[func.__name__].append(
                    ((time.perf_counter() - w) * 1000, (time.process_time() - c) * 1000)
                )
    finally:
        gc.enable()
    for name, samples in per_check.items():
        rows.append(
            (
                f"  {name}",
                statistics.median(s[0] for s in samples),
                statistics.median(s[1] for s in samples),
            )
        )
    # The rules on a snapshot, the per-indicator checks from a memo where nothing changed.
    data = selectors.year_data_build(cycle=cycle)
    first = IncrementalRun()
    rules.run_rules(data, indicator_findings=first)

    def memo_only():
        IncrementalRun(first.memo)(data, tuple(rules.INDICATOR_CHECKS.values()))

    gc.disable()
    try:
        rows.append(("controlli per indicatore, dal memo", *timed(memo_only, runs)))
        cross = [f for f in rules.CHECKS if f not in rules.INDICATOR_CHECKS]
        rows.append(("controlli trasversali", *timed(lambda: rules.run_rules(data, cross), runs)))
    finally:
        gc.enable()
    cache = caches["consistency"]

    def cold():
        cache.clear()
        services._memos.clear()

    def run():
        services.consistency_run(cycle=cycle)

    rows.append(("run, a freddo", *timed(run, runs, cold)))

    def change():
        with unlocked():
            one_change(cycle)

    run()
    rows.append(("run, un indicatore cambiato", *timed(run, runs, change)))
    run()
    rows.append(("run, nulla cambiato", *timed(run, runs)))
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        services.consistency_run(cycle=cycle)
    rows.append((f"query (a freddo): {len(ctx.captured_queries)}", 0, 0))
    with CaptureQueriesContext(connection) as ctx:
        services.consistency_run(cycle=cycle)
    rows.append((f"query (nulla cambiato): {len(ctx.captured_queries)}", 0, 0))
    if profile:
        import cProfile
        import pstats

        cache.clear()
        prof = cProfile.Profile()
        prof.enable()
        services.consistency_run(cycle=cycle)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "bench-checks.sqlite3"))
    parser.add_argument("--factors", default="1,100")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    setup_django(args.db)
    from django.db import connection

    print(f"Database: {connection.vendor}; esecuzioni: {args.runs}; {os.getloadavg()}")
    for factor in (int(f) for f in args.factors.split(",")):
        cycle = cycle_of(factor, args.seed)
        print(f"\n{factor}x (anno {cycle.year}, {cycle.indicators.count()} indicatori)")
        print(f"{'parte':<44} {'reale ms':>9} {'CPU ms':>9}")
        for name, wall, cpu in measure(cycle, args.runs, args.profile and factor > 1):
            print(f"{name:<44} {wall:>9.1f} {cpu:>9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
