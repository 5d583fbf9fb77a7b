#!/usr/bin/env bash
# The warm-start experiments of README § Results (issue 3): induction and double_hist trained
# from scratch except for the named parts of the hand-set circuits in examples/, JOBS runs at a
# time (default 2; each single-threaded), into runs/warmstart/<name>/. Finished runs are
# skipped. Then: swift run -c release tprog report runs/warmstart
# Usage: [TPROG_BIN=path] scripts/warmstart-runs.sh [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}
bin=$(scripts/tprog-snapshot.sh)
mkdir -p runs/warmstart
{
  echo "induction-layer0. induction 0 layer0."
  echo "induction-layer1.attn0.read induction 0 layer1.attn0.read"
  echo "induction-layer1.attn0.predicate induction 0 layer1.attn0.predicate"
  echo "induction-pred-seed1 induction 1 layer1.attn0.predicate"
  echo "induction-pred-seed2 induction 2 layer1.attn0.predicate"
  echo "double_hist-layer0 double_hist 0 layer0.num_attn0.,layer0.num_mlp0."
  echo "double_hist-layer1 double_hist 0 layer1.num_attn0.,layer1.num_mlp0."
  echo "double_hist-count double_hist 0 layer0.num_attn0."
  echo "double_hist-mlps double_hist 0 layer0.num_mlp0.,layer1.num_mlp0."
} | while read -r name task seed only; do
  [ -f "runs/warmstart/$name/results.json" ] || echo "$name $task $seed $only"
done | xargs -r -P "$jobs" -L 1 sh -c '
  circuit=examples/$(echo "$2" | tr _ -)-circuit
  TPROG_THREADS=1 "$0" train --task "$2" --seed "$3" --init-from "$circuit" --init-only "$4" \
    --out "runs/warmstart/$1" --force --json > "runs/warmstart/$1.log" 2>&1 && echo "done $1" || echo "FAILED $1"' "$bin"
