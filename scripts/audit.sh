#!/usr/bin/env bash
# Security gate: known vulnerabilities in every package of the locks (scripts/lock.sh):
# requirements-dev.lock (runtime and dev group, .venv), requirements-rq.lock (runtime and the rq
# extra); requirements.lock, the image's, is the runtime part of both. Fails on a
# vulnerability, and fails when nothing could be audited (advisories unreachable) unless
# AUDIT_OFFLINE_OK=1 says explicitly that this is expected here.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in .venv/bin/pip-audit; do
  if [ ! -x "$tool" ]; then
    echo "$tool non installato: eseguire 'make install'." >&2
    exit 1
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
set +e
# The locks as they are, hashes required: pip-audit checks exactly these pins. A fresh cache:
# advisories as of now, never a stale copy passing for a reachable database.
.venv/bin/pip-audit -r requirements-dev.lock -r requirements-rq.lock --require-hashes \
  --disable-pip --cache-dir "$work/cache" --progress-spinner off --format json \
  -o "$work/report.json" 2>"$work/stderr"
rc=$?
set -e
.venv/bin/python - "$work/report.json" "$work/stderr" "$rc" <<'PY'
import json
import os
import sys
from pathlib import Path

report, stderr, rc = Path(sys.argv[1]), Path(sys.argv[2]).read_text(), int(sys.argv[3])
offline_ok = os.environ.get("AUDIT_OFFLINE_OK") == "1"
if not report.exists() or not report.read_text().strip():
    print(stderr[-2000:], file=sys.stderr)
    if offline_ok:
        print("AVVISO: pip-audit non ha prodotto un rapporto (archivio delle vulnerabilità non "
              "raggiungibile?); accettato perché AUDIT_OFFLINE_OK=1.")
        sys.exit(0)
    sys.exit("ERRORE: pip-audit non ha prodotto un rapporto: nessun pacchetto verificato "
             "(AUDIT_OFFLINE_OK=1 solo dove l'archivio non è raggiungibile).")
deps = json.loads(report.read_text())["dependencies"]
audited = [d for d in deps if "skip_reason" not in d]
skipped = [d for d in deps if "skip_reason" in d]
vulnerable = [d for d in audited if d.get("vulns")]
for dep in vulnerable:
    for vuln in dep["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "nessuna"
        print(f"VULNERABILE: {dep['name']} {dep['version']}: {vuln['id']} (corretta in: {fixes})")
print(f"pip-audit: {len(audited)} pacchetti verificati, {len(skipped)} non verificati, "
      f"{len(vulnerable)} vulnerabili (requirements-dev.lock, requirements-rq.lock).")
if vulnerable or rc not in (0, 1):
    if not vulnerable:
        print(stderr[-2000:], file=sys.stderr)
    sys.exit(1)
if not audited:
    if offline_ok:
        print("AVVISO: archivio delle vulnerabilità non raggiungibile: nessun pacchetto "
              "verificato; accettato perché AUDIT_OFFLINE_OK=1.")
        sys.exit(0)
    sys.exit("ERRORE: nessun pacchetto verificato (archivio delle vulnerabilità non "
             "raggiungibile). Ripetere con accesso all'archivio dei pacchetti e delle "
             "vulnerabilità, o AUDIT_OFFLINE_OK=1 dove non è raggiungibile per scelta.")
if skipped:
    print("AVVISO: controllo parziale; non verificati: "
          + ", ".join(d["name"] for d in skipped))
PY
