#!/usr/bin/env bash
# One run of a sweep: trains it into OUT (replacing an unfinished one; output in OUT.log), or,
# when OUT holds an interrupted run (a saved training state), continues it with `tprog resume`
# (output appended to OUT.log). A resume that fails fails the run: it is not trained anew.
# Usage: [TPROG_THREADS=N] scripts/train-or-resume.sh BIN OUT [train options…]
set -euo pipefail
bin=$1; out=$2; shift 2
if [ -f "$out/training-state.bin" ]; then
  exec "$bin" resume "$out" --json >> "$out.log" 2>&1
fi
exec "$bin" train "$@" --out "$out" --force --json > "$out.log" 2>&1
