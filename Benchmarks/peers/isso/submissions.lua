-- Shape: submissions — POST /new with a distinct author/email/body on every
-- request (per-thread id + per-thread random token + counter).
-- Posts go to their own thread (/bench/submissions/, created during seeding)
-- so the 100-comment listing thread stays at exactly 100 comments.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "../../lua/common.lua")

local path = "/new?uri=/bench/submissions/"
local headers = {
   ["Content-Type"] = "application/json",
   ["Accept"] = "application/json",
   ["Origin"] = "http://127.0.0.1:8080",
}
local counter = 0
local token = 0

function init(args)
   -- `id` is set per thread by setup() in common.lua.
   math.randomseed(os.time() * 1000 + (id or 0) * 7919)
   token = math.random(1, 2147483646)
end

function request()
   counter = counter + 1
   local tag = string.format("%d-%d-%d", id or 0, token, counter)
   local body = string.format(
      '{"text": "Benchmark submission %s. Lorem ipsum dolor sit amet, consectetur ' ..
      'adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ' ..
      'Ut enim ad minim veniam, *quis nostrud* exercitation.", ' ..
      '"author": "Bench Author %s", "email": "bench-%s@example.com", "website": null}',
      tag, tag, tag)
   return wrk.format("POST", path, headers, body)
end
