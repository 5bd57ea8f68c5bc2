#!/usr/bin/env bash
# The detection-quality benchmark, one command: screens every corpus of
# ../shared/realtext/ and the law corpus with the embedded default policy
# (or --policy FILE), prints verdict rates and findings per rule per corpus,
# and precision per rule on the labelled set benches/quality/labels.tsv.
#
#   bash benches/quality.sh [--policy FILE] [--sample OUT.tsv --per-rule N]
#
# Not part of the test command: it reads ../shared, which a user's clone
# does not have. The law corpus is unpacked to /tmp/law once.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$ROOT/../shared"
LAW_DIR="${XIANSHEN_LAW_DIR:-/tmp/law/lawrefbook}"
if [[ ! -d "$LAW_DIR" ]]; then
  mkdir -p "$(dirname "$LAW_DIR")"
  tar -xJf "$SHARED/bench-data/lawrefbook.tar.xz" -C "$(dirname "$LAW_DIR")"
fi
cd "$ROOT"
exec cargo run --quiet --release -p xianshen-benches --bin quality -- \
  --realtext "$SHARED/realtext" --law-dir "$LAW_DIR" "$@"
