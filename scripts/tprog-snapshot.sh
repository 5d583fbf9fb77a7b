#!/usr/bin/env bash
# Prints the path of a private copy of the tprog binary (TPROG_BIN, or a fresh release build), so a
# long sweep keeps running one build even if the tree is rebuilt meanwhile.
# Usage: bin=$(scripts/tprog-snapshot.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/tprog
if [ -n "${TPROG_BIN:-}" ]; then cp "$TPROG_BIN" "$bin"; else
  swift build -c release --product tprog >/dev/null && cp .build/release/tprog "$bin"; fi
echo "$bin"
