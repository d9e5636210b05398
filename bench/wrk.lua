-- wrk script of `make bench`: one path, as one person, and what wrk
-- measured printed as one JSON line starting with "BENCH ".
-- Arguments (after --): the path (or several, separated by spaces, asked in
-- turn: a page and its photos), cookie header ("" when anonymous), "1" to
-- add a query string no one asked before to every request, a nonce.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  paths = {}
  for each in string.gmatch(args[1], "%S+") do
    table.insert(paths, each)
  end
  path = paths[1]
  turn = 0
  busting = args[3] == "1"
  nonce = args[4] or "0"
  counter = 0
  not_ok = 0
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
  if args[2] and args[2] ~= "" then
    wrk.headers["Cookie"] = args[2]
  end
end

function request()
  if not busting then
    turn = turn % #paths + 1
    return wrk.format("GET", paths[turn])
  end
  counter = counter + 1
  local separator = string.find(path, "?", 1, true) and "&" or "?"
  local unique = nonce .. "-" .. thread_number .. "-" .. counter
  return wrk.format("GET", path .. separator .. "bench=" .. unique)
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

-- Latencies in buckets (10 µs under 10 ms, 100 µs under 100 ms, 1 ms
-- above), as [[µs, count], ...]: the runner pools the rounds.
function histogram(latency)
  local buckets, order = {}, {}
  for i = 1, #latency do
    local value, count = latency(i)
    local step = value < 10000 and 10 or (value < 100000 and 100 or 1000)
    local bucket = math.floor(value / step) * step
    if not buckets[bucket] then
      buckets[bucket] = 0
      table.insert(order, bucket)
    end
    buckets[bucket] = buckets[bucket] + count
  end
  local pairs_ = {}
  for _, bucket in ipairs(order) do
    table.insert(pairs_, string.format("[%d,%d]", bucket, buckets[bucket]))
  end
  return "[" .. table.concat(pairs_, ",") .. "]"
end

function done(summary, latency, requests)
  local not_200 = 0
  for _, thread in ipairs(threads) do
    not_200 = not_200 + (thread:get("not_ok") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "not_200": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, '
      .. '"timeout": %d}, "latency_us": {"p50": %d, "p95": %d, "p99": %d, '
      .. '"max": %d, "mean": %.1f}, "histogram_us": %s}\n',
    summary.requests, summary.duration, summary.bytes, not_200,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, histogram(latency)
  ))
end
