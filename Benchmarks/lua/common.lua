-- Shared wrk hooks for every benchmark shape, Moderato's and Isso's (loaded via dofile by each
-- shape script). Counts 2xx / non-2xx responses per wrk thread and prints a
-- single machine-readable summary line ("BENCH {...}") from done().
--
-- wrk runs setup()/done() in the main Lua state and init()/request()/
-- response() in one Lua state per thread; per-thread counters are read back
-- with thread:get().

local threads = {}
local next_id = 0

function setup(thread)
   next_id = next_id + 1
   thread:set("id", next_id)
   table.insert(threads, thread)
end

ok_2xx = 0
non_2xx = 0
status_counts = {}

function response(status, headers, body)
   -- 3xx counts as answered as intended (a 303 after a form post, a 304 for a conditional GET).
   if status >= 200 and status < 400 then
      ok_2xx = ok_2xx + 1
   else
      non_2xx = non_2xx + 1
      status_counts[status] = (status_counts[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local ok, bad = 0, 0
   local statuses = {}
   for _, t in ipairs(threads) do
      ok = ok + (t:get("ok_2xx") or 0)
      bad = bad + (t:get("non_2xx") or 0)
      local sc = t:get("status_counts")
      if sc then
         for k, v in pairs(sc) do statuses[k] = (statuses[k] or 0) + v end
      end
   end
   local parts = {}
   for k, v in pairs(statuses) do
      table.insert(parts, string.format('"%d": %d', k, v))
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "ok_2xx": %d, "non_2xx": %d, ' ..
      '"non_2xx_statuses": {%s}, "socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
      '"wrk_status_errors": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, ok, bad, table.concat(parts, ", "),
      e.connect, e.read, e.write, e.timeout, e.status,
      latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0),
      latency.max, latency.mean))
end
