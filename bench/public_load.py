"""Load benchmark of Amministrazione trasparente (loopback only, bounded, stops by itself).

Starts gunicorn serving the app on 127.0.0.1 (a free port) with the demo data (a temporary
SQLite database built with migrate + load_demo, or DATABASE_URL when given), then for each target
runs N concurrent readers for a fixed time and a fixed request cap, and prints requests per
second and p50/p95/p99 latency next to a trivial Django view (/trasparenza/ping/) measured in
the same run, with the ratio. gunicorn is stopped at the end, whatever happens.

    .venv/bin/python bench/public_load.py [--seconds 10] [--concurrency 20] [--max-requests 20000]

The public cache is per process (LocMem) unless REDIS_URL is set (shared Redis).
Targets: cached public pages >= 0.5x the trivial view's throughput, p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
YEAR = 2023

TARGETS = [
    ("vista banale (ping)", "/trasparenza/ping/"),
    ("indice trasparenza", "/trasparenza/cciaa-bergamo/"),
    ("anno", f"/trasparenza/cciaa-bergamo/{YEAR}/"),
    ("mappa strategica", f"/trasparenza/cciaa-bergamo/{YEAR}/mappa-strategica/"),
    ("obiettivo strategico", f"/trasparenza/cciaa-bergamo/{YEAR}/obiettivi/1.1/"),
    ("cruscotti", f"/trasparenza/cciaa-bergamo/{YEAR}/cruscotti/"),
    ("obiettivi comuni", f"/trasparenza/cciaa-bergamo/{YEAR}/obiettivi-comuni/"),
    ("risorse economiche", f"/trasparenza/cciaa-bergamo/{YEAR}/risorse-economiche/"),
    ("personale e genere", f"/trasparenza/cciaa-bergamo/{YEAR}/personale/"),
    ("dizionario indicatori", f"/trasparenza/cciaa-bergamo/{YEAR}/dati-aperti/indicatori/"),
    ("indicatori.csv", f"/trasparenza/cciaa-bergamo/{YEAR}/indicatori.csv"),
    ("indicatori.json", f"/trasparenza/cciaa-bergamo/{YEAR}/indicatori.json"),
    ("indicatori.xlsx", f"/trasparenza/cciaa-bergamo/{YEAR}/indicatori.xlsx"),
    ("bilancio.csv", f"/trasparenza/cciaa-bergamo/{YEAR}/bilancio.csv"),
    ("genere.json", f"/trasparenza/cciaa-bergamo/{YEAR}/genere.json"),
    ("confronto tra enti", "/trasparenza/cciaa-bergamo/confronti/"),
    ("confronti.csv", "/trasparenza/confronti/confronti.csv"),
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 10.0) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def _reader_process(port, path, threads, deadline, cap, counter, lock, queue):
    """A client process: ``threads`` readers, each timing requests until the deadline or the
    shared cap is reached."""
    latencies: list[float] = []
    errors = [0]
    mine = threading.Lock()

    def reader():
        while time.monotonic() < deadline:
            with lock:
                if counter.value >= cap:
                    return
                counter.value += 1
            start = time.perf_counter()
            try:
                status, _ = get(port, path)
                ok = status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with mine:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    pool = [threading.Thread(target=reader) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    queue.put((latencies, errors[0]))


def measure(port, path, *, seconds, concurrency, cap, processes):
    ctx = multiprocessing.get_context("fork")
    counter, lock, queue = ctx.Value("i", 0), ctx.Lock(), ctx.Queue()
    per = [
        concurrency // processes + (1 if i < concurrency % processes else 0)
        for i in range(processes)
    ]
    start = time.monotonic()
    deadline = start + seconds
    workers = [
        ctx.Process(
            target=_reader_process, args=(port, path, n, deadline, cap, counter, lock, queue)
        )
        for n in per
        if n
    ]
    for w in workers:
        w.start()
    results = [queue.get(timeout=seconds + 60) for _ in workers]
    for w in workers:
        w.join(timeout=10)
    elapsed = time.monotonic() - start
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    return latencies, errors, elapsed


def pct(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[index] * 1000


def prepare_database(env: dict, workdir: Path) -> None:
    if "DATABASE_URL" not in env:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        print(f"Database temporaneo: {env['DATABASE_URL']}")
        for args in (["migrate", "--noinput", "-v", "0"], ["load_demo", "--no-accounts"]):
            subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="durata per obiettivo")
    parser.add_argument("--concurrency", type=int, default=20, help="lettori concorrenti")
    parser.add_argument("--max-requests", type=int, default=20000, help="tetto per obiettivo")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--client-processes", type=int, default=min(4, os.cpu_count() or 1))
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relazione.settings.local",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
        # Persistent DB connections, as a deployment would set them (override from the env).
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
    }
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="public-load-") as tmp:
        prepare_database(env, Path(tmp))
        command = [
            PYTHON, "-m", "gunicorn", "relazione.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
            "--backlog", "512", "--log-level", "warning", "--access-logfile", "/dev/null",
        ]  # fmt: skip
        server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        try:
            for _ in range(150):
                try:
                    if get(port, "/trasparenza/ping/", timeout=1)[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            else:
                print("gunicorn non risponde.", file=sys.stderr)
                return 1
            cache = "Redis (REDIS_URL)" if env.get("REDIS_URL") else "LocMem per processo"
            print(
                f"gunicorn su 127.0.0.1:{port}, {args.workers} worker sync; cache: {cache}; "
                f"{args.concurrency} lettori, {args.seconds:g} s o {args.max_requests} richieste "
                "per obiettivo\n"
            )
            header = f"{'obiettivo':<24}{'richieste':>10}{'errori':>8}{'req/s':>9}"
            header += f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'rapporto':>10}"
            print(header)
            baseline = None
            failures = []
            for label, path in TARGETS:
                for _ in range(args.workers * 3):  # warm every worker's cache
                    get(port, path)
                lat, errors, elapsed = measure(
                    port,
                    path,
                    seconds=args.seconds,
                    concurrency=args.concurrency,
                    cap=args.max_requests,
                    processes=args.client_processes,
                )
                rps = len(lat) / elapsed if elapsed else 0.0
                baseline = baseline or rps
                ratio = rps / baseline if baseline else float("nan")
                p95 = pct(lat, 95)
                print(
                    f"{label:<24}{len(lat):>10}{errors:>8}{rps:>9.0f}{pct(lat, 50):>9.1f}"
                    f"{p95:>9.1f}{pct(lat, 99):>9.1f}{ratio:>9.2f}x",
                    flush=True,
                )
                if path != TARGETS[0][1] and (ratio < 0.5 or p95 >= 50 or errors):
                    failures.append(label)
            print()
            if failures:
                print("Sotto l'obiettivo (>= 0,5x della vista banale, p95 < 50 ms, nessun errore):")
                print("  " + ", ".join(failures))
            else:
                print("Tutti gli obiettivi raggiunti: >= 0,5x della vista banale, p95 < 50 ms.")
            return 0
        finally:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


if __name__ == "__main__":
    sys.exit(main())
