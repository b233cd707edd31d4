-- Shared by the load scripts of tests/bench/run.sh (loaded with dofile from each script).
-- Arguments after wrk's "--": token, file of ids (one a line), run id.

local M = {}

-- The ids of the file named by args[2], or nothing when not given.
function M.read_ids(path)
   local ids = {}
   if path == nil then
      return ids
   end
   local file = assert(io.open(path, "r"), "cannot open " .. path)
   for line in file:lines() do
      if #line > 0 then
         ids[#ids + 1] = line
      end
   end
   file:close()
   assert(#ids > 0, path .. " holds no ids")
   return ids
end

-- Every thread gets its own number (for random seeds and unique idempotency keys).
local next_thread = 0
function setup(thread)
   next_thread = next_thread + 1
   thread:set("thread_number", next_thread)
end

-- One machine-readable line for run.sh: throughput, latency percentiles (microseconds) and
-- errors (status >= 400 counts as one).
function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   io.write(string.format(
      "WRK requests=%d seconds=%.2f rps=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "status_errors=%d socket_errors=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end

return M
