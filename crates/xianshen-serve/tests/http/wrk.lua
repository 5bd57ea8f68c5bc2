-- wrk script for crates/xianshen-serve/tests/http.sh and benches/serve.sh.
--
-- Environment:
--   WRK_BODY      a JSON file to POST (Content-Type: application/json);
--                 unset: GET the URL
--   WRK_TOKEN     a bearer token to send
--   WRK_POLICIES  comma-separated policy fingerprints: count the responses
--                 whose X-Xianshen-Policy header is none of them
--
-- Ends with one line for the scripts to read:
--   RESULT requests=… seconds=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=…
--          non2xx=… connect=… read=… write=… timeout=… foreign_policy=…
--          no_policy=…

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local body_file = os.getenv("WRK_BODY")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local token = os.getenv("WRK_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

-- Per-thread counters, read back by done() with thread:get().
foreign_policy = 0
no_policy = 0

local policies = os.getenv("WRK_POLICIES")
if policies and policies ~= "" then
  local allowed = {}
  for fp in string.gmatch(policies, "[^,]+") do
    allowed[fp] = true
  end
  function response(status, headers, body)
    local fp = headers["x-xianshen-policy"] or headers["X-Xianshen-Policy"]
    if fp == nil then
      no_policy = no_policy + 1
    elseif not allowed[fp] then
      foreign_policy = foreign_policy + 1
    end
  end
end

function done(summary, latency, requests)
  local foreign, missing = 0, 0
  for _, thread in ipairs(threads) do
    foreign = foreign + (thread:get("foreign_policy") or 0)
    missing = missing + (thread:get("no_policy") or 0)
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f"
      .. " non2xx=%d connect=%d read=%d write=%d timeout=%d foreign_policy=%d no_policy=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, foreign, missing))
end
