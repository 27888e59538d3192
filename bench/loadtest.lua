-- wrk script: a logged-in Viewer browsing the dashboard.
-- Paths rotate through LOADTEST_PATHS (comma-separated, set by bench/loadtest.py);
-- every request carries the session cookie; each thread stops after
-- LOADTEST_MAX_REQUESTS requests, so the run is bounded in count as well as time.
local cookie = os.getenv("LOADTEST_COOKIE") or ""
local max_requests = tonumber(os.getenv("LOADTEST_MAX_REQUESTS") or "100000")
local paths = {}
for p in string.gmatch(os.getenv("LOADTEST_PATHS") or "/", "([^,]+)") do
  table.insert(paths, p)
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  requests = 0
  errors = 0
  index = id - 1
end

function request()
  index = index + 1
  local path = paths[(index % #paths) + 1]
  return wrk.format("GET", path, { ["Cookie"] = cookie, ["Accept-Encoding"] = "gzip, br" })
end

function response(status, headers, body)
  requests = requests + 1
  if status ~= 200 then
    errors = errors + 1
  end
  if requests >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests_)
  local errors_total = 0
  for _, thread in ipairs(threads) do
    errors_total = errors_total + (thread:get("errors") or 0)
  end
  io.write(string.format("LOADTEST requests=%d duration_s=%.2f rps=%.1f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f "
    .. "max_ms=%.1f non200=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors_total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
