"""Import benchmark: a 10,000-row actuals workbook through the app's import, against
openpyxl's own read of the same file.

    .venv/bin/python bench/import.py [--rows 10000]

Generates a plan with enough indicators (scale/generator.py) in a temporary SQLite database (or
DATABASE_URL: a scratch database), writes the workbook of the cruscotto download/upload
(indicators.workbook.actuals_workbook) with one row per indicator and a new explanation on
every row, then times:

* the floor: ``openpyxl.load_workbook(read_only=True)`` iterating every cell of every sheet;
* the app: ``workbook_parse`` (checks + streaming read) + ``actuals_import_apply`` (validation
  under row locks and the versioned write with history of every row, one transaction).

Prints both times, the ratio (target: within 5x of the floor) and the peak memory of the parse
(tracemalloc) for a quarter and for all of the rows, plus the process's ru_maxrss.

The rows are bounded by the upload limits (``lib.xlsx.LIMITS``: 15,000 rows; what one upload
may cost is measured by ``bench/upload.py``).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relazione.settings.test")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def openpyxl_floor(data: bytes) -> tuple[float, int]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    wb = load_workbook(io.BytesIO(data), read_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _ = cell.value
                cells += 1
    wb.close()
    return time.perf_counter() - started, cells


def build_workbook(cycle, limit: int) -> tuple[bytes, int]:
    from indicators import workbook
    from indicators.models import Indicator

    lines = [
        workbook.SheetLine(
            indicator_id=ind.id,
            version=ind.version,
            operational=ind.operational_objective.name if ind.operational_objective else "",
            name=ind.name,
            kind=ind.kind,
            target=ind.target,
            actual=ind.actual,
            explanation=f"Aggiornamento del secondo trimestre, riga {n}",
        )
        for n, ind in enumerate(
            Indicator.objects.filter(cycle=cycle)
            .select_related("operational_objective")
            .order_by("order")[:limit],
            start=2,
        )
    ]
    return workbook.actuals_workbook(f"Tutti gli indicatori · {cycle}", lines), len(lines)


def parse_peak(data: bytes) -> tuple[int, int]:
    """(rows, peak bytes allocated by Python) of workbook_parse."""
    from indicators import workbook

    tracemalloc.start()
    parsed = workbook.workbook_parse(data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return len(parsed.rows), peak


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "import.sqlite3"))
        from django.contrib.auth.models import User

        from accounts.models import Membership, Role
        from core.models import Cycle
        from indicators import services, workbook
        from indicators.models import Indicator
        from scale.generator import plan_generate

        started = time.perf_counter()
        plan = plan_generate(
            units=max(10, args.rows // 100), indicators=args.rows, years=1, seed=args.seed
        )
        cycle = Cycle.objects.select_related("body").get(pk=plan.cycles[-1].pk)
        print(f"Piano generato: {args.rows} indicatori in {time.perf_counter() - started:.1f} s")
        user = User.objects.create_user("bench-pianificazione")
        Membership.objects.create(user=user, body=cycle.body, role=Role.PLANNING)

        data, count = build_workbook(cycle, args.rows)
        print(f"Foglio: {count} righe, {len(data) / 1024:.0f} KiB")
        if count > workbook.MAX_ROWS:
            print(
                f"Il foglio supera il limite di {workbook.MAX_ROWS} righe di un caricamento "
                "(lib.xlsx.LIMITS): misurare con --rows più basso."
            )
            return 1

        floor, cells = openpyxl_floor(data)

        t0 = time.perf_counter()
        parsed = workbook.workbook_parse(data)
        t1 = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            with cProfile.Profile() as prof:
                result = services.actuals_import_apply(user=user, cycle=cycle, rows=parsed.rows)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        else:
            result = services.actuals_import_apply(user=user, cycle=cycle, rows=parsed.rows)
        t2 = time.perf_counter()
        assert not parsed.errors and result.count == count, (parsed.errors[:3], result.count)
        written = Indicator.objects.filter(
            cycle=cycle, explanation__startswith="Aggiornamento del secondo trimestre"
        ).count()
        history = Indicator.history.filter(cycle_id=cycle.id, history_user_id=user.id).count()
        assert written == count and history == count, (written, history)

        quarter, _n = build_workbook(cycle, count // 4)
        rows_q, peak_q = parse_peak(quarter)
        rows_a, peak_a = parse_peak(data)
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        total = t2 - t0
        print()
        print("| misura | tempo |")
        print("|---|---:|")
        print(f"| openpyxl read_only, tutte le {cells} celle (soglia minima) | {floor:.2f} s |")
        print(f"| app: lettura e controlli (workbook_parse) | {t1 - t0:.2f} s |")
        print(
            f"| app: validazione e scrittura con storico (actuals_import_apply) | {t2 - t1:.2f} s |"
        )
        print(f"| app: importazione completa | {total:.2f} s |")
        print()
        print(f"Rapporto importazione / lettura openpyxl: {total / floor:.1f}x (obiettivo <= 5x)")
        print(f"Rapporto sola lettura dell'app / openpyxl: {(t1 - t0) / floor:.1f}x")
        print(f"Righe scritte verificate: {written}, record di storico: {history}")
        print(
            "Memoria di picco di workbook_parse (tracemalloc): "
            f"{rows_q} righe {peak_q / 2**20:.1f} MiB, "
            f"{rows_a} righe {peak_a / 2**20:.1f} MiB "
            f"(x{peak_a / peak_q:.1f} per x{rows_a / rows_q:.0f} righe)"
        )
        print(f"ru_maxrss del processo: {maxrss:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
