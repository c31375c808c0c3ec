#!/usr/bin/env bash
# Read throughput of the stale-tolerant reads with and without PostgreSQL replicas, on a seeded
# local cluster: user timelines (tweet-service) and follower listings (user-service), anonymous
# (so no read-your-writes pin), straight to the services, 200 seeded users in turn. For each,
# wrk runs CONNECTIONS connections for DURATION seconds after a 5 s warm-up; the table gets
# req/s and latency, and where the reads went (chirp_db_stale_tolerant_reads_total).
#
#   ./chirp up                 then   ./chirp seed --graph ../shared/data/socfb-Reed98.edges --tweets 5
#   LABEL="with replicas" bash load-tests/replica-reads.sh
#   ./chirp down; ./chirp up --no-replicas
#   LABEL="without replicas" bash load-tests/replica-reads.sh
set -euo pipefail

label=${LABEL:-run}
duration=${DURATION:-20}
connections=${CONNECTIONS:-16}
gateway=${GATEWAY:-http://localhost:8080}
users_url=${USERS_URL:-http://localhost:8081}
tweets_url=${TWEETS_URL:-http://localhost:8082}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for n in $(seq 1 200); do
  curl -sf "$gateway/api/v1/users/by-username/user_$n" | grep -o '"id" *: *"[0-9]*"' | head -1 | grep -o '[0-9]*' || true
done >"$work/ids"
[ -s "$work/ids" ] || { echo "no seeded users found at $gateway" >&2; exit 1; }

reads() { # service URL, target
  curl -sf "$1/prometheus" | awk -v t="$2" '$1 == "chirp_db_stale_tolerant_reads_total{target=\"" t "\"}" { printf "%d", $2 }'
}

run() { # name, base URL, path template
  local name=$1 base=$2 template=$3 out replica0 primary0 replica1 primary1
  IDS_FILE=$work/ids PATH_TEMPLATE=$template wrk -t2 -c"$connections" -d5s -s "$here/wrk/ids-path.lua" "$base" >/dev/null
  replica0=$(reads "$base" replica); primary0=$(reads "$base" primary)
  out=$(IDS_FILE=$work/ids PATH_TEMPLATE=$template wrk -t2 -c"$connections" -d"${duration}s" --latency \
    -s "$here/wrk/ids-path.lua" "$base")
  replica1=$(reads "$base" replica); primary1=$(reads "$base" primary)
  echo "$out" | awk -v label="$label" -v name="$name" -v r=$((replica1 - replica0)) -v p=$((primary1 - primary0)) '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx/ { non2xx = $NF }
    END { printf "| %s | %s | %.0f | %s | %s | %d / %d | %s |\n", label, name, rps, p50, p99, r, p, (non2xx == "" ? 0 : non2xx) }'
}

echo "| cluster | read | req/s | p50 | p99 | reads replica / primary | non-2xx |"
echo "|---|---|---|---|---|---|---|"
run "user timeline (tweet-service)" "$tweets_url" "/api/v1/users/%s/tweets?limit=20"
run "followers page (user-service)" "$users_url" "/api/v1/users/%s/followers?limit=20"
