"""Fixed cost of the internal pages: the floor page, an empty internal page and the main pages.

    .venv/bin/python bench/fixed_cost.py [--rounds 7] [--runs 5] [--baseline PATH] [--profile]

Measures, at 1x (the demo's size, scale/generator.py) in a temporary SQLite database (or
DATABASE_URL, a scratch database: flushed first), as an OIV member, the CPU time of the
process (the server's own work, SQLite's included) of:

* the floor page of bench/scale.py: one query, 100 indicators, a bare template, through the
  same middleware, no session read;
* an empty internal page: login, the year (``year_cycle``), the internal-role check and
  ``base.html`` with an empty content (header, menu, year selector), which every internal page
  pays before its own content;
* the strategic map, a unit's cruscotto (the largest), the Segretario Generale's and the OIV
  workspace (warm: the consistency counts cached, as every request after the first).

Both pages are added to the URLs by this script only. Each time is given as a ratio to the
floor page measured in the same run.

With ``--baseline PATH`` (another checkout: ``git worktree add`` or ``git archive`` of main) the
same pages are measured on both in two worker processes, one round each in turn, so that
before and after share the machine's load: medians of all the rounds. On PostgreSQL each needs
its scratch database: DATABASE_URL for this checkout, ``--baseline-database-url`` for the
other. Without ``--baseline``, one worker on this checkout. ``--profile`` prints the cProfile
of twenty empty internal pages (this checkout).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEMO_INDICATORS, DEMO_UNITS = 170, 10
from floor import FLOOR_NAME, FLOOR_PATH, floor_view  # noqa: E402 - bench/, a script

EMPTY_NAME = "bench-empty"
PAGES = (
    "pagina minima",
    "pagina interna vuota",
    "mappa strategica",
    "cruscotto unità",
    "cruscotto Segretario Gen.",
    "spazio OIV",
)


# -- worker: one checkout, one process ----------------------------------------------------------


def pages_install() -> None:
    """The floor page (bench/floor.py) and the empty internal page, first in the URLs."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import clear_url_caches, path

    import relazione.urls
    from accounts.permissions import ensure, is_internal
    from accounts.selectors import year_cycle

    empty_template = engines["django"].from_string(
        '{% extends "base.html" %}{% block title %}Pagina vuota{% endblock %}'
    )

    @login_required
    def empty(request, year):
        cycle = year_cycle(request, year)
        ensure(is_internal(request.user, cycle))
        return HttpResponse(empty_template.render({}, request))

    relazione.urls.urlpatterns[:0] = [
        path(FLOOR_PATH, floor_view(), name=FLOOR_NAME),
        path("<ente:ente>/<year:year>/_bench/vuota/", empty, name=EMPTY_NAME),
    ]
    clear_url_caches()


def worker_setup(seed: int) -> tuple[object, dict[str, str]]:
    """Django on a fresh database with the 1x plan: the logged-in client and the pages' URLs."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relazione.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import override_settings

    # The pages as served: with the consistency counts' cache, off in the test settings.
    caches = {**settings.CACHES, "consistency": settings.CACHES["default"]}
    override_settings(CACHES=caches).enable()
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor != "sqlite":
        call_command("flush", verbosity=0, interactive=False)  # a scratch database
    pages_install()

    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Membership, Role
    from objectives.models import Scorecard
    from scale.generator import plan_generate

    plan = plan_generate(
        units=DEMO_UNITS, indicators=DEMO_INDICATORS, years=1, seed=seed, body_slug="scala-1x"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    cycle = plan.cycles[-1]
    user, _ = User.objects.get_or_create(username="bench-oiv")
    Membership.objects.get_or_create(user=user, body=plan.body, defaults={"role": Role.OIV})
    client = Client()
    client.force_login(user)
    cards = Scorecard.objects.filter(cycle=cycle, section=Scorecard.Section.UNIT)
    unit = cards.annotate(n=Count("rows")).order_by("-n", "slug").values_list("slug", flat=True)
    args = [plan.body.slug, cycle.year]
    urls = dict(
        zip(
            PAGES,
            (
                f"{reverse(FLOOR_NAME, args=[cycle.year])}?ente={plan.body.slug}",
                reverse(EMPTY_NAME, args=args),
                reverse("dashboards:map", args=args),
                reverse("dashboards:scorecard", args=[*args, unit[0]]),
                reverse("dashboards:scorecard", args=[*args, "segretario-generale"]),
                reverse("workflow:workspace", args=args),
            ),
            strict=True,
        )
    )
    return client, urls


def worker_round(client, urls: dict[str, str], runs: int) -> dict[str, list]:
    """Each page: its query count, then ``runs`` CPU times (seconds) after one warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for page, url in urls.items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        # Counted now: the next request clears the connection's log the context reads.
        queries = len(ctx.captured_queries)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        times = []
        # The floor is a few ms: more runs, or one noisy sample sets every ratio.
        for _ in range(runs * 2 if page == PAGES[0] else runs):
            started = time.process_time()
            client.get(url)
            times.append(time.process_time() - started)
        out[page] = [queries, times]
    return out


def worker_profile(client, urls: dict[str, str], top: int = 25) -> None:
    import cProfile
    import pstats

    url = urls[PAGES[1]]
    client.get(url)
    with cProfile.Profile() as prof:
        for _ in range(20):
            client.get(url)
    print(f"-- profilo di 20 pagine interne vuote ({url})", file=sys.stderr)
    stats = pstats.Stats(prof, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def worker(root: Path, args) -> int:
    """Serves rounds on request: a line on stdin, a JSON line on stdout."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp) / 'fixed.sqlite3'}")
        client, urls = worker_setup(args.seed)
        if args.profile:
            worker_profile(client, urls)
        print(json.dumps({"ready": True}), flush=True)
        for _line in sys.stdin:
            print(json.dumps(worker_round(client, urls, args.runs)), flush=True)
    return 0


# -- driver: the workers' rounds, in turn -------------------------------------------------------


def spawn(root: Path, args, profile: bool, database: str | None) -> subprocess.Popen:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(root)]
    command += ["--runs", str(args.runs), "--seed", str(args.seed)]
    if profile:
        command.append("--profile")
    env = {**os.environ, **({"DATABASE_URL": database} if database else {})}
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    if "ready" not in json.loads(process.stdout.readline() or "{}"):
        raise SystemExit(f"{root}: il processo di misura non è partito")
    return process


def ask(process: subprocess.Popen) -> dict[str, list]:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("round\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def table(labels: list[str], samples: dict[str, dict[str, list]], queries: dict) -> str:
    head = "| pagina | " + " | ".join(f"{x}: query | {x}: CPU | {x}: / minima" for x in labels)
    lines = [head + " |", "|---|" + "---:|---:|---:|" * len(labels)]
    for page in PAGES:
        cells = []
        for label in labels:
            ms = statistics.median(samples[label][page]) * 1000
            floor = statistics.median(samples[label][PAGES[0]]) * 1000
            cells.append(f"{queries[label][page]} | {ms:.1f} ms | {ms / floor:.1f}x")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="turni di misura per versione")
    parser.add_argument("--runs", type=int, default=5, help="richieste per pagina in un turno")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--baseline", type=Path, help="un'altra copia del progetto (prima)")
    parser.add_argument(
        "--baseline-database-url", help="con DATABASE_URL: il database di prova della copia prima"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile della pagina vuota")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker, args)
    if args.baseline and "DATABASE_URL" in os.environ and not args.baseline_database_url:
        raise SystemExit("--baseline con DATABASE_URL: serve --baseline-database-url (un altro)")
    roots = {"dopo" if args.baseline else "questa copia": HERE}
    if args.baseline:
        roots = {"prima": args.baseline.resolve(), **roots}
    processes = {
        label: spawn(
            root,
            args,
            args.profile and root == HERE,
            args.baseline_database_url if label == "prima" else None,
        )
        for label, root in roots.items()
    }
    print(
        f"Carico: {os.getloadavg()[0]:.2f}; turni: {args.rounds}, richieste per turno: "
        f"{args.runs}; tempo CPU del processo, 1x",
        flush=True,
    )
    samples: dict[str, dict[str, list]] = {label: {p: [] for p in PAGES} for label in roots}
    queries: dict[str, dict[str, int]] = {label: {} for label in roots}
    for n in range(args.rounds):
        # Alternate which goes first, so neither always follows the other's warm caches.
        order = list(roots) if n % 2 == 0 else list(roots)[::-1]
        for label in order:
            for page, (count, times) in ask(processes[label]).items():
                queries[label][page] = count
                samples[label][page].extend(times)
    for process in processes.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    print(f"Carico alla fine: {os.getloadavg()[0]:.2f}\n")
    print(table(list(roots), samples, queries))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
