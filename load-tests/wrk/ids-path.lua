-- wrk script: GET a path for many ids in turn. IDS_FILE names a file of ids (one per line);
-- PATH_TEMPLATE is the path with %s for the id, e.g. /api/v1/users/%s/tweets?limit=20.
-- Used by load-tests/replica-reads.sh.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  if #line > 0 then ids[#ids + 1] = line end
end
local template = os.getenv("PATH_TEMPLATE")
local i = math.random(1, #ids)

request = function()
  i = i % #ids + 1
  return wrk.format("GET", string.format(template, ids[i]))
end
