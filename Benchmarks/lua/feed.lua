-- Shape: JSON Feed — GET the site-wide feed (newest feed.limit approved comments).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")
wrk.method = "GET"
wrk.path = "/feed.json"
