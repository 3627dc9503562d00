-- wrk script: Bearer key from $TOKEN; with $POST set, creates candidates with unique emails.
-- Prints one RESULT line that bench/run.py reads.
-- `tag` is a global: setup() gives each thread its own, so emails never repeat across threads.
local token, post, n = os.getenv("TOKEN"), os.getenv("POST"), 0
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("tag", os.time() .. "-" .. threads) end
request = function()
  local headers = { ["Authorization"] = "Bearer " .. token }
  if not post then return wrk.format(nil, nil, headers) end
  n = n + 1
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", nil, headers, string.format(
    '{"firstName":"Bench","lastName":"User","email":"bench-%s-%d@example.com","position":"Developer"}', tag, n))
end
done = function(summary, latency)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
