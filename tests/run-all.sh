#!/usr/bin/env bash
# Runs every check and test of the project, setting up what it needs on a
# fresh machine. README.md and .ci/run both call exactly this.
#
#   bash tests/run-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export RUST_BACKTRACE=1

step() { printf '\n==> %s\n' "$*"; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (deny warnings)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (library, golden vectors, properties, CLI)"
cargo test --workspace

step "xianshen serve over HTTP: schemathesis, wrk load, reload under load, faults"
bash crates/xianshen-serve/tests/http.sh

step "HTML report in headless Chromium; SARIF against the 2.1.0 schema"
bash crates/xianshen-cli/tests/browser.sh

step "fuzz corpus replay (stable toolchain, no libFuzzer)"
bash fuzz/replay.sh

step "docs build without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "C ABI: header drift, C tests under ASan/UBSan and valgrind, pkg-config, PHP FFI"
bash bindings/c/test.sh

step "Python package: build, pytest (golden vectors, hypothesis, pickle, dask, threads), stubtest"
bash bindings/python/test.sh

step "Java client (JNA over the JSON C ABI): golden vectors, threads, errors, astral texts"
bash bindings/java/test.sh

step "Node client (koffi over the JSON C ABI): golden vectors, screenMany, errors, astral texts"
bash bindings/node/test.sh

printf '\nall checks passed\n'
