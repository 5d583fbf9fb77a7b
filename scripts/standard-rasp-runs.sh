#!/usr/bin/env bash
# The standard-Transformer baseline on the synthetic tasks (issue 6): one point of the paper's
# grid (d_model 256, LAYERS layers × HEADS heads, default 2 × 4; lr 3e-4, batch 50), EPOCHS epochs
# (default 20; the paper allows up to 100 and keeps the best epoch on validation), seeds SEEDS
# (default 0), JOBS runs at a time, into runs/standard-rasp/<task>-<seed>/. Finished runs are
# skipped. Then: swift run -c release tprog report runs/standard-rasp
# Usage: [SEEDS="0"] [EPOCHS=20] [LAYERS=2] [HEADS=4] [TPROG_BIN=path] scripts/standard-rasp-runs.sh [JOBS] [TASK ...]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}; shift || true
tasks=("$@")
[ ${#tasks[@]} -gt 0 ] || tasks=(reverse hist double_hist sort most_freq dyck1 dyck2)
export EPOCHS=${EPOCHS:-20} LAYERS=${LAYERS:-2} HEADS=${HEADS:-4}
bin=$(scripts/tprog-snapshot.sh)
mkdir -p runs/standard-rasp
for task in "${tasks[@]}"; do for seed in ${SEEDS:-0}; do
  [ -f "runs/standard-rasp/$task-$seed/results.json" ] || echo "$task $seed"
done; done | xargs -r -P "$jobs" -L 1 sh -c '
  out="runs/standard-rasp/$1-$2"
  TPROG_THREADS=1 "$0" train --task "$1" --seed "$2" --standard --d-model 256 --layers "$LAYERS" --heads "$HEADS" \
    --epochs "$EPOCHS" --out "$out" --force --json > "$out.log" 2>&1 && echo "done $1 seed $2" || echo "FAILED $1 seed $2"' "$bin"
