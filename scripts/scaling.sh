#!/usr/bin/env bash
# Training cost against dataset size and sequence length (issue 5's scaling table): trains TASK
# (default hist at its paper configuration; k = max(vocabulary, length)) for EPOCHS epochs
# (default 10) at each size × length, and prints the seconds per epoch, per thousand training
# sequences and per thousand training tokens.
# Usage: [TPROG_BIN=path] scripts/scaling.sh [TASK] [EPOCHS]
set -euo pipefail
cd "$(dirname "$0")/.."
task=${1:-hist}; epochs=${2:-10}
bin=${TPROG_BIN:-}
if [ -z "$bin" ]; then swift build -c release --product tprog >/dev/null; bin=.build/release/tprog; fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf "%-7s %-7s %-10s %-9s %-11s %-14s %s\n" size length sequences tokens "s/epoch" "ms/1k seq" "ms/1k tokens"
for length in 8 16 32; do for size in 5000 10000 20000; do
  args=(--task "$task" --dataset-size "$size" --max-length "$length")
  "$bin" train "${args[@]}" --epochs "$epochs" --out "$out/run" --force --json > /dev/null
  "$bin" data "${args[@]}" --split train > "$out/train.jsonl"
  python3 - "$out" "$epochs" "$size" "$length" <<'PY'
import json, sys
out, epochs, size, length = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [json.loads(l) for l in open(f"{out}/train.jsonl")]
tokens = sum(len(r["tokens"]) for r in rows)
epoch = json.loads(open(f"{out}/run/metrics.jsonl").readlines()[-1])["elapsed"] / epochs
print(f"{size:<7} {length:<7} {len(rows):<10} {tokens:<9} {epoch:<11.3f} {1e3 * epoch / len(rows) * 1e3:<14.3f} {1e6 * epoch / tokens:.3f}")
PY
done; done
