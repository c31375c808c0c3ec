-- wrk script: GET the home timeline (20 tweets) with the bearer tokens of many seeded users in
-- turn (one token per line in the file named by TOKENS_FILE), so no single user's rate limit is
-- what is measured. Used by load-tests/bench-report.sh.
local tokens = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do
  if #line > 0 then tokens[#tokens + 1] = line end
end
local path = os.getenv("FEED_PATH") or "/api/v1/timelines/home?limit=20"
local i = math.random(1, #tokens)

request = function()
  i = i % #tokens + 1
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[i] })
end
