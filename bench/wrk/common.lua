-- Shared by the per-vendor scripts (loaded with dofile): counts the answers that were really
-- 2xx in every wrk thread and prints them, with the exact latency percentiles, as one line
-- that mock_bench.py reads:  bench-result {"ok_2xx": ..., "other_status": ..., ...}
-- wrk itself only reports "Non-2xx or 3xx responses"; the ledger check needs the 2xx count.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok_2xx = 0
  other_status = 0
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok_2xx = ok_2xx + 1
  else
    other_status = other_status + 1
  end
end

function done(summary, latency, requests)
  local ok, other = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("ok_2xx")
    other = other + thread:get("other_status")
  end
  local errors = summary.errors
  io.write(string.format(
    'bench-result {"ok_2xx": %d, "other_status": %d, "requests": %d, "duration_us": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d}\n',
    ok, other, summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.timeout))
end
