-- Prepended to every scenario by run_bench.py: collects each thread's counters and prints
-- one JSON line (marker BENCH_JSON) with the figures run_bench.py reads.
local threads = {}
bad = 0       -- responses whose status or body was not the expected one (checked runs only)
checked = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local bad_total, checked_total = 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + (thread:get("bad") or 0)
    checked_total = checked_total + (thread:get("checked") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"bad":%d,"checked":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    bad_total, checked_total))
end
