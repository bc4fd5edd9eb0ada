"""Scale benchmark: server time and query count of the main pages as the plan grows.

    .venv/bin/python bench/scale.py [--runs 5] [--years 1,3,5] [--factors 1,10,100] [--cpu]

Builds synthetic plans of 1x, 10x and 100x the 2023 demo (about 170 indicators, 345 rows and
10 units per year; see scale/generator.py) in a temporary SQLite database (or DATABASE_URL if
set: then it must be a scratch database), and measures with django.test.Client, as an OIV
member, the median server time of several runs and the query count of:

* the strategic map (/ENTE/YEAR/);
* a unit's cruscotto (/ENTE/YEAR/cruscotti/<slug>/, the largest 2.4 one) and the Segretario
  Generale's (section 3, which grows with the plan: paginated at 100 rows);
* the OIV workspace (/ENTE/YEAR/oiv/, workflow/urls.py), first page, sorted by % realization
  (ascending and descending) and the "below target" filter;
* the same pages at EQUAL rows shown: a cruscotto with a page size (``?per_page=``) of the rows
  it shows in the first plan measured (the smallest: 8 rows for the Segretario Generale's at
  1x, 100 at 100x), the workspace's first page (its second shows 70 rows at 1x, 100 beyond):
  their growth is the data's alone, not the rows shown; and the workspace's last page;
* the results paragraph of the Segretario Generale's cruscotto (dashboards.selectors
  .rows_results, which names every indicator under 100% or not valued: content as large as
  the data, 4 indicators at 1x, about 280 at 100x), measured on its own;
* the consistency check of the year (consistency.services.consistency_run): the full run
  (cache and per-indicator memo emptied first) and the cached one;
* the floor page: one query, 100 indicators, a bare template, through the same middleware
  (added to the URLs by this script only).

The rows shown are counted in each page's table (of its first request). Each time is also given
as a ratio to the floor page measured in the same run (the machine is
shared: ratios within one run compare, absolute times do not), with its growth 1x -> 10x ->
100x. Query counts must stay constant; a paginated page must stay flat.

On PostgreSQL (DATABASE_URL=postgres://.../relazione_hscale_bench, a scratch database: the
script flushes it first) the same pages are measured; ``--explain`` prints the plan of the
main query of each list page at the largest factor.
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


def setup_django(db_path: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relazione.settings.test")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    # The test settings turn the consistency counts' cache off; the pages are measured as
    # served, with it (the run itself is measured on its own, "controlli di coerenza").
    caches = {**settings.CACHES, "consistency": settings.CACHES["default"]}
    override_settings(CACHES=caches).enable()

    call_command("migrate", verbosity=0, interactive=False)


from floor import FLOOR_NAME, FLOOR_PATH, floor_view  # noqa: E402 - bench/, a script

# The consistency checks of the year: the full run (nothing cached, no memo) and the run that
# finds the findings of the same data version cached (what the pages and the counts read).
CHECKS = "controlli di coerenza (esecuzione completa)"
CHECKS_CACHED = "controlli di coerenza, in cache"


def floor_install() -> None:
    """The floor page (bench/floor.py), first in the URLs."""
    from django.urls import clear_url_caches, path

    import relazione.urls

    relazione.urls.urlpatterns.insert(0, path(FLOOR_PATH, floor_view(), name=FLOOR_NAME))
    clear_url_caches()


# The clock of the measures: wall time, or with --cpu the process's CPU time (the server's own
# work, SQLite's included; PostgreSQL's is the server's, not counted): on a machine shared with
# other jobs the wall time of a page doubles with the load, its CPU time much less.
CLOCK = time.perf_counter


def timed(fn, runs: int) -> tuple[float, int]:
    """(median seconds, query count of the first run)."""
    seconds, queries, _first = timed_first(fn, runs)
    return seconds, queries


def timed_first(fn, runs: int):
    """(median seconds, query count of the first run, what the first run returned)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        first = fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        started = CLOCK()
        fn()
        times.append(CLOCK() - started)
    return statistics.median(times), queries, first


def get(client, url):
    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    return run


def rows_shown(html: str) -> int:
    """The rows of the page's table (the workspace's after its heading), as
    tests/test_flat_pages.py counts them."""
    table = html.split('id="review-h"', 1)[-1]
    if "<tbody" not in table:
        return 0
    return table.split("<tbody", 1)[1].split("</tbody>", 1)[0].count("<tr")


def measure(
    factor: int,
    years: int,
    runs: int,
    seed: int,
    first_year: int,
    plans: bool = False,
    profiles: bool = False,
    equal: dict[str, int] | None = None,
) -> list[dict]:
    """The measures of one plan. ``equal``: the cruscotti's page sizes for the equal-rows
    cases, set by the first plan measured (its rows shown) and kept for the next ones."""
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Membership, Role
    from consistency.services import consistency_run
    from core.models import Cycle
    from indicators.models import Indicator, ScorecardRow
    from objectives.models import Scorecard
    from scale.generator import plan_generate

    started = time.perf_counter()
    plan = plan_generate(
        units=DEMO_UNITS * factor,
        indicators=DEMO_INDICATORS * factor,
        years=years,
        seed=seed,
        body_slug=f"scala-{factor}x",
        first_year=first_year,
    )
    generated = time.perf_counter() - started
    from django.db import connection

    if connection.vendor == "postgresql":
        # Statistics of the fresh rows, as autovacuum would have them on a server: without them
        # the planner takes a 17,000-row table for an empty one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cycle = Cycle.objects.select_related("body").get(body=plan.body, year=plan.cycles[-1].year)
    year = cycle.year
    user, _ = User.objects.get_or_create(username="bench-oiv")
    Membership.objects.get_or_create(user=user, body=plan.body, defaults={"role": Role.OIV})
    client = Client()
    client.force_login(user)

    cards = (
        Scorecard.objects.filter(cycle=cycle)
        .annotate(n=Count("rows"))
        .values_list("slug", "section", "n")
    )
    unit_slug, _s, unit_rows = max(
        (c for c in cards if c[1] == Scorecard.Section.UNIT), key=lambda c: c[2]
    )
    sg_rows = next(c[2] for c in cards if c[0] == "segretario-generale")
    equal = {} if equal is None else equal
    unit_size = equal.setdefault("unit", min(unit_rows, 100))
    sg_size = equal.setdefault("sg", min(sg_rows, 100))
    indicators = Indicator.objects.filter(cycle=cycle).count()
    rows = ScorecardRow.objects.filter(scorecard__cycle=cycle).count()
    so = cycle.strategic_objectives.count()
    print(
        f"  {factor}x: {years} anni, {indicators} indicatori e {rows} righe nell'anno {year} "
        f"(totale {plan.counts['indicators']} indicatori), generato in {generated:.1f} s",
        flush=True,
    )
    args = [plan.body.slug, year]
    workspace = reverse("workflow:workspace", args=args)
    sg = reverse("dashboards:scorecard", args=[*args, "segretario-generale"])
    unit = reverse("dashboards:scorecard", args=[*args, unit_slug])
    cases = [
        (
            "pagina minima",
            f"{reverse(FLOOR_NAME, args=[year])}?ente={plan.body.slug}",
            100,
            indicators,
        ),
        ("mappa strategica", reverse("dashboards:map", args=args), so, so),
        (
            "cruscotto unità",
            reverse("dashboards:scorecard", args=[*args, unit_slug]),
            min(unit_rows, 100),
            unit_rows,
        ),
        (
            "cruscotto Segretario Gen.",
            reverse("dashboards:scorecard", args=[*args, "segretario-generale"]),
            min(sg_rows, 100),
            sg_rows,
        ),
        (
            "cruscotto Segretario Gen., per % realizzazione",
            reverse("dashboards:scorecard", args=[*args, "segretario-generale"])
            + "?sort=-realization",
            min(sg_rows, 100),
            sg_rows,
        ),
        ("spazio OIV", workspace, min(indicators, 100), indicators),
        (
            "spazio OIV, per % realizzazione",
            f"{workspace}?ordina=realizzazione&pagina=2",
            100,
            indicators,
        ),
        (
            "spazio OIV, per % realizzazione decrescente",
            f"{workspace}?ordina=-realizzazione&pagina=2",
            100,
            indicators,
        ),
        (
            "spazio OIV, sotto il risultato",
            f"{workspace}?sotto=1&pagina=2",
            100,
            indicators,
        ),
        # The same pages at equal rows shown whatever the plan: the growth of the data alone.
        (EQUAL_UNIT, f"{unit}?per_page={unit_size}", unit_size, unit_rows),
        (EQUAL_SG, f"{sg}?per_page={sg_size}", sg_size, sg_rows),
        (
            "spazio OIV, per % realizzazione, pagina 1",
            f"{workspace}?ordina=realizzazione",
            100,
            indicators,
        ),
        (
            "spazio OIV, per % realizzazione decrescente, pagina 1",
            f"{workspace}?ordina=-realizzazione",
            100,
            indicators,
        ),
        ("spazio OIV, sotto il risultato, pagina 1", f"{workspace}?sotto=1", 100, indicators),
        # The last page (the second at 1x, the 170th at 100x): the rows it skips are not joined.
        (LAST_PAGE, f"{workspace}?ordina=-realizzazione&pagina=9999", 100, indicators),
    ]
    results = []
    for name, url, shown, data in cases:
        # The floor is a few ms: more runs, or one noisy sample sets every ratio of the plan.
        n = max(runs, 9) if name == "pagina minima" else runs
        seconds, queries, response = timed_first(get(client, url), n)
        if name in PAGINATED and name != "pagina minima":
            shown = rows_shown(response.content.decode())
        results.append(
            {
                "page": name,
                "factor": factor,
                "shown": shown,
                "data": data,
                "s": seconds,
                "q": queries,
            }
        )
    if plans:
        explain(client, cases)
    if profiles:
        profile(client, cases)
    results.append(paragraph_measure(cycle, factor, runs))
    from django.core.cache import caches

    from consistency import services as checks

    def cold():
        # The full run: no findings of this data version cached, no per-indicator memo.
        caches["consistency"].clear()
        checks._memos.clear()
        consistency_run(cycle=cycle)

    for name, run in ((CHECKS, cold), (CHECKS_CACHED, lambda: consistency_run(cycle=cycle))):
        seconds, queries = timed(run, 3 if run is cold else runs)
        results.append(
            {
                "page": name,
                "factor": factor,
                "shown": indicators,
                "data": indicators,
                "s": seconds,
                "q": queries,
            }
        )
    return results


def paragraph_measure(cycle, factor: int, runs: int) -> dict:
    """The Segretario Generale's results paragraph on its own (its page prints it: content that
    names every indicator under 100% or not valued, as many as the data hold)."""
    from django.db.models import Q

    from dashboards import selectors
    from dashboards.exports import scorecard_filter
    from indicators import domain
    from objectives.models import Scorecard

    card = Scorecard.objects.get(cycle=cycle, slug="segretario-generale")
    rows = scorecard_filter(cycle, card, {}).qs
    summary = selectors.rows_summary(cycle, card.title, rows)
    named = card.rows.filter(
        Q(indicator__realization__lt=domain.HUNDRED) | Q(indicator__status=domain.Band.NV)
    ).count()
    seconds, queries = timed(lambda: selectors.rows_results(cycle, card.title, rows, summary), runs)
    return {
        "page": PARAGRAPH,
        "factor": factor,
        "shown": named,
        "data": rows.count(),
        "s": seconds,
        "q": queries,
    }


def bodies_generate(bodies: int, years: int, seed: int) -> None:
    """The other bodies of the installation (the demo's plan each, ``years`` years): the pages
    of the measured body are read from tables that hold them all."""
    from django.db import connection

    from scale.generator import plan_generate

    started = time.perf_counter()
    for n in range(bodies):
        plan_generate(
            units=DEMO_UNITS,
            indicators=DEMO_INDICATORS,
            years=years,
            seed=seed + n,
            body_slug=f"ente-{n + 1:03d}",
            first_year=2001,
            open_last=False,
        )
        if (n + 1) % 10 == 0:
            print(f"  {n + 1} enti di {bodies}", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"Altri enti: {bodies} x {years} anni x {DEMO_INDICATORS} indicatori "
        f"({bodies * years * DEMO_INDICATORS} indicatori), generati in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )


def report(results: list[dict]) -> str:
    """Time, queries, ratio to the floor page of the same plan, growth against the smallest."""
    smallest = min(x["factor"] for x in results)
    base = {r["page"]: r for r in results if r["factor"] == smallest}
    floor = {r["factor"]: r["s"] for r in results if r["page"] == "pagina minima"}
    lines = [
        "| pagina | piano | righe mostrate | righe nei dati | tempo (mediana) | query "
        "| / pagina minima | crescita tempo | crescita rapporto |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        b = base[r["page"]]
        ratio = r["s"] / floor[r["factor"]]
        base_ratio = b["s"] / floor[smallest]
        lines.append(
            f"| {r['page']} | {r['factor']}x | {r['shown']} | {r['data']} | "
            f"{r['s'] * 1000:.0f} ms | {r['q']} | {ratio:.1f}x | {r['s'] / b['s']:.2f}x | "
            f"{ratio / base_ratio:.2f}x |"
        )
    return "\n".join(lines)


EQUAL_UNIT = "cruscotto unità, righe pari al piano minore"
EQUAL_SG = "cruscotto Segretario Gen., righe pari al piano minore"
PARAGRAPH = "paragrafo dei risultati, Segretario Gen."
LAST_PAGE = "spazio OIV, per % realizzazione decrescente, ultima pagina"
PAGINATED = {
    "pagina minima",
    "cruscotto unità",
    "cruscotto Segretario Gen.",
    "cruscotto Segretario Gen., per % realizzazione",
    "spazio OIV",
    "spazio OIV, per % realizzazione",
    "spazio OIV, per % realizzazione decrescente",
    "spazio OIV, sotto il risultato",
    EQUAL_UNIT,
    EQUAL_SG,
    "spazio OIV, per % realizzazione, pagina 1",
    "spazio OIV, per % realizzazione decrescente, pagina 1",
    "spazio OIV, sotto il risultato, pagina 1",
    LAST_PAGE,
}
NOT_PAGES = {CHECKS, CHECKS_CACHED, PARAGRAPH}


def verdicts(results: list[dict]) -> list[str]:
    """The targets of issue 18, checked on this run's figures."""
    out = []
    smallest, largest = (f([r["factor"] for r in results]) for f in (min, max))
    floor = {r["factor"]: r["s"] for r in results if r["page"] == "pagina minima"}
    for page in dict.fromkeys(r["page"] for r in results):
        series = {r["factor"]: r for r in results if r["page"] == page}
        counts = {r["q"] for r in series.values()}
        if len(counts) > 1:
            out.append(f"MANCATO {page}: il numero di query cresce con il piano {sorted(counts)}")
        first, last = series[smallest], series[largest]
        # The target is on the time; the ratio to the floor is given too, since on a
        # shared machine the floor of each plan tells how loaded it was when measured.
        growth = last["s"] / first["s"]
        ratio_growth = (last["s"] / floor[largest]) / (first["s"] / floor[smallest])
        if page in PAGINATED and page != "pagina minima" and growth > 1.3:
            out.append(
                f"MANCATO {page}: tempo x{growth:.2f} da {smallest}x a {largest}x (> 1,3; "
                f"rapporto alla pagina minima x{ratio_growth:.2f})"
            )
        ratio = first["s"] / floor[smallest]
        if page not in NOT_PAGES and ratio > 3:
            out.append(f"MANCATO {page}: {ratio:.1f}x la pagina minima a {smallest}x (> 3x)")
    consistency = next(
        (r for r in results if r["page"] == CHECKS and r["factor"] == largest),
        None,
    )
    if consistency and largest >= 100 and consistency["s"] > 1:
        out.append(f"MANCATO controlli di coerenza: {consistency['s']:.2f} s a {largest}x (> 1 s)")
    strategic = next(
        (r for r in results if r["page"] == "mappa strategica" and r["factor"] == largest), None
    )
    if strategic and largest >= 100 and strategic["s"] > 0.2:
        out.append(f"MANCATO mappa strategica: {strategic['s'] * 1000:.0f} ms a {largest}x (> 200)")
    return out or ["Tutti gli obiettivi raggiunti in questa esecuzione."]


def profile(client, cases, top: int = 14) -> None:
    """Where each page's time goes: cProfile of one request, the functions with the most
    cumulative time (the project's own and the library's)."""
    import cProfile
    import pstats

    for name, url, _shown, _data in cases:
        with cProfile.Profile() as prof:
            client.get(url)
        print(f"\n-- profilo: {name} ({url})")
        stats = pstats.Stats(prof)
        # The project's own functions (not the middleware chain), then where the time is spent.
        stats.sort_stats("cumulative").print_stats(rf"{ROOT}/(?!\.venv)(?!bench)", top)
        stats.sort_stats("tottime").print_stats(top // 2)


def explain(client, cases, slowest: int = 3) -> None:
    """The plans of the slowest queries each page really runs (captured from the page itself,
    after the measures), on the plan just measured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    print(f"\nPiani ({connection.vendor}): le {slowest} query più lente di ogni pagina")
    for name, url, _shown, _data in cases:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:slowest]
        for query in queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(prefix + query["sql"])
                plan = "\n".join("  " + " ".join(map(str, row)) for row in cursor.fetchall())
            print(f"-- {name}: {float(query['time']) * 1000:.1f} ms\n{query['sql'][:300]}\n{plan}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--years", default="1,3,5", help="anni per ciascun fattore")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--explain", action="store_true", help="piani delle query (fattore max)")
    parser.add_argument("--profile", action="store_true", help="cProfile di ogni pagina (max)")
    parser.add_argument(
        "--cpu", action="store_true", help="tempo CPU del processo invece del tempo reale"
    )
    parser.add_argument(
        "--bodies", type=int, default=0, help="altri enti nel database (la demo ciascuno)"
    )
    parser.add_argument("--body-years", type=int, default=10, help="anni di ciascun altro ente")
    args = parser.parse_args(argv)
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time
    factors = [int(x) for x in args.factors.split(",")]
    years = [int(x) for x in args.years.split(",")]
    years += [years[-1]] * (len(factors) - len(years))
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "scale.sqlite3"))
        from django.core.management import call_command
        from django.db import connection

        if connection.vendor != "sqlite":
            call_command("flush", verbosity=0, interactive=False)  # a scratch database
        floor_install()

        clock = "CPU del processo" if args.cpu else "reale"
        print(
            f"Database: {connection.vendor}; esecuzioni per misura: {args.runs}; tempo {clock}",
            flush=True,
        )
        if args.bodies:
            bodies_generate(args.bodies, args.body_years, args.seed)
        results = []
        equal: dict[str, int] = {}  # the page sizes of the equal-rows cases (the first plan's)
        for i, (factor, y) in enumerate(zip(factors, years, strict=False)):
            last = factor == factors[-1]
            results.extend(
                measure(
                    factor,
                    y,
                    args.runs,
                    args.seed,
                    2001 + 12 * i,
                    args.explain and last,
                    args.profile and last,
                    equal,
                )
            )
        print()
        print(report(results))
        print()
        for line in verdicts(results):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
