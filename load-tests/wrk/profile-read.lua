-- wrk script: GET /api/v1/users/{id} over many users in turn (one id per line in the file named by
-- IDS_FILE), to compare user-service's profile cache on and off (CHIRP_PROFILE_CACHE_ENABLED).
-- The ids of the first 200 seeded users, through the gateway:
--   for n in $(seq 1 200); do curl -s localhost:8080/api/v1/users/by-username/user_$n | jq -r .id; done > ids.txt
-- Then: IDS_FILE=ids.txt wrk -t2 -c64 -d20s --latency -s load-tests/wrk/profile-read.lua http://localhost:8080
-- and the hit ratio from user-service's counters (before and after the run):
--   curl -s localhost:8081/prometheus | grep 'cache_gets_total{cache="chirp.profile.cache"'
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  if #line > 0 then ids[#ids + 1] = line end
end
local i = math.random(1, #ids)

request = function()
  i = i % #ids + 1
  return wrk.format("GET", "/api/v1/users/" .. ids[i])
end
