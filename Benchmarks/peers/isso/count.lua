-- Shape: count — Isso's comment-count endpoint (POST /count, JSON list of URIs).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "../../lua/common.lua")

wrk.method = "POST"
wrk.path = "/count"
wrk.body = '["/bench/thread/"]'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "http://127.0.0.1:8080"
