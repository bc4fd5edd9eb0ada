#!/usr/bin/env bash
# The locks, made from pyproject.toml by `uv pip compile` with every artefact's hash and no
# index line or URL (no commit names a package registry's host):
#   requirements-dev.lock  runtime + dev group: .venv (`make install`), audited;
#   requirements.lock      runtime only: the image and the container smoke;
#   requirements-rq.lock   runtime + the rq extra (README, "Task queue"), audited.
# The dev lock is resolved first; the runtime lock is constrained by it and the rq lock by the
# runtime lock, so a package has one version in every lock that names it (as in one resolution).
# Universal: valid on every platform and on Python >= 3.12 (requires-python), markers kept.
#
# `scripts/lock.sh` rewrites the locks in place, keeping every pin that still fits (uv keeps the
# pins of an existing output file). `scripts/lock.sh --check` compiles copies in a temporary
# directory and fails if they differ from the committed locks: pyproject.toml changed, or a
# lock was edited by hand. LOCK_OPTIONS adds options of `uv pip compile` when rewriting, e.g.
# LOCK_OPTIONS="--upgrade-package django" (make lock LOCK_OPTIONS=...).
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(realpath "${UV:-.venv/bin/uv}")
LOCKS=(requirements-dev.lock requirements.lock requirements-rq.lock)

# Compiled where they are (relative paths: the "-c" comments are the same in both modes).
out=.
options=${LOCK_OPTIONS:-}
if [ "${1:-}" = "--check" ]; then
  options=""
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  for lock in "${LOCKS[@]}"; do
    [ -f "$lock" ] || { echo "$lock mancante: eseguire 'make lock'." >&2; exit 1; }
  done
  cp pyproject.toml "${LOCKS[@]}" "$out/"
fi

compile() {
  local output=$1
  shift
  # --no-config: no user or system uv.toml adds an index or changes the resolution.
  # shellcheck disable=SC2086 # word splitting wanted: a list of options
  (cd "$out" && "$UV" pip compile --no-config --quiet pyproject.toml --universal \
    --python-version 3.12 --generate-hashes --custom-compile-command "make lock" \
    -o "$output" "$@" ${options})
}

compile requirements-dev.lock --group dev
compile requirements.lock -c requirements-dev.lock
compile requirements-rq.lock --extra rq -c requirements.lock

if (cd "$out" && grep -nE '://|^ *--(extra-)?index-url|^ *--find-links' "${LOCKS[@]}"); then
  echo "ERRORE: un lock nomina un indirizzo (sopra); i lock non nominano archivi." >&2
  exit 1
fi

if [ "$out" != . ]; then
  status=0
  for lock in "${LOCKS[@]}"; do
    if ! diff -u "$lock" "$out/$lock"; then
      echo "ERRORE: $lock non corrisponde a pyproject.toml: eseguire 'make lock'." >&2
      status=1
    fi
  done
  exit "$status"
fi
