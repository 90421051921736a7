-- Shape: count — GET the approved count of the benchmark thread.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")
wrk.method = "GET"
wrk.path = "/comments/count?post=/bench/thread/"
