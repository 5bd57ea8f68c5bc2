#!/usr/bin/env bash
# Replays every committed fuzz input (fuzz/seeds/, fuzz/regressions/)
# through its target's check function: stable toolchain, no libFuzzer.
# Shares the repository's target/ folder so the core crate is compiled once.
#
#   bash fuzz/replay.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
cargo fmt --manifest-path "$HERE/Cargo.toml" -p xianshen-fuzz -p xianshen-fuzz-check -- --check
cargo clippy --locked --quiet --manifest-path "$HERE/Cargo.toml" -p xianshen-fuzz-check \
  --target-dir "${CARGO_TARGET_DIR:-$ROOT/target}" --all-targets -- -D warnings
cargo test --locked --quiet --manifest-path "$HERE/Cargo.toml" -p xianshen-fuzz-check \
  --target-dir "${CARGO_TARGET_DIR:-$ROOT/target}"
