#!/usr/bin/env bash
# The HTML report in a real headless Chromium, and the SARIF log against
# the SARIF 2.1.0 JSON schema. Installs what it needs (Debian's chromium,
# a Python venv with jsonschema, the schema from an npm package).
#
#   bash crates/xianshen-cli/tests/browser.sh [OUT_DIR]
#
# Leaves report.html, report.sarif, dom.html, report.png, audit.html and
# audit.png in OUT_DIR
# (default target/browser-test).
set -euo pipefail
cd "$(dirname "$0")/../../.."
out="$(mkdir -p "${1:-target/browser-test}" && cd "${1:-target/browser-test}" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0
ok() { passed=$((passed + 1)); printf 'ok: %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; printf '%s passed, 1 failed\n' "$passed"; exit 1; }

cargo build -q -p xianshen-cli
# Where cargo put it: CARGO_TARGET_DIR (relative or not) or ./target.
target_dir="$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
bin="$target_dir/debug/xianshen"

# A small archive: UTF-8, GBK and UTF-16 text, HTML and Markdown, JSONL,
# and an unreadable file.
arch="$tmp/archive"
mkdir -p "$arch"
python3 - "$arch" <<'PY'
import sys, pathlib
d = pathlib.Path(sys.argv[1])
(d / "a.txt").write_text("第一行\n本店出售冰毒，加微信abc12345。", encoding="utf-8")
(d / "b-gbk.html").write_bytes("<p>学校召开工作会议。</p><p>本店<b>出售</b>冰毒 &amp; 大麻</p><a href=\"http://t.cn/x\">点</a>".encode("gb18030"))
(d / "c-utf16.md").write_bytes("\ufeff# 通知\n\n小编觉得很好，手机：13812345678。\n".encode("utf-16-le"))
(d / "d.txt").write_text("学校召开工作会议。", encoding="utf-8")
(d / "posts.jsonl").write_text('{"id":1,"text":"全省推进规范化建设。","repost":true}\nbad\n', encoding="utf-8")
(d / "e-unreadable.txt").symlink_to(d / "nowhere")
PY

set +e
"$bin" check --format html "$arch" > "$out/report.html" 2> "$tmp/html.err"
code=$?
"$bin" check --format sarif "$arch" > "$out/report.sarif" 2> "$tmp/sarif.err"
scode=$?
set -e
[ "$code" = 3 ] && [ "$scode" = 3 ] || fail "exit status $code/$scode, expected 3"
ok "exit status 3 with an unreadable file"

# SARIF 2.1.0 schema, from the npm registry (shipped in @microsoft/jest-sarif).
if ! [ -s "$out/sarif-schema-2.1.0.json" ]; then
  (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 > /dev/null && tar -xzf microsoft-jest-sarif-*.tgz)
  cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$out/sarif-schema-2.1.0.json"
fi
if ! [ -x "$out/venv/bin/python" ]; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install --quiet --disable-pip-version-check jsonschema
fi
"$out/venv/bin/python" - "$out/sarif-schema-2.1.0.json" "$out/report.sarif" <<'PY' || fail "SARIF does not validate"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
cls = jsonschema.validators.validator_for(schema)
errors = sorted(cls(schema).iter_errors(log), key=lambda e: list(e.path))
for e in errors[:10]:
    print("schema error at", "/".join(map(str, e.path)), ":", e.message)
assert not errors, f"{len(errors)} schema errors"
assert log["version"] == "2.1.0" and log["runs"][0]["results"], "results"
print("SARIF valid:", len(log["runs"][0]["results"]), "results")
PY
ok "SARIF validates against the 2.1.0 schema"

if ! command -v chromium > /dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq > /dev/null
  apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk > /dev/null
fi
chrome() {
  local profile
  profile="$(mktemp -d)"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" "$@" 2> "$tmp/chromium.err"
  rm -rf "$profile"
}
chrome --dump-dom "file://$out/report.html" > "$out/dom.html"
grep -q '<mark class="hl sev-block" data-rule="term.drugs"' "$out/dom.html" || fail "no block highlight in the rendered DOM"
grep -q 'class="hl sev-review"' "$out/dom.html" || fail "no review highlight in the rendered DOM"
grep -q 'title="term.drugs (block): ' "$out/dom.html" || fail "no hover message"
grep -q '<rect class="bar sev-block"' "$out/dom.html" || fail "no chart"
grep -q 'e-unreadable.txt' "$out/dom.html" || fail "the error is not listed"
ok "highlights, hover messages, chart and errors in the rendered DOM"
chrome --screenshot="$out/report.png" --window-size=1280,1600 --hide-scrollbars "file://$out/report.html" > /dev/null
[ -s "$out/report.png" ] || fail "no screenshot"
ok "screenshot saved: $out/report.png"
# The archive audit's page: the example archive, rendered offline.
set +e
"$bin" audit archive --posts examples/archive/posts.jsonl --messages examples/archive/messages.jsonl \
  --date 2026-02-01 --format html --out "$out/audit.html" 2> "$tmp/audit.err"
acode=$?
set -e
[ "$acode" = 1 ] || fail "audit archive exit status $acode, expected 1 (problems found)"
if grep -Eq '<(script|link|img|iframe)[^>]*(src|href)=' "$out/audit.html"; then
  fail "the audit page loads an external asset"
fi
chrome --dump-dom "file://$out/audit.html" > "$out/audit-dom.html"
[ "$(grep -o '<svg' "$out/audit-dom.html" | wc -l)" -ge 4 ] || fail "audit charts missing in the rendered DOM"
grep -q 'aria-label="posts per week"' "$out/audit-dom.html" || fail "no posts-per-week timeline"
grep -q 'aria-label="working days to the reply"' "$out/audit-dom.html" || fail "no reply-deadline chart"
grep -q '示例大学图书馆' "$out/audit-dom.html" || fail "an account is missing"
ok "archive audit page: charts and accounts in the rendered DOM, no external asset"
chrome --screenshot="$out/audit.png" --window-size=1280,2400 --hide-scrollbars "file://$out/audit.html" > /dev/null
[ -s "$out/audit.png" ] || fail "no audit screenshot"
ok "screenshot saved: $out/audit.png"
printf 'browser: %s passed, 0 failed\n' "$passed"
