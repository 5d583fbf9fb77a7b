#!/usr/bin/env bash
# Trains the NLP tasks (SPEC §4; issue 6) for seeds 0–2, JOBS runs at a time (default 2, one per
# core; each run single-threaded), into runs/nlp/<kind>-<task>-<seed>/: the Transformer Program
# at the paper's configuration (the task's defaults) and, with STANDARD=1, the standard
# Transformer baseline (STANDARD_EPOCHS, default the baseline's 100). Both start from GloVe
# (GLOVE, default ../shared/data/glove/glove.6B.50d.subset.txt). Finished runs are skipped. Then:
#   swift run -c release tprog report runs/nlp
# Usage: [SEEDS="0 1 2"] [STANDARD=1] [TPROG_BIN=path] scripts/nlp-runs.sh [JOBS] [TASK ...]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}; shift || true
tasks=("$@")
[ ${#tasks[@]} -gt 0 ] || tasks=(trec mr subj sst2 ner)
export GLOVE=${GLOVE:-../shared/data/glove/glove.6B.50d.subset.txt}
export STANDARD_EPOCHS=${STANDARD_EPOCHS:-100}
glove=$GLOVE
[ -f "$glove" ] || { echo "nlp-runs: no GloVe file at $glove (set GLOVE)" >&2; exit 2; }
bin=$(scripts/tprog-snapshot.sh)
mkdir -p runs/nlp
for task in "${tasks[@]}"; do for seed in ${SEEDS:-0 1 2}; do
  [ -f "runs/nlp/program-$task-$seed/results.json" ] || echo "program $task $seed"
  if [ "${STANDARD:-0}" = 1 ]; then
    [ -f "runs/nlp/standard-$task-$seed/results.json" ] || echo "standard $task $seed"
  fi
done; done | xargs -r -P "$jobs" -L 1 sh -c '
  out="runs/nlp/$1-$2-$3"
  if [ "$1" = standard ]; then extra="--standard --epochs $STANDARD_EPOCHS"; else extra=""; fi
  TPROG_THREADS=1 scripts/train-or-resume.sh "$0" "$out" --task "$2" --seed "$3" --glove "$GLOVE" $extra \
    && echo "done $1 $2 seed $3" || echo "FAILED $1 $2 seed $3 (see $out.log)"' "$bin"
