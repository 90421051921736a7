-- Shape: feed — Isso's Atom feed for the seeded thread (needs [rss] base set;
-- [rss] limit = 100 so all 100 comments are in the feed).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "../../lua/common.lua")

wrk.method = "GET"
wrk.path = "/feed?uri=/bench/thread/"
wrk.headers["Accept"] = "application/atom+xml"
