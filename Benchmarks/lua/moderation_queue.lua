-- Shape: moderation queue — GET the first page of pending comments through the moderation API
-- (not cached: one database read per request). The bearer token is passed after `--`.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")
wrk.method = "GET"
wrk.path = "/moderation/comments?status=pending&limit=50"

function init(args)
   wrk.headers["Authorization"] = "Bearer " .. args[1]
end
