#!/usr/bin/env bash
# Runs fuzz targets one after another, each for SECONDS (default 600), with
# the committed seeds as extra corpus. The working corpus (fuzz/corpus/) and
# crash artifacts (fuzz/artifacts/) are not committed: copy a crash into
# fuzz/regressions/<target>/ with a note in fuzz/regressions/README.md.
#
#   bash fuzz/run-fuzz.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). cargo-fuzz passes
# nightly-only flags (-Zsanitizer=address); RUSTC_BOOTSTRAP=1 lets the
# stable compiler accept them.
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
secs="${1:-600}"; shift || true
targets=("$@"); ((${#targets[@]})) || targets=(normalize screen c_abi policy)
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  dict=(); [[ -f "dicts/$t.dict" ]] && dict=(-dict="dicts/$t.dict")
  echo "==> $t for ${secs}s"
  cargo fuzz run --debug-assertions "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 "${dict[@]}" \
    || echo "!! $t stopped with status $?"
done
