-- Baseline: GET /api/v1/ping, the pipeline with no work behind it (no auth, no store).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

wrk.method = "GET"
wrk.path = "/api/v1/ping"
