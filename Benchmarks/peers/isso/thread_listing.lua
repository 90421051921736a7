-- Shape: thread_listing — GET the full seeded thread (100 top-level comments).
-- Isso returns all comments when neither `limit` nor `nested_limit` is given.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "../../lua/common.lua")

wrk.method = "GET"
wrk.path = "/?uri=/bench/thread/"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "http://127.0.0.1:8080"
