#!/usr/bin/env bash
# Whether two tprog binaries train the same model, bit for bit: trains TASK for EPOCHS epochs
# (default 3) with each, in parallel, and compares metrics.jsonl without the elapsed times and
# model.json byte for byte. Extra arguments go to both `tprog train` runs.
# Usage: scripts/compare-builds.sh BIN_A BIN_B TASK [EPOCHS] [train options…]
# Prints "TASK: identical" (exit 0) or "TASK: different" (exit 1).
set -euo pipefail
a=$1; b=$2; task=$3; epochs=${4:-3}; shift $(( $# < 4 ? $# : 4 ))
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$a" train --task "$task" --epochs "$epochs" --out "$out/a" --json "$@" > /dev/null &
"$b" train --task "$task" --epochs "$epochs" --out "$out/b" --json "$@" > /dev/null
wait
strip() { python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line); r.pop("elapsed", None); print(json.dumps(r, sort_keys=True))' "$1"; }
if [ -f "$out/a/model.json" ] && cmp -s "$out/a/model.json" "$out/b/model.json" \
   && diff -q <(strip "$out/a/metrics.jsonl") <(strip "$out/b/metrics.jsonl") > /dev/null; then
  echo "$task: identical"
else
  echo "$task: different"; exit 1
fi
