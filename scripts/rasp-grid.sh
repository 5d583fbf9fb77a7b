#!/usr/bin/env bash
# The paper's search for a RASP TASK (reference §3.5): layers {2,3} × heads per layer {4,8} ×
# MLPs per layer {2,4}, heads and MLPs split evenly between categorical and numerical, seeds 0–4,
# JOBS single-threaded runs at a time, into runs/<task>-grid/ (through scripts/grid.sh; finished
# runs are skipped). The cell Table 1 names for the task runs as "paper" (the task's defaults),
# the others as l<L>h<H>m<M>. Then `tprog report runs/<task>-grid --search` prints a row per cell and,
# below the table, the run selected on validation across all 40 (45 for hist): what the paper reports.
# Usage: [SEEDS="0 1 2 3 4"] [DIR=runs/<task>-grid] scripts/rasp-grid.sh TASK [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
task=${1:?usage: scripts/rasp-grid.sh TASK [JOBS]}
jobs=${2:-2}
case "$task" in   # Table 1's cell, as layers-heads-MLPs
  reverse|dyck1) paper=3-8-2 ;;
  double_hist) paper=3-4-2 ;;
  sort|most_freq) paper=3-8-4 ;;
  dyck2) paper=3-4-4 ;;
  hist) paper=1-4-2 ;;
  *) echo "rasp-grid: $task has no cell in the paper's grid (the RASP tasks: reverse, hist, double_hist, sort, most_freq, dyck1, dyck2)" >&2; exit 2 ;;
esac
variants=("paper:")   # Table 1's cell: the task's defaults, inside the grid or not
for l in 2 3; do for h in 4 8; do for m in 2 4; do
  [ "$l-$h-$m" = "$paper" ] && continue
  variants+=("l${l}h${h}m${m}:--layers $l --cat-heads $((h / 2)) --num-heads $((h / 2)) --cat-mlps $((m / 2)) --num-mlps $((m / 2))")
done; done; done
TASK=$task SEEDS=${SEEDS:-0 1 2 3 4} DIR=${DIR:-runs/$task-grid} exec scripts/grid.sh "$jobs" "${variants[@]}"
