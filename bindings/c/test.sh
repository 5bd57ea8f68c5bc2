#!/usr/bin/env bash
# Tests the C ABI end to end, on a fresh Debian machine too:
#   - cargo: fmt, clippy, unit tests, header drift (cbindgen), debug build
#   - C tests (tests/*.c, -Wall -Wextra -Werror) under ASan + UBSan
#   - the same C tests under valgrind memcheck (no leaks), statically linked
#   - make install + pkg-config consumer
#   - the PHP FFI pre-publish hook (examples/php)
#
#   bash bindings/c/test.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Share the repository's target/ so the core crate is compiled once.
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
LIBDIR="$TARGET_DIR/debug"
# XS_CASES_DIR: another folder of golden cases (default: the repository's).
CASES="${XS_CASES_DIR:-$ROOT/tests/cases}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n==> %s\n' "$*"; }

step "system packages"
missing=()
command -v cc >/dev/null || missing+=(gcc libc6-dev)
command -v make >/dev/null || missing+=(make)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v php >/dev/null || missing+=(php-cli)
command -v cgi-fcgi >/dev/null || missing+=(libfcgi-bin)
compgen -G '/usr/sbin/php-fpm*' >/dev/null || missing+=(php-fpm)
if command -v php >/dev/null && ! php -r 'exit(extension_loaded("ffi") ? 0 : 1);'; then
  missing+=(php-cli php-ffi)  # php-ffi: Debian's php*-common provides it
fi
if ! printf 'int main(void){return 0;}' | cc -x c -fsanitize=address,undefined -o "$WORK/probe" - 2>/dev/null; then
  missing+=(gcc)               # libasan/libubsan come with Debian's gcc
fi
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "cc: $(cc --version | head -n1)"; echo "valgrind: $(valgrind --version)"; echo "php: $(php -r 'echo PHP_VERSION;') (FFI)"

step "rustfmt, clippy (xianshen-c)"
cargo fmt --manifest-path "$HERE/Cargo.toml" -- --check
cargo clippy --locked --quiet --manifest-path "$HERE/Cargo.toml" --target-dir "$TARGET_DIR" --all-targets -- -D warnings

step "cargo build (debug) and Rust tests: panic boundary, header drift"
cargo build --locked --quiet --manifest-path "$HERE/Cargo.toml" --target-dir "$TARGET_DIR"
cargo test --locked --quiet --manifest-path "$HERE/Cargo.toml" --target-dir "$TARGET_DIR"

step "golden fixture from tests/cases"
cargo run --locked --quiet --manifest-path "$HERE/Cargo.toml" --target-dir "$TARGET_DIR" \
  --example golden_fixture -- "$CASES" >"$WORK/golden.txt"
echo "$(grep -c '^case ' "$WORK/golden.txt") cases"

CFLAGS=(-std=c11 -Wall -Wextra -Werror -g -I"$HERE/include")
TESTS=(api errors threads golden bad_input json)
run_test() { # runner... name
  local name="${*: -1}" runner=("${@:1:$#-1}")
  case "$name" in
    api) "${runner[@]}" "$WORK/$name" "$HERE/tests/data/policy.toml" ;;
    errors) "${runner[@]}" "$WORK/$name" "$CASES" "$HERE/tests/data" ;;
    threads) "${runner[@]}" "$WORK/$name" ;;
    golden) "${runner[@]}" "$WORK/$name" "$GOLDEN" "$CASES" ;;
    bad_input) "${runner[@]}" "$WORK/$name" "$HERE/tests/data" ;;
    json) "${runner[@]}" "$WORK/$name" "$HERE/tests/data" ;;
  esac
}

step "C tests under AddressSanitizer + UndefinedBehaviorSanitizer"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
GOLDEN="$WORK/golden.txt"
for t in "${TESTS[@]}"; do
  cc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    "$HERE/tests/$t.c" -o "$WORK/$t" -L"$LIBDIR" -lxianshen -Wl,-rpath,"$LIBDIR" -lpthread
  run_test env "$t"
done
unset ASAN_OPTIONS UBSAN_OPTIONS

step "C tests under valgrind memcheck (static libxianshen.a)"
# Every 16th golden case: the whole set takes many minutes under valgrind
# (a debug build that compiles a policy per case), and the
# sanitizer run above already covers every case.
awk '/^case /{n++} n%16==1' "$WORK/golden.txt" >"$WORK/golden-valgrind.txt"
GOLDEN="$WORK/golden-valgrind.txt"
# Memcheck's default leak kinds (definite and possible) with the shipped
# suppression file, which names the regex crate's process-wide caches only.
VALGRIND=(valgrind -q --error-exitcode=1 --leak-check=full --suppressions="$HERE/valgrind.supp")
for t in "${TESTS[@]}"; do
  cc "${CFLAGS[@]}" "$HERE/tests/$t.c" -o "$WORK/$t" "$LIBDIR/libxianshen.a" -lpthread -ldl -lm
  run_test "${VALGRIND[@]}" "$t"
done

step "make install PREFIX=... and a pkg-config consumer"
make -s -C "$HERE" install PREFIX="$WORK/prefix" PROFILE=debug TARGET_DIR="$TARGET_DIR" CARGO="cargo"
export PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig"
echo "pkg-config: $(pkg-config --modversion xianshen) $(pkg-config --cflags --libs xianshen)"
# shellcheck disable=SC2046
cc "${CFLAGS[@]}" "$HERE/tests/api.c" -o "$WORK/api-installed" $(pkg-config --cflags --libs xianshen) \
  -Wl,-rpath,"$WORK/prefix/lib"
"$WORK/api-installed" "$HERE/tests/data/policy.toml"

step "PHP FFI pre-publish hook (examples/php)"
status=0
XIANSHEN_LIB="$WORK/prefix/lib/libxianshen.so" XIANSHEN_HEADER="$WORK/prefix/include/xianshen.h" \
  php "$HERE/examples/php/prepublish.php" "$HERE/examples/php/draft.html" >"$WORK/php.out" || status=$?
cat "$WORK/php.out"
php_fail=0
expect() { if grep -qF -- "$1" "$WORK/php.out"; then echo "ok: $1"; else echo "MISSING: $1"; php_fail=1; fi; }
[[ $status -eq 2 ]] || { echo "exit status $status, expected 2 (block)"; php_fail=1; }
expect "verdict: block"
expect "approval: "
expect "findings: "
# Byte offsets, checked against grep's own byte offsets in the draft.
draft="$HERE/examples/php/draft.html"
phone=$(grep -ob '13812345678' "$draft" | cut -d: -f1)
expect "privacy.mobile       bytes $phone..$((phone + 11))"
wx=$(grep -ob '加微信xiaoyuan2026' "$draft" | cut -d: -f1)
expect "ad.contact           bytes $wx..$((wx + 21))"
expect "report: xianshen.report/1"
if grep -q MISMATCH "$WORK/php.out"; then echo "an offset does not slice the draft"; php_fail=1; fi
[[ $php_fail -eq 0 ]] || { echo "PHP client: FAILED"; exit 1; }
echo "php: 1 passed, 0 failed"

step "PHP FFI header (include/xianshen_ffi.h) up to date"
php "$HERE/tools/ffi_header.php" >"$WORK/xianshen_ffi.h"
if ! diff -u "$HERE/include/xianshen_ffi.h" "$WORK/xianshen_ffi.h"; then
  echo "include/xianshen_ffi.h is stale: php tools/ffi_header.php > include/xianshen_ffi.h"
  exit 1
fi

step "php-fpm: the library preloaded (ffi.preload + opcache.preload), requests over FastCGI"
FPM=$(compgen -G '/usr/sbin/php-fpm*' | head -n1)
sed "s|#define FFI_LIB \"libxianshen.so\"|#define FFI_LIB \"$WORK/prefix/lib/libxianshen.so\"|" \
  "$HERE/include/xianshen_ffi.h" >"$WORK/fpm_ffi.h"
cat >"$WORK/fpm.conf" <<CONF
[global]
error_log = $WORK/fpm.log
daemonize = no
[www]
listen = $WORK/fpm.sock
pm = static
pm.max_children = 2
CONF
run_as=()
[[ $(id -u) -eq 0 ]] && run_as=(-R -d opcache.preload_user=root)
"$FPM" -n -F -y "$WORK/fpm.conf" "${run_as[@]}" -d extension=ffi -d zend_extension=opcache \
  -d ffi.enable=preload -d ffi.preload="$WORK/fpm_ffi.h" -d opcache.enable=1 \
  -d opcache.preload="$HERE/examples/php/fpm/preload.php" >"$WORK/fpm.out" 2>&1 &
fpm_pid=$!
for _ in $(seq 100); do [[ -S "$WORK/fpm.sock" ]] && break; sleep 0.1; done
fpm_fail=0
for i in 1 2 3 4; do
  SCRIPT_FILENAME="$HERE/examples/php/fpm/hook.php" REQUEST_METHOD=POST CONTENT_TYPE=text/html \
    CONTENT_LENGTH=$(stat -c%s "$draft") QUERY_STRING='title=%E9%80%9A%E7%9F%A5' \
    cgi-fcgi -bind -connect "$WORK/fpm.sock" <"$draft" >"$WORK/fpm-$i.out" || fpm_fail=1
  grep -q '^Status: 422' "$WORK/fpm-$i.out" || { echo "request $i: no 422 (block)"; fpm_fail=1; }
  grep -qF '"verdict":"block"' "$WORK/fpm-$i.out" || { echo "request $i: no block verdict"; fpm_fail=1; }
  grep -qF '"slices":false' "$WORK/fpm-$i.out" && { echo "request $i: an offset does not slice the body"; fpm_fail=1; }
  grep -qF "\"start\":$phone," "$WORK/fpm-$i.out" || { echo "request $i: the phone number's offset is missing"; fpm_fail=1; }
done
kill "$fpm_pid" 2>/dev/null || true
wait "$fpm_pid" 2>/dev/null || true
if [[ $fpm_fail -ne 0 ]]; then
  cat "$WORK/fpm.out" "$WORK/fpm-1.out" 2>/dev/null || true
  echo "php-fpm: FAILED"
  exit 1
fi
echo "php-fpm: 4 passed, 0 failed"

printf '\nC ABI: all checks passed\n'
