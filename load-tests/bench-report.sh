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
# (200), WARMUP (s of SocialNetworkMix and Search before the measured runs, 20), RATE_<Scenario> (offered req/s, e.g. RATE_SocialNetworkMix=200), CELEBRITY_THRESHOLD (the
# cluster's CHIRP_CELEBRITY_THRESHOLD; CelebrityPost is skipped without it, as Reed98 has nobody
# above the default 10 000), REDIS_HOST/REDIS_PORT (127.0.0.1:16379), PG_HOST/PG_PORT/PG_USER
# (127.0.0.1:15432 postgres, shard 0), PGBENCH_SCALE (10), PGBENCH_CLIENTS (8), SCENARIOS (all).
# WRK_DURATION (s per wrk measurement, 20), WRK_CONNECTIONS (64), JDK25 (a JDK 25 home for the
# baseline; /usr/lib/jvm/temurin-25-jdk-amd64), KEEP_LIMITS=1 keeps the limit rows of earlier runs
# (run once with the cluster on JDK 17, then again after
# `CHIRP_SERVICE_JAVA_HOME=$JDK25 ./chirp up` with SCENARIOS=none KEEP_LIMITS=1: the report then
# holds Chirp's feed read on both JDKs, the scenarios of the first run kept).
# Needs: redis-benchmark and redis-cli (apt-get install redis-tools), pgbench and psql, wrk.
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
wrk_duration=${WRK_DURATION:-20}
wrk_connections=${WRK_CONNECTIONS:-64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
limits=$logs/limits.tsv
if [ "${KEEP_LIMITS:-0}" != 1 ]; then
  rm -f "$limits"
fi
if [ "$scenarios" != none ]; then
  rm -f "$logs"/*.log "$logs/commands.txt" # a previous run's logs must not leak into this report
fi
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
  echo "$rate $status" >"$logs/$name.run"
  render_scenario "$name" "$rate" "$status"
}

render_scenario() { # name, offered rate, exit status → one table row from the scenario's log
  local name=$1 rate=$2 status=$3 log=$logs/$1.log
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
  if [ "$scenarios" != none ] && [ "${WARMUP:-20}" -gt 0 ]; then
    # JIT, connection pools and the stores' caches: the first minute after seeding is not the
    # steady state (measured: SocialNetworkMix p99 1085 ms cold, 99 ms on the next run)
    for name in SocialNetworkMix Search; do
      progress "warm-up: $name for ${WARMUP:-20} s (not reported)"
      ./chirp bench "$name" "-DbaseUrl=$base_url" "-Dusers=$users" "-Drate=$(default_rate "$name")" \
        "-Dduration=${WARMUP:-20}" >"$logs/warmup-$name.txt" 2>&1 || true
    done
  fi
  if [ -f "$logs/warmup-SocialNetworkMix.txt" ]; then
    say "Before the runs, SocialNetworkMix and Search ran ${WARMUP:-20} s each as a warm-up (not reported)."
    say ""
  fi
  say "| scenario | offered req/s | throughput req/s | p50 | p95 | p99 | errors | gate | report |"
  say "|---|---|---|---|---|---|---|---|---|"
  local name
  if [ "$scenarios" = none ]; then
    for name in SocialNetworkMix HomeTimelineRead ComposeFanout CelebrityPost LikeStorm Search; do
      if [ -f "$logs/$name.run" ]; then
        local rate status
        read -r rate status <"$logs/$name.run"
        render_scenario "$name" "$rate" "$status"
      fi
    done
  else
    for name in $scenarios; do
      run_scenario "$name"
    done
  fi
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

# --- framework limits and Chirp's feed read, with wrk (same tool, same connections) -----------
wrk_measure() { # label, JDK label, URL, [lua script] → a row of $limits (tab-separated)
  local label=$1 jdk=$2 url=$3 script=${4:-} out rps p50 p99 bad
  local args=(-t2 "-c$wrk_connections" --latency)
  if [ -n "$script" ]; then args+=(-s "$script"); fi
  wrk "${args[@]}" "-d${WRK_WARMUP:-5}s" "$url" >/dev/null 2>&1 || true # warm-up: JIT, connections, caches
  local command=(wrk "${args[@]}" "-d${wrk_duration}s" "$url")
  progress "${command[*]}"
  out=$("${command[@]}" 2>&1 || true)
  echo "$out" >"$logs/wrk-$(echo "$label $jdk" | tr -c 'A-Za-z0-9' _).log"
  rps=$(echo "$out" | awk '/^Requests\/sec/ {printf "%d", $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  bad=$(echo "$out" | awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}')
  if [ -f "$limits" ]; then
    awk -F'\t' -v l="$label" -v j="$jdk" '!($1 == l && $2 == j)' "$limits" >"$limits.tmp"
    mv "$limits.tmp" "$limits"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$jdk" "${rps:-0}" "${p50:-?}" "${p99:-?}" "$bad" "${command[*]}" >>"$limits"
}

jdk_label() { # java binary → "JDK 17"
  "$1" -version 2>&1 | head -n 1 | sed 's/.*version "\([0-9]*\).*/JDK \1/'
}

baseline_limits() { # java binary: the trivial endpoint and the bare feed read on that JDK
  local java=$1 jdk pid jar port=${BASELINE_PORT:-18090} i
  jdk=$(jdk_label "$java")
  jar=$(find benchmarks/feed-baseline/target -maxdepth 1 -name 'chirp-feed-baseline-*.jar' | head -n 1)
  if [ -z "$jar" ]; then
    progress "benchmarks/feed-baseline is not built (./mvnw -DskipTests package): no framework limits"
    return
  fi
  # shellcheck disable=SC2086 # the services' JVM options, split as the launcher splits them
  BASELINE_PORT=$port CHIRP_REDIS_URI="redis://$redis_host:$redis_port" "$java" \
    ${CHIRP_SERVICE_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError} \
    -cp "$jar:$(cat benchmarks/feed-baseline/target/classpath.txt)" io.chirp.baseline.Application \
    >"$logs/baseline-${jdk// /}.log" 2>&1 &
  pid=$!
  for i in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$port/trivial" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  wrk_measure "framework limit: trivial Micronaut endpoint (no store)" "$jdk" "http://127.0.0.1:$port/trivial"
  wrk_measure "framework limit: bare hydrated feed read (async Lettuce ZREVRANGE 0 19 + MGET of 20)" "$jdk" \
    "http://127.0.0.1:$port" load-tests/wrk/baseline-feed.lua
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

chirp_feed_limits() { # Chirp's home-timeline read at saturation, through the gateway and direct
  local tokens=$logs/tokens.txt graph=${GRAPH:-../shared/data/socfb-Reed98.edges} node java jdk port timeline_url
  : >"$tokens"
  for node in $(awk '!/^[%#]/ {print $1; print $2}' "$graph" | sort -n -u | head -n "${WRK_USERS:-200}"); do
    curl -sf -XPOST "$base_url/api/v1/auth/token" -H 'Content-Type: application/json' \
      -d "{\"username\":\"user_$node\",\"password\":\"chirp-seed-password\"}" |
      grep -o '"accessToken" *: *"[^"]*"' | cut -d'"' -f4 >>"$tokens" || true
  done
  if [ ! -s "$tokens" ]; then
    progress "no seeded user could log in at $base_url: Chirp's feed read not measured"
    return
  fi
  java=$(ps -eo args | awk '/io[.]chirp[.]timeline[.]Application/ {print $1; exit}')
  jdk=$(jdk_label "${java:-java}")
  port=$(echo "$base_url" | sed -n 's#.*:\([0-9][0-9]*\).*#\1#p')
  timeline_url=${TIMELINE_URL:-http://127.0.0.1:$((${port:-8080} + 3))}
  # a cluster may have just started: its services' JIT needs longer than the baseline's
  TOKENS_FILE=$tokens WRK_WARMUP=${CHIRP_WARMUP:-30} wrk_measure "Chirp: home timeline (20 tweets) through the gateway" "$jdk" "$base_url" \
    load-tests/wrk/home-timeline.lua
  TOKENS_FILE=$tokens WRK_WARMUP=${CHIRP_WARMUP:-30} wrk_measure "Chirp: home timeline (20 tweets) from timeline-service directly" "$jdk" \
    "$timeline_url" load-tests/wrk/home-timeline.lua
}

limits_section() {
  redis_rps=""
  pg_tps=""
  say "## Side by side: the limits underneath"
  say ""
  say "| what | throughput | latency | command |"
  say "|---|---|---|---|"
  if command -v redis-benchmark >/dev/null; then redis_limit; else say "| redis-benchmark | not installed (apt-get install redis-tools) | | |"; fi
  if command -v pgbench >/dev/null; then pgbench_limit; else say "| pgbench | not installed | | |"; fi
  say ""
  if command -v wrk >/dev/null; then
    if [ "${KEEP_LIMITS:-0}" != 1 ] || ! grep -q "^framework" "$limits" 2>/dev/null; then
      baseline_limits "$(command -v java)"
      if [ -x "$jdk25/bin/java" ]; then baseline_limits "$jdk25/bin/java"; fi
    fi
    chirp_feed_limits
  else
    progress "wrk is not installed (apt-get install wrk): no framework limits"
  fi
  say "### Framework limits and Chirp's feed read at saturation (wrk, closed loop)"
  say ""
  say "wrk with $wrk_connections connections on 2 threads for $wrk_duration s after a warm-up (5 s for the baseline, ${CHIRP_WARMUP:-30} s for Chirp), on the same"
  say "cores as everything else. The framework limits run with the services' JVM options"
  say "(\`${CHIRP_SERVICE_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC}\`); Chirp's rows rotate the tokens of"
  say "${WRK_USERS:-200} seeded users. \"errors\" counts non-2xx answers and socket errors."
  say ""
  say "| what | JDK | req/s | p50 | p99 | errors | command |"
  say "|---|---|---|---|---|---|---|"
  if [ -f "$limits" ]; then
    sort -t $'\t' -k1,1 -k2,2 "$limits" | while IFS=$'\t' read -r what jdk rps p50 p99 bad command; do
      say "| $what | $jdk | $rps | $p50 | $p99 | $bad | \`$command\` |"
    done
  fi
  say ""
  say "Ratios: Chirp's home timeline through the gateway, to each limit (the framework limits on the same JDK)."
  say ""
  say "| JDK | Chirp req/s | / redis-benchmark ZREVRANGE | / pgbench -S | / trivial Micronaut | / bare feed read | direct to timeline-service / bare feed read |"
  say "|---|---|---|---|---|---|---|"
  if [ -f "$limits" ]; then
    local jdk chirp direct trivial bare
    for jdk in $(awk -F'\t' '/^Chirp/ {print $2}' "$limits" | tr ' ' '_' | sort -u); do
      jdk=${jdk//_/ }
      chirp=$(awk -F'\t' -v j="$jdk" '$2 == j && $1 ~ /through the gateway/ {print $3}' "$limits")
      direct=$(awk -F'\t' -v j="$jdk" '$2 == j && $1 ~ /directly/ {print $3}' "$limits")
      trivial=$(awk -F'\t' -v j="$jdk" '$2 == j && $1 ~ /trivial/ {print $3}' "$limits")
      bare=$(awk -F'\t' -v j="$jdk" '$2 == j && $1 ~ /bare hydrated/ {print $3}' "$limits")
      say "| $jdk | ${chirp:-–} | $(ratio "$chirp" "$redis_rps") | $(ratio "$chirp" "$pg_tps") | $(ratio "$chirp" "$trivial") | $(ratio "$chirp" "$bare") | $(ratio "$direct" "$bare") |"
    done
  fi
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
    local java
    java=$(ps -eo args | awk '/io[.]chirp[.]timeline[.]Application/ {print $1; exit}')
    say "Processes and resident memory at the end of the run (\`./chirp status\`; services on $(jdk_label "${java:-java}")):"
    say ""
    say '```'
    echo "$status" | sed '/^GET http/,$d' >>"$report"
    say '```'
  else
    say "\`./chirp status\` does not describe the cluster at $base_url (it reports the one recorded"
    say "under .chirp/), so memory per process is not recorded for this run."
  fi
  say ""
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
if [ -f load-tests/benchmarks-notes.md ]; then
  cat load-tests/benchmarks-notes.md >>"$report" # the analysis, written by hand, kept across runs
fi
cp "$report" "$out"
progress "wrote $out"
