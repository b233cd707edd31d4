-- POST /api/v1/support/tickets/:id/messages as an agent on random open tickets, each request
-- with its own Idempotency-Key (so each one is a new, durable message: transaction, change
-- log, stored answer, WebSocket fan-out). Arguments: token, file of ticket ids, run id.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local ids
local headers
local run
local n = 0

function init(args)
   ids = common.read_ids(args[2])
   -- The warm-up and the measured run are two wrk processes: a random part keeps their keys
   -- apart (a reused key would be answered from the stored reply, a much cheaper request).
   local urandom = assert(io.open("/dev/urandom", "rb"))
   local bytes = urandom:read(6)
   urandom:close()
   run = (args[3] or "run") .. "-" .. bytes:gsub(".", function(c)
      return string.format("%02x", c:byte())
   end)
   headers = {
      ["Authorization"] = "Bearer " .. args[1],
      ["Content-Type"] = "application/json",
   }
   math.randomseed(os.time() + 7919 * (thread_number or 0))
end

function request()
   n = n + 1
   local key = string.format("wrk-%s-%d-%d", run, thread_number or 0, n)
   headers["Idempotency-Key"] = key
   local body = string.format(
      '{"message":"Benchmark reply %s: we have rescheduled the visit for tomorrow morning."}',
      key)
   return wrk.format("POST", "/api/v1/support/tickets/" .. ids[math.random(#ids)] ..
      "/messages", headers, body)
end
