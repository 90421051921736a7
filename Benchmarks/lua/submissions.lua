-- Shapes: form and JSON submissions — POST /comments with a distinct author, email and body on
-- every request (thread id + random token + counter), to /bench/submissions/ so the listed thread
-- keeps its 100 comments. The format is passed after `--`: form or json; a second argument, when
-- given, starts every tag (so two wrk processes started in the same second never send the same
-- comment twice, which the duplicate rule would refuse).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

local counter = 0
local token = 0
local format = "json"
local prefix = ""

function init(args)
   format = args[1] or "json"
   prefix = args[2] or ""
   math.randomseed(os.time() * 1000 + (id or 0) * 7919)
   token = math.random(1, 2147483646)
end

function request()
   counter = counter + 1
   local tag = prefix .. string.format("%d-%d-%d", id or 0, token, counter)
   local text = "Benchmark submission " .. tag .. ". Lorem ipsum dolor sit amet, consectetur adipiscing elit, " ..
      "sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam."
   if format == "form" then
      local body = "comment=" .. text:gsub(" ", "+") .. "&author=Bench+Author+" .. tag ..
         "&email=bench-" .. tag .. "%40example.com&url=&comment_post_ID=%2Fbench%2Fsubmissions%2F&comment_parent=0"
      return wrk.format("POST", "/comments", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
   end
   local body = string.format('{"body": "%s", "author": "Bench Author %s", "email": "bench-%s@example.com", "post": "/bench/submissions/"}',
      text, tag, tag)
   return wrk.format("POST", "/comments", { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }, body)
end
