#!/usr/bin/env bash
# Trains every synthetic task at its paper configuration for seeds 0–4 (SPEC §5), JOBS runs at a
# time (default 2, one per core), each with THREADS threads (default 1), into
# runs/paper/<task>-<seed>/. `THREADS=2 scripts/paper-runs.sh 1` gives each run both cores.
# Finished runs (with results.json) are skipped and interrupted ones continued (tprog resume), so
# the script can be run again after a stop. Then:
#   swift run -c release tprog report runs/paper
# Usage: [SEEDS="0 1 2 3 4"] [THREADS=1] [TPROG_BIN=path/to/tprog] scripts/paper-runs.sh [JOBS] [TASK ...]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}; shift || true
tasks=("$@")
[ ${#tasks[@]} -gt 0 ] || tasks=(induction hist double_hist reverse sort most_freq dyck2 dyck1)
bin=$(scripts/tprog-snapshot.sh)
mkdir -p runs/paper
git rev-parse --short HEAD > runs/paper/COMMIT 2>/dev/null || true
for task in "${tasks[@]}"; do for seed in ${SEEDS:-0 1 2 3 4}; do
  [ -f "runs/paper/$task-$seed/results.json" ] || echo "$task $seed ${THREADS:-1}"
done; done | xargs -r -P "$jobs" -L 1 sh -c '
  out="runs/paper/$1-$2"
  TPROG_THREADS=$3 scripts/train-or-resume.sh "$0" "$out" --task "$1" --seed "$2" \
    && echo "done $1 seed $2" || echo "FAILED $1 seed $2 (see $out.log)"' "$bin"
