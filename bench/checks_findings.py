"""The full findings list of the 1x, 10x and 100x plans as JSON, to compare two trees.

    .venv/bin/python bench/checks_findings.py OUT.json [--db PATH] [--factors 1,10,100]

Run it from each tree's root on the same database (bench/checks.py's: the plans are generated
on first use and kept), then ``cmp`` the two files: every finding (rule, severity, subject,
message, fix, objects, values, area), in the order consistency_run gives them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "bench-checks.sqlite3"))
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    from bench import checks

    checks.setup_django(args.db)
    from consistency import services

    result = {}
    for factor in (int(f) for f in args.factors.split(",")):
        cycle = checks.cycle_of(factor, args.seed)
        found = services.consistency_run(cycle=cycle)
        result[factor] = [{**f.as_dict(), "subject": f.subject, "area": f.area} for f in found]
        print(f"{factor}x: {len(found)} rilievi", flush=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=0), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
