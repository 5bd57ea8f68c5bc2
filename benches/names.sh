#!/usr/bin/env bash
# The protected-names benchmark, one command: false near misses of the
# default names plus the 200-name test list (benches/quality/names-200.txt)
# on the law corpus, the CCTV stories and the university account; recall of
# planted misspellings, per edit; and the build of 10,000 names.
#
#   bash benches/names.sh [--seed S] [--show N] [--names FILE] [--build-only]
#
# Not part of the test command: it reads ../shared. The law corpus is
# unpacked to /tmp/law once.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$ROOT/../shared"
LAW_DIR="${XIANSHEN_LAW_DIR:-/tmp/law/lawrefbook}"
if [[ ! -d "$LAW_DIR" ]]; then
  mkdir -p "$(dirname "$LAW_DIR")"
  tar -xJf "$SHARED/bench-data/lawrefbook.tar.xz" -C "$(dirname "$LAW_DIR")"
fi
cd "$ROOT"
exec cargo run --quiet --release -p xianshen-benches --bin names -- \
  --realtext "$SHARED/realtext" --law-dir "$LAW_DIR" \
  --lexicon "$SHARED/bench-data/lexicon-62k.txt" "$@"
