-- Shape: uncached thread listing — GET a random post among N (passed after `--`), so most
-- requests miss the response cache and read the database.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")
local posts = 10000

function init(args)
   posts = tonumber(args[1]) or posts
   math.randomseed(os.time() * 1000 + (id or 0) * 104729)
end

function request()
   return wrk.format("GET", string.format("/comments?post=/scale/%d/&limit=1", math.random(0, posts - 1)))
end
