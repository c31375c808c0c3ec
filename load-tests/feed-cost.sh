#!/usr/bin/env bash
# shellcheck disable=SC2016 # the $2/$3 in the group conditions are awk's fields, not the shell's
# How the home-timeline read cost grows with the number of users followed and with the number of
# celebrities followed, on a cluster seeded with an undirected graph (./chirp seed --graph FILE),
# where each user follows every neighbour and a celebrity is a user with at least THRESHOLD
# followers (the cluster's CHIRP_CELEBRITY_THRESHOLD).
#
# For each group of readers, wrk reads their home timelines (20 tweets, tokens in turn) with 16
# connections for DURATION seconds after a 10 s warm-up, and the table gets throughput and
# latency. Prints a markdown table on stdout.
#
#   CHIRP_CELEBRITY_THRESHOLD=100 ./chirp up --fresh
#   ./chirp seed --graph ../shared/data/socfb-Reed98.edges --tweets 5
#   THRESHOLD=100 bash load-tests/feed-cost.sh
set -euo pipefail

graph=${GRAPH:-../shared/data/socfb-Reed98.edges}
threshold=${THRESHOLD:-100}
base_url=${BASE_URL:-http://localhost:8080}
duration=${DURATION:-20}
per_group=${PER_GROUP:-40}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# node followees celebrities-followed (followees = degree in the undirected graph)
awk -v t="$threshold" '
  !/^[%#]/ && NF >= 2 { if ($1 == $2) next; deg[$1]++; deg[$2]++; a[NR] = $1; b[NR] = $2 }
  END {
    for (i in a) { if (deg[b[i]] >= t) cel[a[i]]++; if (deg[a[i]] >= t) cel[b[i]]++ }
    for (n in deg) print n, deg[n], cel[n] + 0
  }' "$graph" | sort -n >"$work/readers"

token() {
  curl -sf -XPOST "$base_url/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\":\"user_$1\",\"password\":\"chirp-seed-password\"}" |
    grep -o '"accessToken" *: *"[^"]*"' | cut -d'"' -f4 || true
}

measure() { # label, awk condition on $2 (followees) and $3 (celebrities followed)
  local label=$1 condition=$2 tokens=$work/tokens count out
  awk "$condition" "$work/readers" | shuf -n "$per_group" --random-source=<(yes) >"$work/group"
  count=$(wc -l <"$work/group")
  if [ "$count" -eq 0 ]; then
    echo "| $label | 0 | - | - | - | - | - |"
    return
  fi
  : >"$tokens"
  while read -r node _ _; do token "$node" >>"$tokens"; done <"$work/group"
  local followees celebrities
  followees=$(awk '{s += $2} END {printf "%.0f", s / NR}' "$work/group")
  celebrities=$(awk '{s += $3} END {printf "%.1f", s / NR}' "$work/group")
  TOKENS_FILE=$tokens wrk -t2 -c16 -d10s -s load-tests/wrk/home-timeline.lua "$base_url" >/dev/null 2>&1 || true
  out=$(TOKENS_FILE=$tokens wrk -t2 -c16 --latency "-d${duration}s" -s load-tests/wrk/home-timeline.lua "$base_url" 2>&1)
  echo "| $label | $count | $followees | $celebrities | $(echo "$out" | awk '/^Requests\/sec/ {printf "%d", $2}') | $(echo "$out" | awk '$1 == "50%" {print $2}') | $(echo "$out" | awk '$1 == "99%" {print $2}') |"
}

echo "Readers of $(basename "$graph"), celebrity threshold $threshold followers; wrk -t2 -c16 -d${duration}s through $base_url, up to $per_group readers per group."
echo
echo "| readers | n | mean followed | mean celebrities followed | req/s | p50 | p99 |"
echo "|---|---|---|---|---|---|---|"
measure "follow < 20, no celebrity" '$2 < 20 && $3 == 0'
measure "follow 20–49, no celebrity" '$2 >= 20 && $2 < 50 && $3 == 0'
measure "follow 50–99, no celebrity" '$2 >= 50 && $2 < 100 && $3 == 0'
measure "follow 100+, no celebrity" '$2 >= 100 && $3 == 0'
measure "1–2 celebrities followed" '$3 >= 1 && $3 <= 2'
measure "3–9 celebrities followed" '$3 >= 3 && $3 <= 9'
measure "10–29 celebrities followed" '$3 >= 10 && $3 <= 29'
measure "30+ celebrities followed" '$3 >= 30'
