-- Shape: conditional listing — the same GET with the current ETag: every answer is a 304.
-- The ETag is passed after `--`: wrk ... -s conditional_listing.lua URL -- '"etag"'
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")
wrk.method = "GET"
wrk.path = "/comments?post=/bench/thread/&limit=100"

function init(args)
   wrk.headers["If-None-Match"] = args[1]
end
