#!/usr/bin/env bash
# A one-option-at-a-time search around the paper's NER configuration (issue 6; the paper's own
# grid, reference §3.5: layers {1,2,3} × heads {4,8} × embedding variables {2,4,8} × epochs
# {30,50,100}), JOBS single-threaded runs at a time, into runs/ner-grid/<variant>-<seed>/.
# Each VARIANT is name:options ("paper" has none); finished runs are skipped. Then:
#   swift run -c release tprog report runs/ner-grid
# Usage: [SEEDS="0"] [GLOVE=file] [TPROG_BIN=path] scripts/ner-grid.sh [JOBS] [VARIANT ...]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-2}; shift || true
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=("paper:" "e30:--epochs 30" "l1:--layers 1" "l3:--layers 3"
  "h4:--cat-heads 4" "v2:--n-vars-cat 2" "v8:--n-vars-cat 8")
export GLOVE=${GLOVE:-../shared/data/glove/glove.6B.50d.subset.txt}
[ -f "$GLOVE" ] || { echo "ner-grid: no GloVe file at $GLOVE (set GLOVE)" >&2; exit 2; }
bin=$(mktemp -d)/tprog
if [ -n "${TPROG_BIN:-}" ]; then cp "$TPROG_BIN" "$bin"; else
  swift build -c release --product tprog >/dev/null && cp .build/release/tprog "$bin"; fi
mkdir -p runs/ner-grid
for variant in "${variants[@]}"; do for seed in ${SEEDS:-0}; do
  [ -f "runs/ner-grid/${variant%%:*}-$seed/results.json" ] || echo "$variant|$seed"
done; done | xargs -P "$jobs" -I{} sh -c '
  variant=${1%|*}; seed=${1##*|}; name=${variant%%:*}; options=${variant#*:}; out="runs/ner-grid/$name-$seed"
  TPROG_THREADS=1 "$0" train --task ner --seed "$seed" --glove "$GLOVE" $options --out "$out" --force --json \
    > "$out.log" 2>&1 && echo "done $name seed $seed" || echo "FAILED $name seed $seed"' "$bin" {}
