-- wrk script for bench/autosave_wrk.py: every request is one autosave of a logged-in cadre.
--
--   wrk -t2 -c50 -d15s -s bench/autosave.lua http://127.0.0.1:PORT -- SESSIONS.lua
--
-- SESSIONS.lua (written by autosave_wrk.py) returns a list of cadres, each with its session
-- cookie, its page's CSRF token, its attempt and the attempt's items. wrk's request() does not
-- know which connection it fills, so each thread rotates through its own share of the cadres:
-- every request carries a real session, and no two threads write the same cadre's answers.
-- The answer alternates between two values, so that every save changes the stored row.

local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local sessions, mine, turn = nil, {}, 0

function init(args)
  sessions = dofile(args[1])
  local nthreads = tonumber(args[2] or "2")
  for i, s in ipairs(sessions) do
    if (i - 1) % nthreads == tid then
      s.pos, s.flip = 0, false
      mine[#mine + 1] = s
    end
  end
end

local answers = {
  true_false = { "true", "false" },
  single = { "[0]", "[1]" },
  multiple = { "[0,1]", "[1,2]" },
}

function request()
  turn = turn % #mine + 1
  local s = mine[turn]
  s.pos = s.pos % #s.items + 1
  s.flip = not s.flip
  local item = s.items[s.pos]
  local answer = answers[item[2]][s.flip and 1 or 2]
  return wrk.format("POST", "/api/attempts/" .. s.attempt .. "/answers", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = s.cookie,
    ["X-CSRFToken"] = s.token,
    ["User-Agent"] = "quizapp-bench",  -- as at login (bench/world.py): Flask-Login compares it
  }, '{"item_id":' .. item[1] .. ',"answer":' .. answer .. '}')
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
