-- A filtered page of 50 tickets, as an agent's queue asks for it:
-- GET /api/v1/support/tickets?status=S&priority=P&limit=50, S and P rotating over the active
-- statuses and every priority (each combination matches hundreds of the 20,000 tickets).
-- Arguments: token.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

local statuses = { "open", "assigned", "in_progress" }
local priorities = { "low", "medium", "high", "urgent" }
local paths = {}
local headers
local n = 0

function init(args)
   headers = { ["Authorization"] = "Bearer " .. args[1] }
   for _, s in ipairs(statuses) do
      for _, p in ipairs(priorities) do
         paths[#paths + 1] = "/api/v1/support/tickets?status=" .. s .. "&priority=" .. p ..
            "&limit=50"
      end
   end
   n = thread_number or 0
end

function request()
   n = n + 1
   return wrk.format("GET", paths[n % #paths + 1], headers)
end
