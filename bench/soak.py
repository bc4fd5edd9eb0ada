"""Write soak test: unit managers writing actuals at the same time through the real server.

    .venv/bin/python bench/soak.py [--seconds 30] [--managers 20] [--readers 4] [--workers 4]

Loopback only, bounded in time. Creates the PostgreSQL database ``relazione_soak`` on
127.0.0.1:5432 (dropped at the end unless --keep; no other database is touched), migrates it,
generates a plan (scale/generator.py: a published, locked year and an open one), creates the
managers and starts gunicorn with several workers. Then, for ``--seconds``:

* each manager (one thread, its own session cookie after a real login) updates actuals of its
  unit through the form endpoint (/ENTE/gestione/ANNO/indicatori/PK/valore/), uploads its
  cruscotto's spreadsheet (download, edit, upload, confirm); some edits are deliberately stale
  (an old version) and some target the locked year;
* readers load the strategic map and the cruscotti.

Every write carries a unique explanation, so afterwards the database tells what happened:
every acknowledged write (302 after the form/confirm) must be in the history with its author,
every indicator must equal its latest history record, refused writes (stale, locked year) must
have left no trace, the locked year must be unchanged, and no request may have failed with 500.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "relazione_soak"  # the only database this script creates or drops
PG = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "soak-password-2023"  # noqa: S105 - throwaway users of a scratch database
_VERSION_RE = re.compile(r'name="version" value="(\d+)"')
_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_CONFIRM_RE = re.compile(r"/importazioni/([^/]+)/conferma/")


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.acked: list[tuple[str, int, str, str]] = []  # user, indicator, actual, token
        self.refused: list[str] = []  # tokens
        self.errors: list[str] = []

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] += n


def login(base: str, username: str):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/account/login/", timeout=30)
    token = _CSRF_RE.search(page.text).group(1)
    done = session.post(
        f"{base}/account/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/account/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if done.status_code != 302:
        raise RuntimeError(f"login di {username} non riuscito: HTTP {done.status_code}")
    return session


def csrf(session) -> str:
    return session.cookies.get("csrftoken", "")


def manager_loop(base, username, plan, stats: Stats, stop: float, seed: int):
    rng = random.Random(seed)
    session = login(base, username)
    seq = 0
    while time.monotonic() < stop:
        seq += 1
        action = rng.random()
        try:
            if action < 0.12:
                form_write(base, session, username, plan["locked"], stats, rng, seq, "locked")
            elif action < 0.30:
                form_write(base, session, username, plan["open"], stats, rng, seq, "stale")
            elif action < 0.40:
                upload(base, session, username, plan, stats, seq)
            else:
                form_write(base, session, username, plan["open"], stats, rng, seq, "normal")
        except Exception as exc:  # a dropped connection is a failure to report, not a crash
            stats.add("eccezioni client")
            with stats.lock:
                stats.errors.append(f"{username}: {exc!r}"[:200])


def form_write(base, session, username, target, stats, rng, seq, kind):
    ids = target["ids"][username]
    pk = rng.choice(ids)
    url = base + target["urls"][username][pk]
    token = f"soak {username} {seq} {kind}"
    actual = str(rng.randrange(1, 5000))
    if kind == "locked":
        # The locked year: the form is not even offered; post the write anyway.
        version = 1
    else:
        page = session.get(url, timeout=60)
        stats.add(f"GET modulo {page.status_code}")
        if page.status_code >= 500:
            stats.add("500")
        match = _VERSION_RE.search(page.text)
        if match is None:
            return
        version = int(match.group(1))
        if kind == "stale":
            if version <= 1:
                kind, token = "normal", token.replace("stale", "normal")
            else:
                version -= 1
    response = session.post(
        url,
        data={
            "actual": actual,
            "explanation": token,
            "version": version,
            "csrfmiddlewaretoken": csrf(session),
        },
        headers={"Referer": url},
        allow_redirects=False,
        timeout=60,
    )
    status = response.status_code
    stats.add(f"POST valore {kind} {status}")
    if status >= 500:
        stats.add("500")
    with stats.lock:
        if status == 302:
            stats.acked.append((username, pk, actual, token))
        else:
            stats.refused.append(token)


def upload(base, session, username, plan, stats, seq):
    from openpyxl import load_workbook

    page = base + plan["open"]["entry"][username]
    download = session.get(f"{page}excel/", timeout=60)
    stats.add(f"GET excel {download.status_code}")
    if download.status_code != 200:
        stats.add("500" if download.status_code >= 500 else "excel non scaricato")
        return
    wb = load_workbook(io.BytesIO(download.content))
    ws = wb["Valori"]
    changed = []
    for row in ws.iter_rows(min_row=2):
        ident, kind = row[0].value, row[3].value
        if kind != "Numero" or not ident:
            continue
        token = f"soak {username} {seq} upload r{row[0].row}"
        value = str(random.randrange(1, 5000))
        row[6].value, row[7].value = value, token
        changed.append((int(str(ident).split(":")[0]), value, token))
        if len(changed) >= 3:
            break
    if not changed:
        return
    out = io.BytesIO()
    wb.save(out)
    preview = session.post(
        f"{page}importa/",
        data={"csrfmiddlewaretoken": csrf(session)},
        files={"file": ("valori.xlsx", out.getvalue())},
        headers={"Referer": page},
        timeout=60,
    )
    stats.add(f"POST importa {preview.status_code}")
    if preview.status_code >= 500:
        stats.add("500")
    match = _CONFIRM_RE.search(preview.text)
    if preview.status_code != 200 or match is None:
        with stats.lock:
            stats.refused.extend(t for _i, _v, t in changed)
        return
    confirm = session.post(
        base + plan["open"]["confirm"].replace("TOKEN", match.group(1)),
        data={"csrfmiddlewaretoken": csrf(session)},
        headers={"Referer": page},
        allow_redirects=False,
        timeout=60,
    )
    stats.add(f"POST conferma {confirm.status_code}")
    if confirm.status_code >= 500:
        stats.add("500")
    with stats.lock:
        if confirm.status_code == 302:
            stats.acked.extend((username, i, v, t) for i, v, t in changed)
        else:
            stats.refused.extend(t for _i, _v, t in changed)


def reader_loop(base, username, plan, stats, stop, seed):
    rng = random.Random(seed)
    session = login(base, username)
    pages = plan["open"]["read"]
    while time.monotonic() < stop:
        url = base + rng.choice(pages)
        try:
            status = session.get(url, timeout=60).status_code
        except Exception as exc:
            stats.add("eccezioni client")
            with stats.lock:
                stats.errors.append(f"lettore: {exc!r}"[:200])
            continue
        stats.add(f"GET lettura {status}")
        if status >= 500:
            stats.add("500")


def prepare(managers: int) -> dict:
    from django.contrib.auth.models import User
    from django.urls import reverse

    from accounts.models import Membership, Role
    from indicators.models import Indicator
    from objectives.models import OrgUnit, Scorecard
    from scale.generator import plan_generate

    plan = plan_generate(units=max(30, managers + 10), indicators=600, years=2, seed=20)
    locked, opened = plan.cycles
    leaves = list(
        OrgUnit.objects.filter(body=plan.body, kind__in=["service", "office"])
        .filter(scorecards__cycle=opened)
        .order_by("order")
    )[:managers]
    body = plan.body.slug
    out = {
        "open": {"year": opened.year, "ids": {}, "urls": {}, "entry": {}, "slug": {}},
        "locked": {"year": locked.year, "ids": {}, "urls": {}},
    }
    out["open"]["confirm"] = reverse("indicators:confirm", args=[body, opened.year, "TOKEN"])
    for n, unit in enumerate(leaves):
        username = f"soak-responsabile-{n + 1:02d}"
        user = User.objects.create_user(username, password=PASSWORD)
        membership = Membership.objects.create(user=user, body=plan.body, role=Role.MANAGER)
        membership.units.set([unit])
        for key, cycle in (("open", opened), ("locked", locked)):
            ids = list(
                Indicator.objects.filter(
                    cycle=cycle,
                    kind="number",
                    operational_objective__units=unit,
                ).values_list("id", flat=True)
            )
            out[key]["ids"][username] = ids or list(
                Indicator.objects.filter(cycle=cycle, kind="number").values_list("id", flat=True)[
                    :5
                ]
            )
            out[key]["urls"][username] = {
                pk: reverse("indicators:actual", args=[body, cycle.year, pk])
                for pk in out[key]["ids"][username]
            }
        slug = Scorecard.objects.get(cycle=opened, unit=unit, section=Scorecard.Section.UNIT).slug
        out["open"]["slug"][username] = slug
        out["open"]["entry"][username] = reverse(
            "indicators:scorecard", args=[body, opened.year, slug]
        )
    reader = User.objects.create_user("soak-pianificazione", password=PASSWORD)
    Membership.objects.create(user=reader, body=plan.body, role=Role.PLANNING)
    out["open"]["read"] = [reverse("dashboards:map", args=[body, opened.year])] + [
        reverse("dashboards:scorecard", args=[body, opened.year, slug])
        for slug in sorted(set(out["open"]["slug"].values()))
    ]
    out["locked_id"] = locked.id
    return out


def locked_state(cycle_id):
    from indicators.models import Indicator

    return sorted(
        Indicator.objects.filter(cycle_id=cycle_id).values_list(
            "id", "actual", "explanation", "version"
        )
    )


def verify(stats: Stats, plan: dict, locked_before) -> list[str]:
    from indicators.entry import normalize_actual
    from indicators.models import Indicator

    history = Indicator.history.model
    problems = []
    for username, pk, actual, token in stats.acked:
        record = (
            history.objects.filter(id=pk, explanation=token).select_related("history_user").first()
        )
        if record is None:
            problems.append(f"scrittura confermata senza storico: {token}")
        elif (
            record.actual != normalize_actual("number", actual)
            or record.history_user.username != username
        ):
            problems.append(
                f"storico diverso per {token}: {record.actual} di {record.history_user}"
            )
    refused = set(stats.refused)
    leaked = history.objects.filter(explanation__in=refused).count() if refused else 0
    leaked += Indicator.objects.filter(explanation__in=refused).count() if refused else 0
    if leaked:
        problems.append(f"{leaked} scritture rifiutate hanno lasciato traccia")
    touched = {pk for _u, pk, _a, _t in stats.acked}
    for ind in Indicator.objects.filter(id__in=touched):
        last = history.objects.filter(id=ind.id).order_by("-history_date", "-history_id").first()
        if (last.actual, last.explanation, last.version) != (
            ind.actual,
            ind.explanation,
            ind.version,
        ):
            problems.append(f"indicatore {ind.id} diverso dal suo ultimo record di storico")
    if locked_state(plan["locked_id"]) != locked_before:
        problems.append("l'anno validato è cambiato")
    if stats.counts["500"]:
        problems.append(f"{stats.counts['500']} risposte 500")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--managers", type=int, default=20)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help=f"non eliminare {DB_NAME}")
    args = parser.parse_args(argv)
    args.seconds = max(5, min(args.seconds, 600))

    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG}/{DB_NAME}",
        DJANGO_SETTINGS_MODULE="relazione.settings.test",
        PYTHONPATH=str(ROOT),
    )
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        plan = prepare(args.managers)
        locked_before = locked_state(plan["locked_id"])
        from django.db import connections

        connections.close_all()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "relazione.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        stats = Stats()
        stop = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=manager_loop, args=(base, u, plan, stats, stop, i))
            for i, u in enumerate(sorted(plan["open"]["ids"]))
        ] + [
            threading.Thread(
                target=reader_loop, args=(base, "soak-pianificazione", plan, stats, stop, 100 + i)
            )
            for i in range(args.readers)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=args.seconds + 180)
        elapsed = time.monotonic() - started
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server = None

        problems = verify(stats, plan, locked_before)
        total = sum(v for k, v in stats.counts.items() if k.startswith(("GET", "POST")))
        print(
            f"Soak: {len(plan['open']['ids'])} responsabili, {args.readers} lettori, "
            f"{args.workers} worker gunicorn, {elapsed:.0f} s, {total} richieste "
            f"({total / elapsed:.1f}/s)"
        )
        for key in sorted(stats.counts):
            print(f"  {key}: {stats.counts[key]}")
        print(f"Scritture confermate: {len(stats.acked)} (tutte verificate nello storico)")
        print(f"Scritture rifiutate: {len(stats.refused)} (nessuna traccia nel database)")
        for error in stats.errors[:5]:
            print(f"  errore client: {error}")
        if problems:
            print("PROBLEMI:")
            for p in problems[:20]:
                print(f"  {p}")
            return 1
        print("Esito: nessuna scrittura persa, nessun rifiuto applicato, nessun errore 500.")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


if __name__ == "__main__":
    raise SystemExit(main())
