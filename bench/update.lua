-- PUT a status move to a random candidate among 1..$IDS; each request alternates between two statuses.
local token, ids, n = os.getenv("TOKEN"), tonumber(os.getenv("IDS")), 0
local statuses = {"Screened", "Phone Interview"}
math.randomseed(os.time())
request = function()
  n = n + 1
  local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  local body = string.format('{"status":"%s","notes":"note %d"}', statuses[(n % 2) + 1], n)
  return wrk.format("PUT", "/api/candidates/" .. math.random(1, ids), headers, body)
end
done = function(summary, latency)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
