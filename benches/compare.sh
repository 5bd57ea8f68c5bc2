#!/usr/bin/env bash
# The side-by-side harness, one command: the Rust table (raw aho-corasick
# against xianshen) and, from Python, screen_many against ahocorasick_rs,
# pyahocorasick and flashtext2 (pip-installed into a venv here).
#
#   bash benches/compare.sh [LAW_DIR] [LEXICON]
#
# Defaults: the law corpus unpacked to /tmp/law/lawrefbook from
# ../shared/bench-data/lawrefbook.tar.xz, and ../shared/bench-data/lexicon-62k.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$ROOT/../shared/bench-data"
LAW_DIR="${1:-${XIANSHEN_LAW_DIR:-/tmp/law/lawrefbook}}"
LEXICON="${2:-${XIANSHEN_LEXICON:-$SHARED/lexicon-62k.txt}}"
if [[ ! -d "$LAW_DIR" ]]; then
  mkdir -p "$(dirname "$LAW_DIR")"
  tar -xJf "$SHARED/lawrefbook.tar.xz" -C "$(dirname "$LAW_DIR")"
fi
export XIANSHEN_LAW_DIR="$LAW_DIR" XIANSHEN_LEXICON="$LEXICON"

# Vectorscan (Debian's libvectorscan-dev) through a small C program: a
# peer row only, never a dependency of the library.
if ! dpkg -s libvectorscan-dev > /dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvectorscan-dev > /dev/null
fi
VECTORSCAN="$(mktemp -d)/literals"
gcc -O2 -Wall -Wextra -Werror -o "$VECTORSCAN" "$ROOT/benches/vectorscan/literals.c" -lhs
export XIANSHEN_VECTORSCAN="$VECTORSCAN"

echo "## Rust, one process: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
cargo run --quiet --release -p xianshen-benches --bin compare

echo
echo "## Python (release build of the package)"
VENV="${XIANSHEN_BENCH_VENV:-/tmp/xianshen-bench-venv}"
[[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet "ahocorasick-rs==1.0.3" "pyahocorasick==2.3.1" "flashtext2==1.1.0"
"$VENV/bin/pip" install --quiet "$ROOT/bindings/python"
"$VENV/bin/python" "$ROOT/bindings/python/bench/compare.py" --lexicon "$LEXICON" --law-dir "$LAW_DIR" --mb 8 --repeat 5
