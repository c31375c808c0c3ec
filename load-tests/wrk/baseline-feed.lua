-- wrk script: GET /feed/{user} of benchmarks/feed-baseline for users 0..999 in turn, the bare
-- hydrated feed read (ZREVRANGE 0 19 + MGET of 20 cached tweets) Chirp is compared with.
local user = math.random(0, 999)

request = function()
  user = (user + 1) % 1000
  return wrk.format("GET", "/feed/" .. user)
end
