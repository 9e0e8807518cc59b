-- wrk script: GET a random person of the demo org on every request.
-- PEOPLE (environment) is the size of the demo org; PREFIX is "/people/" or "/api/v1/people/".
local people = tonumber(os.getenv("PEOPLE") or "100000")
local prefix = os.getenv("PREFIX") or "/people/"
local width = math.max(5, string.len(tostring(people)))
math.randomseed(os.time())

request = function()
  local id = string.format("E%0" .. width .. "d", math.random(1, people))
  return wrk.format("GET", prefix .. id)
end
