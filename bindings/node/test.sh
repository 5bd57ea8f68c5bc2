#!/usr/bin/env bash
# The Node.js client's whole test procedure, on a fresh Debian machine too:
# npm ci (koffi, pinned), libxianshen.so built with cargo into the
# repository's target/, the golden JSONL fixture from tests/cases, a
# TypeScript check of index.d.ts, then `node --test`.
#
#   bash bindings/node/test.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Share the repository's target/ so the core crate is compiled once.
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
CASES="${XS_CASES_DIR:-$ROOT/tests/cases}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n==> node: %s\n' "$*"; }

step "node and npm"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if ((major < 20)); then echo "node $(node --version): 20 or later needed" >&2; exit 1; fi
echo "node $(node --version), npm $(npm --version)"

step "npm ci (koffi, typescript)"
npm ci --no-audit --no-fund --loglevel=error

step "cargo build: libxianshen.so"
cargo build --locked --quiet --manifest-path "$ROOT/bindings/c/Cargo.toml" --target-dir "$TARGET_DIR"
export XIANSHEN_LIBRARY="$TARGET_DIR/debug/libxianshen.so"
ls -l "$XIANSHEN_LIBRARY"

step "golden fixture from tests/cases"
cargo run --locked --quiet --manifest-path "$ROOT/bindings/c/Cargo.toml" --target-dir "$TARGET_DIR" \
  --example golden_fixture -- --jsonl "$CASES" >"$WORK/golden.jsonl"
export XIANSHEN_GOLDEN="$WORK/golden.jsonl"
echo "$(wc -l <"$XIANSHEN_GOLDEN") cases"

step "tsc --noEmit (index.d.ts)"
npx --no-install tsc --noEmit --strict --target es2022 --module commonjs --types node test/types.ts

step "node --test"
status=0
# A test that hangs fails (--test-timeout); so does a file that never exits
# (a worker left referenced), through timeout(1).
timeout 900 node --test --test-timeout=300000 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$WORK/tap.txt" test/*.test.js || status=$?
passed="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$WORK/tap.txt")"
failed="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$WORK/tap.txt")"
echo "node: ${passed:-0} passed, ${failed:-0} failed"
if ((status != 0)) || [[ -z "$passed" ]] || ((passed == 0 || ${failed:-1} != 0)); then exit 1; fi
