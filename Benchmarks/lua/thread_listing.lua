-- Shape: thread listing — GET the 100 approved comments of the benchmark thread (cached bytes).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")
wrk.method = "GET"
wrk.path = "/comments?post=/bench/thread/&limit=100"
