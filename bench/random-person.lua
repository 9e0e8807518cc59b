-- wrk script: GET a random person of the demo org on every request.
-- PEOPLE (environment) is the size of the demo org; PREFIX is "/people/" or "/api/v1/people/".
-- FIRST and LAST (by default 1 and PEOPLE) narrow the ids drawn: the demo assesses the first
-- 500 people of its org with a manager and a next level, so LAST=500 draws nearly only people
-- with assessments, ratings and evidence.
local people = tonumber(os.getenv("PEOPLE") or "100000")
local prefix = os.getenv("PREFIX") or "/people/"
local first = tonumber(os.getenv("FIRST") or "1")
local last = tonumber(os.getenv("LAST") or tostring(people))
local width = math.max(5, string.len(tostring(people)))
math.randomseed(os.time())

request = function()
  local id = string.format("E%0" .. width .. "d", math.random(first, last))
  return wrk.format("GET", prefix .. id)
end
