#!/usr/bin/env bash
# The Python binding's whole test procedure, from nothing but Rust and
# Python: a virtualenv with pinned tools, rustfmt and clippy for the crate,
# the package installed with pip exactly as a user would (a debug build, to
# keep CI short), pytest, and mypy.stubtest against the compiled module.
#
#   bash bindings/python/test.sh        (PYTHON=python3.12 to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")"
HERE="$PWD"
PYTHON="${PYTHON:-python3}"
VENV="${XIANSHEN_VENV:-$HERE/.venv}"
# One target folder for every build of this crate (cargo, clippy, maturin).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HERE/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

step() { printf '\n==> python: %s\n' "$*"; }

step "virtualenv ($VENV)"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"   # the maturin build backend runs `maturin` from PATH
"$PY" -m pip install -q \
    "maturin==1.16.0" "pytest==9.2.0" "hypothesis==6.170.17" \
    "dask[bag]==2026.8.0" "mypy==2.4.1" "tqdm==4.70.1"
if ! "$PY" -c 'import tomllib' 2>/dev/null; then
    "$PY" -m pip install -q "tomli>=2"
fi

step "rustfmt"
cargo fmt --manifest-path Cargo.toml -- --check

step "clippy (deny warnings)"
cargo clippy --manifest-path Cargo.toml --all-targets --locked -- -D warnings

step "pip install ./bindings/python (debug build)"
# The same PEP 517 path as `pip install ./bindings/python`; the venv's
# pinned maturin builds it, in the dev profile.
MATURIN_PEP517_ARGS="--profile dev --locked" \
    "$PY" -m pip install -q --no-build-isolation --no-deps --force-reinstall "$HERE"
(cd / && "$PY" -c "import xianshen; print(xianshen.Screener().screen('本店出售冰毒').verdict)") | grep -qx block

step "pytest"
set +e
"$PY" -m pytest -q -p no:cacheprovider tests
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests" >&2
    exit 1
elif [ "$rc" -ne 0 ]; then
    exit "$rc"
fi

step "stubtest (stubs agree with the compiled module)"
(cd / && "$PY" -m mypy.stubtest xianshen)

step "mypy on the example (the stubs in use)"
"$PY" -m mypy --strict --ignore-missing-imports --no-incremental examples/scan_archive.py

printf '\npython binding: all checks passed\n'
