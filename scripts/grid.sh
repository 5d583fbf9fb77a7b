#!/usr/bin/env bash
# A search around the paper's configuration of a TASK, JOBS single-threaded runs at a time, into
# runs/<task>-grid/<variant>-<seed>/. NLP tasks (issue 6; default ner) start from GloVe; the
# default variants change one option at a time within the paper's own grid (reference §3.5:
# layers {1,2,3} × heads {4,8} × embedding variables {2,4,8} × epochs {30,50,100} for NER, the
# same kind of grid for classification). A synthetic task (issue 3) needs its VARIANTs given,
# e.g. the RASP grid's cells: TASK=double_hist SEEDS="0 1 2 3 4" scripts/grid.sh 2
#   "l2h4m2:--layers 2 --cat-heads 2 --num-heads 2 --cat-mlps 1 --num-mlps 1" …
# Each VARIANT is name:options ("paper" has none); finished runs are skipped, interrupted ones
# continued (tprog resume). Then:
#   swift run -c release tprog report runs/ner-grid
# Usage: [TASK=ner] [SEEDS="0"] [DIR=runs/<task>-grid] [GLOVE=file] [TPROG_BIN=path] scripts/grid.sh [JOBS] [VARIANT ...]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}; shift || true
variants=("$@")
export TASK=${TASK:-ner}
case "$TASK" in
  ner|trec|mr|subj|sst2) export NLP=1 ;;
  *) export NLP= ;;   # a synthetic task: one-hot tokens, no embeddings to initialise
esac
if [ ${#variants[@]} -eq 0 ]; then
  [ -n "$NLP" ] || { echo "grid: $TASK is a synthetic task: give the VARIANTs (name:options) to run" >&2; exit 2; }
  if [ "$TASK" = ner ]; then
    variants=("paper:" "e30:--epochs 30" "l1:--layers 1" "l3:--layers 3" "h4:--cat-heads 4"
      "v2:--n-vars-cat 2" "v8:--n-vars-cat 8")
  else
    variants=("paper:" "e20:--epochs 20" "l1:--layers 1" "l3:--layers 3" "h8:--cat-heads 8"
      "v2:--n-vars-cat 2" "v8:--n-vars-cat 8")
  fi
fi
export DIR=${DIR:-runs/$TASK-grid}
export GLOVE=${GLOVE:-../shared/data/glove/glove.6B.50d.subset.txt}
if [ -n "$NLP" ] && [ ! -f "$GLOVE" ]; then echo "grid: no GloVe file at $GLOVE (set GLOVE)" >&2; exit 2; fi
bin=$(scripts/tprog-snapshot.sh)
mkdir -p "$DIR"
for variant in "${variants[@]}"; do for seed in ${SEEDS:-0}; do
  [ -f "$DIR/${variant%%:*}-$seed/results.json" ] || echo "$variant|$seed"
done; done | xargs -P "$jobs" -I{} sh -c '
  variant=${1%|*}; seed=${1##*|}; name=${variant%%:*}; options=${variant#*:}; out="$DIR/$name-$seed"
  TPROG_THREADS=1 scripts/train-or-resume.sh "$0" "$out" --task "$TASK" --seed "$seed" ${NLP:+--glove "$GLOVE"} $options \
    && echo "done $name seed $seed" || echo "FAILED $name seed $seed (see $out.log)"' "$bin" {}
