-- GET /api/v1/support/tickets/:id as an agent, on random tickets of the seeded store (each
-- with its ~10 messages). Arguments: token, file of ticket ids.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(dir .. "common.lua")

local ids
local headers

function init(args)
   ids = common.read_ids(args[2])
   headers = { ["Authorization"] = "Bearer " .. args[1] }
   math.randomseed(os.time() + 7919 * (thread_number or 0))
end

function request()
   return wrk.format("GET", "/api/v1/support/tickets/" .. ids[math.random(#ids)], headers)
end
