#!/usr/bin/env bash
# Java vs native: the median time to screen one 5 KB Chinese draft with the
# embedded default policy, through Screener.screen (Java: UTF-8 copy, JNA
# call, report JSON read back and parsed) and through xs_screen_json called
# from C (call + xs_string_free). Both use the release libxianshen.so.
#
#   bash bindings/java/bench.sh [RUNS]        (10000 by default, after 30000 warm-up runs)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
RUNS="${1:-10000}"
WARMUP=30000   # the JIT needs ~20000 calls before the whole Java path runs as C2 code
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
JARS=/usr/share/java
for jar in jna.jar gson.jar; do
  [[ -f "$JARS/$jar" ]] || { echo "missing $JARS/$jar: run bindings/java/test.sh once (it installs the Debian packages)" >&2; exit 1; }
done
CP_LIBS="$JARS/jna.jar:$JARS/gson.jar"

echo "==> cargo build --release (libxianshen.so)"
cargo build --release --locked --quiet --manifest-path "$ROOT/bindings/c/Cargo.toml" --target-dir "$TARGET_DIR"
LIBDIR="$TARGET_DIR/release"

echo "==> javac, cc"
mkdir -p "$WORK/classes"
javac --release 17 -encoding UTF-8 -Xlint:all -Werror -cp "$CP_LIBS" -d "$WORK/classes" \
  $(find src/main/java src/bench/java -name '*.java')
cc -std=c11 -O2 -Wall -Wextra -Werror -I"$ROOT/bindings/c/include" src/bench/c/native_bench.c \
  -o "$WORK/native_bench" -L"$LIBDIR" -lxianshen -Wl,-rpath,"$LIBDIR"

echo "==> run ($RUNS runs after $WARMUP warm-up runs each)"
XIANSHEN_LIBRARY="$LIBDIR/libxianshen.so" java -cp "$WORK/classes:$CP_LIBS" cn.xianshen.bench.Bench \
  "$WORK/draft.txt" "$RUNS" "$WARMUP" | tee "$WORK/java.out"
"$WORK/native_bench" "$WORK/draft.txt" "$RUNS" "$WARMUP" | tee "$WORK/native.out"
median() { sed -nE 's/.* median_us=([0-9.]+).*/\1/p' "$1"; }
j="$(median "$WORK/java.out")"; n="$(median "$WORK/native.out")"
awk -v j="$j" -v n="$n" 'BEGIN {
  r = j / n
  printf "java/native: %.2fx (java %.1f us, native %.1f us; target <= 1.5x%s)\n", r, j, n, r <= 1.5 ? "" : ", MISSED"
}'
