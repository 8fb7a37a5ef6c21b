-- wrk's summary as one JSON line, read by scripts/bench_http.py: counts, errors, and the latency
-- distribution as 1,000 quantiles (the 0.05th, 0.15th, … 99.95th percentile, in microseconds), so
-- that several runs can be merged into one distribution.
done = function(summary, latency, requests)
  local e = summary.errors
  local quantiles = {}
  for i = 1, 1000 do
    quantiles[i] = string.format("%d", latency:percentile((i - 0.5) / 10))
  end
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "socket_errors": %d, "non2xx": %d, "quantiles": [%s]}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    table.concat(quantiles, ",")))
end
