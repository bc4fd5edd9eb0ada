"""Scale benchmark: server time and query count of the main pages as the plan grows.

    .venv/bin/python bench/scale.py [--runs 5] [--years 1,3,5] [--factors 1,10,100]

Builds synthetic plans of 1x, 10x and 100x the 2023 demo (about 170 indicators, 345 rows and
10 units per year; see scale/generator.py) in a temporary SQLite database (or DATABASE_URL if
set: then it must be a scratch database), and measures with django.test.Client, as an OIV
member, the median server time of several runs and the query count of:

* the strategic map (/YEAR/);
* a unit's cruscotto (/YEAR/cruscotti/<slug>/, the largest 2.4 one) and the Segretario
  Generale's (section 3, which grows with the plan: paginated at 100 rows);
* the OIV workspace (/YEAR/oiv/, workflow/urls.py);
* the consistency check of the year (consistency.services.consistency_run).

Prints a table with the growth factor of time and rows against the 1x plan. Query counts must
stay constant; a page that shows all rows may grow with them, a paginated one must stay flat.
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
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(fn, runs: int) -> tuple[float, int]:
    """(median seconds, query count of the first run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), queries


def get(client, url):
    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    return run


def measure(factor: int, years: int, runs: int, seed: int, first_year: int) -> list[dict]:
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.test import Client

    from accounts.models import Profile, Role
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
    cycle = Cycle.objects.select_related("body").get(body=plan.body, year=plan.cycles[-1].year)
    year = cycle.year
    user, _ = User.objects.get_or_create(username="bench-oiv")
    Profile.objects.get_or_create(user=user, defaults={"role": Role.OIV})
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
    indicators = Indicator.objects.filter(cycle=cycle).count()
    rows = ScorecardRow.objects.filter(scorecard__cycle=cycle).count()
    so = cycle.strategic_objectives.count()
    print(
        f"  {factor}x: {years} anni, {indicators} indicatori e {rows} righe nell'anno {year} "
        f"(totale {plan.counts['indicators']} indicatori), generato in {generated:.1f} s",
        flush=True,
    )
    cases = [
        ("mappa strategica", f"/{year}/", so, so),
        ("cruscotto unità", f"/{year}/cruscotti/{unit_slug}/", min(unit_rows, 100), unit_rows),
        (
            "cruscotto Segretario Gen.",
            f"/{year}/cruscotti/segretario-generale/",
            min(sg_rows, 100),
            sg_rows,
        ),
        ("spazio OIV", f"/{year}/oiv/", indicators, indicators),
    ]
    results = []
    for name, url, shown, data in cases:
        # Pages that show every row take tens of seconds at 100x: fewer runs there.
        n = runs if shown <= 1000 else max(1, runs // 3)
        seconds, queries = timed(get(client, url), n)
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
    seconds, queries = timed(lambda: consistency_run(cycle=cycle), max(1, runs // 3))
    results.append(
        {
            "page": "controlli di coerenza",
            "factor": factor,
            "shown": indicators,
            "data": indicators,
            "s": seconds,
            "q": queries,
        }
    )
    return results


def report(results: list[dict]) -> str:
    base = {r["page"]: r for r in results if r["factor"] == min(x["factor"] for x in results)}
    lines = [
        "| pagina | piano | righe mostrate | righe nei dati | tempo (mediana) | query "
        "| crescita tempo | crescita righe mostrate |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        b = base[r["page"]]
        lines.append(
            f"| {r['page']} | {r['factor']}x | {r['shown']} | {r['data']} | "
            f"{r['s'] * 1000:.0f} ms | {r['q']} | {r['s'] / b['s']:.1f}x | "
            f"{r['shown'] / max(b['shown'], 1):.1f}x |"
        )
    return "\n".join(lines)


def verdicts(results: list[dict]) -> list[str]:
    out = []
    for page in dict.fromkeys(r["page"] for r in results):
        series = [r for r in results if r["page"] == page]
        counts = {r["q"] for r in series}
        if len(counts) > 1:
            out.append(
                f"ATTENZIONE {page}: il numero di query cresce con il piano {sorted(counts)}"
            )
        first, last = series[0], series[-1]
        time_growth = last["s"] / first["s"]
        rows_growth = last["shown"] / max(first["shown"], 1)
        if time_growth > 2 * max(rows_growth, 1):
            out.append(
                f"ATTENZIONE {page}: tempo x{time_growth:.1f} a fronte di righe mostrate "
                f"x{rows_growth:.1f} (lavoro proporzionale ai dati, non alla pagina)"
            )
    return out or ["Query costanti e tempi proporzionali alle righe mostrate."]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--years", default="1,3,5", help="anni per ciascun fattore")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    factors = [int(x) for x in args.factors.split(",")]
    years = [int(x) for x in args.years.split(",")]
    years += [years[-1]] * (len(factors) - len(years))
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "scale.sqlite3"))
        from django.db import connection

        print(f"Database: {connection.vendor}; esecuzioni per misura: {args.runs}", flush=True)
        results = []
        for i, (factor, y) in enumerate(zip(factors, years, strict=False)):
            results.extend(measure(factor, y, args.runs, args.seed, 2001 + 12 * i))
        print()
        print(report(results))
        print()
        for line in verdicts(results):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
