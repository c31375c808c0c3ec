#!/usr/bin/env bash
# load-tests/bench-report.sh — regenerates BENCHMARKS.md from one run on this machine: the machine,
# each Gatling scenario at moderate settings against a running, seeded cluster, and side by side
# the limits of the engines underneath (redis-benchmark, pgbench), with the exact commands.
#
#   ./chirp up &                     # then, once it prints the base URL:
#   ./chirp seed --graph ../shared/data/socfb-Reed98.edges --tweets 5
#   load-tests/bench-report.sh       # writes BENCHMARKS.md (OUT=… to write elsewhere)
#
# Settings (environment): BASE_URL (http://localhost:8080), DURATION (s per scenario, 60), USERS
# (200), RATE_<Scenario> (offered req/s, e.g. RATE_SocialNetworkMix=200), CELEBRITY_THRESHOLD (the
# cluster's CHIRP_CELEBRITY_THRESHOLD; CelebrityPost is skipped without it, as Reed98 has nobody
# above the default 10 000), REDIS_HOST/REDIS_PORT (127.0.0.1:16379), PG_HOST/PG_PORT/PG_USER
# (127.0.0.1:15432 postgres, shard 0), PGBENCH_SCALE (10), PGBENCH_CLIENTS (8), SCENARIOS (all).
# Needs: redis-benchmark and redis-cli (apt-get install redis-tools), pgbench and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

base_url=${BASE_URL:-http://localhost:8080}
duration=${DURATION:-60}
users=${USERS:-200}
redis_host=${REDIS_HOST:-127.0.0.1}
redis_port=${REDIS_PORT:-16379}
pg_host=${PG_HOST:-127.0.0.1}
pg_port=${PG_PORT:-15432}
pg_user=${PG_USER:-postgres}
pgbench_scale=${PGBENCH_SCALE:-10}
pgbench_clients=${PGBENCH_CLIENTS:-8}
scenarios=${SCENARIOS:-SocialNetworkMix HomeTimelineRead ComposeFanout CelebrityPost LikeStorm Search}
out=${OUT:-$repo/BENCHMARKS.md}
logs=$repo/load-tests/target/bench-report
mkdir -p "$logs"
rm -f "$logs"/*.log "$logs/commands.txt" # a previous run's logs must not leak into this report
report=$(mktemp)
trap 'rm -f "$report"' EXIT

# moderate default offered rates (req/s of the main scenario)
default_rate() {
  case "$1" in
    SocialNetworkMix) echo 200 ;;
    HomeTimelineRead) echo 300 ;;
    ComposeFanout) echo 20 ;;
    CelebrityPost) echo 100 ;;
    LikeStorm) echo 10 ;;
    Search) echo 50 ;;
  esac
}

say() { printf '%s\n' "$*" >>"$report"; }
progress() { printf '[bench-report] %s\n' "$*" >&2; }

# --- the machine ------------------------------------------------------------------------------
machine() {
  say "## The machine"
  say ""
  say "| what | value |"
  say "|---|---|"
  say "| cores (nproc) | $(nproc) |"
  say "| CPU | $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo unknown) |"
  say "| memory | $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) |"
  say "| kernel | $(uname -sr) |"
  say "| java on the PATH (cluster and Gatling) | $(java -version 2>&1 | head -n 1) |"
  local jdk
  for jdk in /usr/lib/jvm/*/bin/java; do
    [ -x "$jdk" ] || continue
    say "| ${jdk%/bin/java} | $("$jdk" -version 2>&1 | head -n 1) |"
  done
  say "| redis-benchmark | $(redis-benchmark --version 2>/dev/null || echo missing) |"
  say "| pgbench | $(pgbench --version 2>/dev/null || echo missing) |"
  say ""
  say "Everything (the cluster's 12 processes and the load generator) shares these cores."
  say ""
}

# --- one Gatling scenario -------------------------------------------------------------------
# Prints one table row from the console summary of the run (Gatling's "Global Information").
summary_value() { # log, label → the Total column, without thousands separators
  awk -F'|' -v label="$2" 'index($0, label) { gsub(/[ ,]/, "", $2); print $2; exit }' "$1"
}
ko_count() {
  awk -F'|' '/> request count/ { gsub(/[ ,]/, "", $4); print ($4 == "-" ? 0 : $4); exit }' "$1"
}

run_scenario() {
  local name=$1 rate log status=0 extra=()
  local rate_var="RATE_$name"
  rate=${!rate_var:-$(default_rate "$name")}
  log=$logs/$name.log
  if [ "$name" = CelebrityPost ]; then
    if [ -z "${CELEBRITY_THRESHOLD:-}" ]; then
      say "| $name | – | – | – | – | – | – | skipped: set CELEBRITY_THRESHOLD to the cluster's CHIRP_CELEBRITY_THRESHOLD (≤ 900 for Reed98) | |"
      return
    fi
    extra+=("-DcelebrityThreshold=$CELEBRITY_THRESHOLD")
  fi
  local command=(./chirp bench "$name" "-DbaseUrl=$base_url" "-Dusers=$users" "-Drate=$rate" "-Dduration=$duration" "${extra[@]}")
  progress "${command[*]}"
  echo "${command[*]}" >>"$logs/commands.txt"
  "${command[@]}" >"$log" 2>&1 || status=$?
  local total ko throughput p50 p95 p99 gate html
  total=$(summary_value "$log" "> request count")
  if [ -z "$total" ]; then
    say "| $name | $rate | – | – | – | – | – | did not run (exit $status, see ${log#"$repo"/}) | |"
    return
  fi
  ko=$(ko_count "$log")
  throughput=$(summary_value "$log" "> mean throughput (rps)")
  p50=$(summary_value "$log" "> response time 50th percentile (ms)")
  p95=$(summary_value "$log" "> response time 95th percentile (ms)")
  p99=$(summary_value "$log" "> response time 99th percentile (ms)")
  if [ "$status" -eq 0 ]; then gate=passed; else gate="FAILED (exit $status)"; fi
  html=$(sed -n 's/^report: //p' "$log" | tail -n 1)
  say "| $name | $rate | $throughput | $p50 | $p95 | $p99 | $ko / $total | $gate | ${html#"$repo"/} |"
}

scenarios_section() {
  say "## Chirp under load (Gatling, open workload)"
  say ""
  say "Each scenario ran for $duration s against $base_url with $users seeded users, at the offered rate"
  say "below (requests/s of its main scenario; probes and setup come on top). Throughput is what Gatling"
  say "measured, latencies are over all requests, in ms; errors are failed / all requests. The gate is the"
  say "scenario's assertions (failed requests, p99 < 500 ms unless -Dp99Ms says otherwise, its own checks)."
  say ""
  say "| scenario | offered req/s | throughput req/s | p50 | p95 | p99 | errors | gate | report |"
  say "|---|---|---|---|---|---|---|---|---|"
  local name
  for name in $scenarios; do
    run_scenario "$name"
  done
  say ""
  if [ -f "$logs/ComposeFanout.log" ]; then
    say "Fan-out visibility (ComposeFanout's probe: post → the tweet on a follower's home timeline):"
    say ""
    say '```'
    grep -h '^fan-out visibility' "$logs/ComposeFanout.log" >>"$report" || say "(no probe result in the log)"
    say '```'
    say ""
  fi
  if [ -f "$logs/LikeStorm.log" ]; then
    say "LikeStorm's final count check:"
    say ""
    say '```'
    grep -h 'distinct likers' "$logs/LikeStorm.log" >>"$report" || say "(no count check in the log)"
    say '```'
    say ""
  fi
  say "Commands, as run:"
  say ""
  say '```'
  cat "$logs/commands.txt" >>"$report"
  say '```'
  say ""
}

# --- the limits underneath --------------------------------------------------------------------
redis_limit() {
  local key=chirp:bench:zrevrange800 members=() i csv
  for i in $(seq 1 800); do
    members+=("$i" "m$i")
  done
  redis-cli -h "$redis_host" -p "$redis_port" DEL "$key" >/dev/null
  redis-cli -h "$redis_host" -p "$redis_port" ZADD "$key" "${members[@]}" >/dev/null
  local command=(redis-benchmark -h "$redis_host" -p "$redis_port" -n 200000 -c 50 --csv ZREVRANGE "$key" 0 19)
  progress "${command[*]}"
  csv=$("${command[@]}" 2>/dev/null | tail -n 1)
  redis-cli -h "$redis_host" -p "$redis_port" DEL "$key" >/dev/null
  # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  redis_rps=$(echo "$csv" | awk -F'","' '{print $2}')
  say "| feed read, physical limit: ZREVRANGE 0 19 on an 800-entry sorted set | ${redis_rps:-?} req/s | p50 $(echo "$csv" | awk -F'","' '{print $5}') ms, p99 $(echo "$csv" | awk -F'","' '{print $7}') ms | \`${command[*]}\` |"
}

pgbench_limit() {
  local psql=(psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -v ON_ERROR_STOP=1 -tA)
  if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'pgbench'")" != 1 ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE pgbench" >/dev/null
  fi
  local scale
  scale=$("${psql[@]}" -d pgbench -c "SELECT count(*) FROM pg_tables WHERE tablename = 'pgbench_branches'")
  if [ "$scale" = 1 ]; then
    scale=$("${psql[@]}" -d pgbench -c "SELECT count(*) FROM pgbench_branches")
  fi
  if [ "$scale" != "$pgbench_scale" ]; then
    progress "pgbench -i -s $pgbench_scale (database pgbench on $pg_host:$pg_port)"
    pgbench -i -q -s "$pgbench_scale" -h "$pg_host" -p "$pg_port" -U "$pg_user" pgbench >"$logs/pgbench-init.log" 2>&1
  fi
  local command=(pgbench -S -c "$pgbench_clients" -j 2 -T "$duration" -h "$pg_host" -p "$pg_port" -U "$pg_user" pgbench)
  progress "${command[*]}"
  "${command[@]}" >"$logs/pgbench.log" 2>&1
  pg_tps=$(sed -n 's/^tps = \([0-9]*\).*/\1/p' "$logs/pgbench.log" | tail -n 1)
  local latency
  latency=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$logs/pgbench.log")
  say "| database limit: pgbench select-only, one shard (scale $pgbench_scale, $pgbench_clients clients) | ${pg_tps:-?} tps | average ${latency:-?} ms | \`${command[*]}\` |"
}

limits_section() {
  say "## Side by side: the limits underneath"
  say ""
  say "| what | throughput | latency | command |"
  say "|---|---|---|---|"
  redis_rps=""
  pg_tps=""
  if command -v redis-benchmark >/dev/null; then redis_limit; else say "| redis-benchmark | not installed (apt-get install redis-tools) | | |"; fi
  if command -v pgbench >/dev/null; then pgbench_limit; else say "| pgbench | not installed | | |"; fi
  say "| framework limit: trivial Micronaut endpoint (no store) | NOT MEASURED YET — separate task | | |"
  say "| framework limit: bare hydrated feed read (Lettuce ZREVRANGE 0 19 + MGET of 20 tweets) | NOT MEASURED YET — separate task | | |"
  say ""
  local home
  home=$(awk -F'|' '$2 ~ /HomeTimelineRead/ {gsub(/ /, "", $4); print $4}' "$report")
  say "Ratios (Chirp's home-timeline throughput to each limit). Chirp ran at an offered rate, so its"
  say "throughput is at most that rate, not its capacity; ratios mean something only when the offered"
  say "rate is raised until the gate fails."
  say ""
  say "| Chirp HomeTimelineRead | / redis-benchmark ZREVRANGE | / pgbench -S | / trivial Micronaut | / bare feed read |"
  say "|---|---|---|---|---|"
  say "| ${home:-–} req/s | $(ratio "$home" "$redis_rps") | $(ratio "$home" "$pg_tps") | NOT MEASURED YET | NOT MEASURED YET |"
  say ""
}

ratio() {
  if [ -n "${1:-}" ] && [ -n "${2:-}" ]; then
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.4f", a / b; else print "–" }'
  else
    echo "–"
  fi
}

cluster_section() {
  say "## The cluster during the run"
  say ""
  # ./chirp status reports the cluster recorded under .chirp/, which need not be the one at BASE_URL
  local status port
  status=$(./chirp status 2>&1 || true)
  port=$(echo "$base_url" | sed -n 's#.*:\([0-9][0-9]*\).*#\1#p')
  if echo "$status" | grep -q "localhost:${port:-8080}/health"; then
    say "Processes and resident memory at the end of the run (\`./chirp status\`):"
    say ""
    say '```'
    echo "$status" | sed '/^GET http/,$d' >>"$report"
    say '```'
  else
    say "\`./chirp status\` does not describe the cluster at $base_url (it reports the one recorded"
    say "under .chirp/), so memory per process is not recorded for this run."
  fi
  say ""
  say "Still to add by hand or by a later task: startup time (\`./chirp up\` prints \"Chirp is up in N s\"),"
  say "the same run with the services on JDK 25, home-timeline cost against follower count and celebrities"
  say "followed, and the comparison with DeathStarBench's compose-post rates."
  say ""
}

{
  echo "# Benchmarks"
  echo ""
  echo "Generated by \`load-tests/bench-report.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo ""
} >"$report"
machine
progress "scenarios: $scenarios (each $duration s)"
scenarios_section
limits_section
cluster_section
cp "$report" "$out"
progress "wrote $out"
