#!/usr/bin/env bash
# Tests the Java client end to end, on a fresh Debian machine too:
#   - Debian's JDK 17, JNA, Gson and JUnit 5 (no Maven needed)
#   - libxianshen.so (debug) and the golden JSON lines fixture from cargo
#   - javac with -Werror and doclint on the public API, the example run
#   - the JUnit 5 tests (golden cases, threads, errors, random texts)
#
#   bash bindings/java/test.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Share the repository's target/ so the core crate is compiled once.
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# XS_CASES_DIR: another folder of golden cases (default: the repository's).
CASES="${XS_CASES_DIR:-$ROOT/tests/cases}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n==> java: %s\n' "$*"; }

JARS=/usr/share/java
JNA="$JARS/jna.jar"
GSON="$JARS/gson.jar"
LAUNCHER="$JARS/junit-platform-console-standalone.jar"
JUNIT_API="$JARS/junit-jupiter-api.jar:$JARS/apiguardian-api.jar:$JARS/opentest4j.jar:$JARS/junit-platform-commons.jar"

step "system packages"
missing=()
if ! command -v javac >/dev/null || ! javac -version 2>&1 | awk '{split($2, v, "."); exit !(v[1] >= 17)}'; then
  missing+=(openjdk-17-jdk-headless)
fi
[[ -f "$JNA" ]] || missing+=(libjna-java)
[[ -f "$GSON" ]] || missing+=(libgoogle-gson-java)
[[ -f "$LAUNCHER" ]] || missing+=(junit5)
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "javac: $(javac -version 2>&1)"
echo "jna: $(readlink -f "$JNA")"; echo "gson: $(readlink -f "$GSON")"; echo "junit: $(readlink -f "$LAUNCHER")"

step "cargo build (libxianshen.so, debug)"
cargo build --locked --quiet --manifest-path "$ROOT/bindings/c/Cargo.toml" --target-dir "$TARGET_DIR"
LIB="$TARGET_DIR/debug/libxianshen.so"
[[ -f "$LIB" ]] || { echo "no $LIB after the build" >&2; exit 1; }

step "golden fixture (JSON lines) from $CASES"
cargo run --locked --quiet --manifest-path "$ROOT/bindings/c/Cargo.toml" --target-dir "$TARGET_DIR" \
  --example golden_fixture -- --jsonl "$CASES" >"$WORK/golden.jsonl"
echo "$(grep -c . "$WORK/golden.jsonl") cases"

step "javac (-Werror, doclint on the public API)"
mkdir -p "$WORK/main" "$WORK/test" "$WORK/examples"
mapfile -t MAIN < <(find src/main/java -name '*.java' | sort)
mapfile -t TESTS < <(find src/test/java -name '*.java' | sort)
mapfile -t EXAMPLES < <(find examples -name '*.java' | sort)
javac --release 17 -encoding UTF-8 -Xlint:all -Werror -Xdoclint:all/protected \
  -cp "$JNA:$GSON" -d "$WORK/main" "${MAIN[@]}"
javac --release 17 -encoding UTF-8 -Xlint:all -Werror \
  -cp "$WORK/main:$JNA:$GSON:$JUNIT_API" -d "$WORK/test" "${TESTS[@]}"
javac --release 17 -encoding UTF-8 -Xlint:all -Werror \
  -cp "$WORK/main:$JNA:$GSON" -d "$WORK/examples" "${EXAMPLES[@]}"
echo "${#MAIN[@]} main, ${#TESTS[@]} test, ${#EXAMPLES[@]} example sources"
CP="$WORK/main:$JNA:$GSON"

step "example (examples/: a Spring-style pre-publish check)"
status=0
XIANSHEN_LIBRARY="$LIB" java -cp "$CP:$WORK/examples" cn.xianshen.examples.PrepublishDemo >"$WORK/example.out" || status=$?
cat "$WORK/example.out"
example_fail=0
expect() { if grep -qF -- "$1" "$WORK/example.out"; then :; else echo "MISSING: $1"; example_fail=1; fi; }
[[ $status -eq 0 ]] || { echo "exit status $status"; example_fail=1; }
expect "draft 1: block (head)"
expect "draft 2: pass (reviewer)"
expect "term.drugs"
[[ $example_fail -eq 0 ]] || { echo "example: FAILED"; exit 1; }

step "JUnit 5"
set +e
XIANSHEN_LIBRARY="$LIB" java -Dxianshen.golden="$WORK/golden.jsonl" -jar "$LAUNCHER" \
  --disable-banner --disable-ansi-colors --details=summary --details-theme=ascii --fail-if-no-tests \
  --class-path "$WORK/test:$CP" --select-package cn.xianshen >"$WORK/junit.out" 2>&1
rc=$?
set -e
# The launcher's summary: "[ N tests successful ]", "[ N tests failed ]".
count() { sed -nE "s/^\[ *([0-9]+) tests $1 *\]$/\1/p" "$WORK/junit.out" | tail -n1; }
passed="$(count successful)"; failed="$(count failed)"
if [[ -z "$passed" || -z "$failed" ]]; then
  cat "$WORK/junit.out"
  echo "java: no JUnit summary (launcher exit status $rc)" >&2
  exit 1
fi
if [[ $rc -ne 0 || $failed -ne 0 ]]; then
  cat "$WORK/junit.out"
else
  grep -E '^\[ *[0-9]+ (containers|tests) ' "$WORK/junit.out"
fi
echo "java: $passed passed, $failed failed"
[[ $rc -eq 0 && $failed -eq 0 ]]
