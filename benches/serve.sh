#!/usr/bin/env bash
# The benchmark of `xianshen serve` (issue 16, Targets), with wrk: not a
# test, not run by tests/run-all.sh.
#
#   bash benches/serve.sh                      # release build (as measured for users)
#   BENCH_PROFILE=debug bash benches/serve.sh  # the debug build the tests use
#
# On one server on 127.0.0.1 (a free port), one run:
#
#   1. rates: GET /healthz and POST /v1/screen with a 1 KB Chinese draft,
#      64 connections, 2 threads, $BENCH_SECONDS s each, embedded default
#      policy: both rates, p99, and screening / healthz (target ≥ 0.5,
#      p99 ≤ 5 ms);
#   2. reload of a 62k-term policy under load: the policy becomes the
#      default plus ../shared/bench-data/lexicon-62k.txt (its 103 lines with
#      control characters dropped), a baseline wrk run without reloads
#      gives p99, then $BENCH_RELOADS reloads (alternating two versions, so
#      each builds a new 62k screener) one a second during a second wrk
#      run: the slowest request of that run against the baseline p99
#      (target ≤ 3×), and each reload's time;
#   3. memory: the server's RSS before the reloads, after each, and after
#      the load, and the screeners alive (`/metrics`,
#      xianshen_policy_generations_live), to show that old screeners are
#      freed (one screener per generation, the old one dropped with its
#      last request).
#
# wrk and the server share the machine's cores: the figures are for that.
# Installs wrk with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

PROFILE=${BENCH_PROFILE:-release}
SECONDS_EACH=${BENCH_SECONDS:-10}
RELOADS=${BENCH_RELOADS:-10}
LEXICON=${XIANSHEN_LEXICON:-$root/../shared/bench-data/lexicon-62k.txt}

if ! command -v wrk >/dev/null; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
[[ -f $LEXICON ]] || { echo "no lexicon at $LEXICON (set XIANSHEN_LEXICON)" >&2; exit 1; }

case $PROFILE in
release) cargo build -q --release -p xianshen-cli ;;
debug) cargo build -q -p xianshen-cli ;;
*) echo "BENCH_PROFILE is release or debug" >&2; exit 1 ;;
esac
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin=$target_dir/$PROFILE/xianshen

work=$(mktemp -d "${TMPDIR:-/tmp}/xianshen-bench-serve.XXXXXX")
server_pid=
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The draft: the 1 KB one of crates/xianshen-serve/tests/http.sh.
python3 - "$work" "$LEXICON" <<'EOF'
import json, sys, unicodedata
work, lexicon = sys.argv[1], sys.argv[2]
prose = ("根据《中华人民共和国政府信息公开条例》规定，现将我单位二〇二六年度政府信息公开工作情况公告如下。"
         "各部门要高度重视，认真组织实施，确保各项任务落到实处。全年共主动公开政府信息一千二百余条，"
         "办理依申请公开事项八十六件，均在法定期限内答复。")
text = "详情请加微信abc12345咨询，本店出售冰毒。" + prose * 8
text = text.encode()[:1024].decode("utf-8", "ignore")
with open(f"{work}/draft-1k.json", "w", encoding="utf-8") as f:
    json.dump({"text": text, "title": "年度工作报告", "source": "本单位"}, f, ensure_ascii=False)
kept = dropped = 0
with open(lexicon, encoding="utf-8") as src, open(f"{work}/lexicon-62k.txt", "w", encoding="utf-8") as dst:
    for line in src:
        term = line.rstrip("\n")
        if any(unicodedata.category(c) == "Cc" for c in term):
            dropped += 1
            continue
        dst.write(term + "\n")
        kept += 1
print(f"lexicon: {kept} lines kept, {dropped} with control characters dropped")
EOF
printf '[meta]\nname = "bench default"\nversion = "1"\nextends = "default"\n' >"$work/default.toml"
for version in a b; do
    cat >"$work/big-$version.toml" <<EOF
[meta]
name = "bench 62k"
version = "$version"
extends = "default"

[[lexicon]]
tag = "bench62k"
severity = "review"
files = ["lexicon-62k.txt"]
EOF
done
use_policy() { cp "$work/$1.toml" "$work/policy.tmp" && mv -f "$work/policy.tmp" "$work/policy.toml"; }
use_policy default

log=$work/server.log
"$bin" serve --policy "$work/policy.toml" --listen 127.0.0.1:0 2>"$log" &
server_pid=$!
addr=
for _ in $(seq 1 300); do
    addr=$(sed -n 's/.*"event":"listening".*"listen":"\([^"]*\)".*/\1/p' "$log" | head -n1)
    [[ -n $addr ]] && break
    sleep 0.1
done
[[ $addr == 127.0.0.1:* ]] || { echo "the server did not start" >&2; cat "$log" >&2; exit 1; }
base=http://$addr
until curl -fsS -o /dev/null "$base/readyz"; do sleep 0.1; done

lua=$root/crates/xianshen-serve/tests/http/wrk.lua
result() { sed -n "s/^RESULT .* $2=\([^ ]*\).*/\1/p; s/^RESULT $2=\([^ ]*\).*/\1/p" "$1" | tail -n1; }
wrk_run() { # OUT SECONDS PATH [BODY]: in the background, $wrk_pid
    (
        export WRK_BODY=${4:-}
        exec wrk -t2 -c64 -d"$2"s --timeout 10s -s "$lua" "$base$3" >"$1" 2>&1
    ) &
    wrk_pid=$!
}
errors() { echo $(($(result "$1" non2xx) + $(result "$1" connect) + $(result "$1" read) + $(result "$1" write) + $(result "$1" timeout))); }
rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }
live() { curl -fsS "$base/metrics" | awk '/^xianshen_policy_generations_live/ {print $2}'; }
reload() { # prints seconds taken; fails unless 200
    local out
    out=$(curl -sS -o "$work/reload.json" -w '%{http_code} %{time_total}' -X POST "$base/v1/admin/reload")
    [[ ${out%% *} == 200 ]] || { echo "reload failed: $(cat "$work/reload.json")" >&2; exit 1; }
    echo "${out#* }"
}
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

echo "xianshen serve benchmark: $PROFILE build, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "server on $base, wrk -t2 -c64, ${SECONDS_EACH} s a run"

# 1. rates ---------------------------------------------------------------------
wrk_run "$work/warm.txt" 2 /v1/screen "$work/draft-1k.json"
wait "$wrk_pid"
wrk_run "$work/healthz.txt" "$SECONDS_EACH" /healthz
wait "$wrk_pid"
wrk_run "$work/screen.txt" "$SECONDS_EACH" /v1/screen "$work/draft-1k.json"
wait "$wrk_pid"
h=$work/healthz.txt s=$work/screen.txt
printf '\n1. rates (embedded default policy)\n'
printf '  GET /healthz            %7s req/s  p50 %6s ms  p99 %6s ms  max %6s ms  errors %s\n' \
    "$(result "$h" rps)" "$(result "$h" p50_ms)" "$(result "$h" p99_ms)" "$(result "$h" max_ms)" "$(errors "$h")"
printf '  POST /v1/screen 1 KB    %7s req/s  p50 %6s ms  p99 %6s ms  max %6s ms  errors %s\n' \
    "$(result "$s" rps)" "$(result "$s" p50_ms)" "$(result "$s" p99_ms)" "$(result "$s" max_ms)" "$(errors "$s")"
printf '  screening / healthz     %s (target >= 0.5); screening p99 %s ms (target <= 5)\n' \
    "$(ratio "$(result "$s" rps)" "$(result "$h" rps)")" "$(result "$s" p99_ms)"

# 2. and 3. the 62k policy, reloaded under load -----------------------------------
rss_default=$(rss)
use_policy big-a
first=$(reload)
wrk_run "$work/warm62k.txt" 2 /v1/screen "$work/draft-1k.json"
wait "$wrk_pid"
rss_before=$(rss)
wrk_run "$work/base62k.txt" "$SECONDS_EACH" /v1/screen "$work/draft-1k.json"
wait "$wrk_pid"
b=$work/base62k.txt
p99_base=$(result "$b" p99_ms)

wrk_run "$work/reload62k.txt" 60 /v1/screen "$work/draft-1k.json"
sleep 1
times=() rss_after=() live_after=()
for i in $(seq 1 "$RELOADS"); do
    if ((i % 2)); then use_policy big-b; else use_policy big-a; fi
    times+=("$(reload)")
    rss_after+=("$(rss)")
    live_after+=("$(live)")
    sleep 1
done
kill -INT "$wrk_pid"
wait "$wrk_pid"
r=$work/reload62k.txt
sleep 1
rss_end=$(rss)
live_end=$(live)

printf '\n2. reload of the 62k-term policy under load (1 KB drafts, 64 connections)\n'
printf '  first build of the 62k policy (no load): %s s\n' "$first"
printf '  without reloads: %7s req/s  p50 %6s ms  p99 %6s ms  max %6s ms  errors %s\n' \
    "$(result "$b" rps)" "$(result "$b" p50_ms)" "$p99_base" "$(result "$b" max_ms)" "$(errors "$b")"
printf '  with %d reloads: %7s req/s  p50 %6s ms  p99 %6s ms  max %6s ms  errors %s\n' \
    "$RELOADS" "$(result "$r" rps)" "$(result "$r" p50_ms)" "$(result "$r" p99_ms)" "$(result "$r" max_ms)" "$(errors "$r")"
printf '  slowest request during the reloads / p99 without: %s (target <= 3)\n' \
    "$(ratio "$(result "$r" max_ms)" "$p99_base")"
printf '  reload times under load (s): %s\n' "${times[*]}"

printf '\n3. memory (VmRSS, MiB)\n'
printf '  default policy serving: %s; 62k policy serving, before the reloads: %s\n' "$rss_default" "$rss_before"
printf '  after each reload: %s\n' "${rss_after[*]}"
printf '  after the load: %s\n' "$rss_end"
printf '  screeners alive (xianshen_policy_generations_live) after each reload: %s; after the load: %s\n' \
    "${live_after[*]}" "$live_end"
