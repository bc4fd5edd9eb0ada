#!/usr/bin/env bash
# `make run`: everything a user needs, in one command. Migrates, loads the demo only into an
# empty database (the work entered is never overwritten: `make demo-reset` reloads it on
# purpose), then runs the web server and the task queue's worker (the PDFs, the e-mails).
# Ctrl-C, or either process ending, stops both.
#
#   PY=.venv/bin/python HOST=127.0.0.1 PORT=8000 scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$PY" manage.py migrate --noinput
"$PY" manage.py load_demo --if-empty

pids=()
stop() {
    trap - INT TERM HUP EXIT
    # ${a[@]+...}: an empty array under `set -u` in bash < 4.4 (a failed migrate)
    for pid in ${pids[@]+"${pids[@]}"}; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for pid in ${pids[@]+"${pids[@]}"}; do
        wait "$pid" 2>/dev/null || true
    done
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM HUP
trap stop EXIT

# Each child in its own process group (job control on while starting them), so that stopping
# it also stops the autoreloader's child that runs the actual server or worker. Job control
# goes off again so that Ctrl-C still reaches this script, whose trap stops both.
set -m
"$PY" manage.py runserver "$HOST:$PORT" &
pids+=($!)
"$PY" manage.py db_worker &
pids+=($!)
set +m
echo "Server su http://$HOST:$PORT/ e worker della coda avviati (Ctrl-C per fermare entrambi)."

# Not `wait -n` (bash >= 4.3, not macOS's bash 3.2): poll until one of the two ends. The pause
# is a `wait` on a background sleep, not a foreground `sleep`: a trapped signal interrupts
# `wait` at once, while during a foreground child bash may defer it, or drop a SIGINT that the
# child did not die of (a signal sent to this script alone, not to the terminal's group).
while kill -0 "${pids[0]}" 2>/dev/null && kill -0 "${pids[1]}" 2>/dev/null; do
    sleep 1 &
    wait "$!" || true
done
echo "Un processo si è fermato: fermo anche l'altro." >&2
exit 1
