#!/usr/bin/env bash
# One benchmark scenario: N generated pools polling the mock pool, the service measured from the
# outside (/proc, /metrics, the mock's /_stats, wrk). Prints `key=value` lines on stdout;
# progress goes to stderr. bench/run.sh runs the documented set and writes the table.
#
#   bench/scenario.sh [--pools N] [--interval S] [--mix mixed|dgb] [--steady S]
#                     [--latency-ms MS] [--jitter-ms MS] [--error-rate R] [--wrk S]
#                     [--build DIR] [--service BINARY] [--io-threads N] [--poll-threads N]
#                     [--work DIR] [--fresh-timeout S] [--floor S]
#
# --floor S (default: the steady time, at most 30 s; 0: none) runs bench/floor/poll_floor after
# the steady window: the machine's own cost of the same exchanges at the same rate without the
# service (floor_* keys; cpu_over_floor is the service's CPU per poll over it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pools=10 interval=30 mix=mixed steady=60 latency=50 jitter=20 errors=0 wrk_s=0
build=$here/../build/release work= fresh_timeout= service_bin= io_threads=2 poll_threads=1
floor_s=
while [ $# -gt 0 ]; do
  case $1 in
    --pools) pools=$2 ;;
    --interval) interval=$2 ;;
    --mix) mix=$2 ;;
    --steady) steady=$2 ;;
    --latency-ms) latency=$2 ;;
    --jitter-ms) jitter=$2 ;;
    --error-rate) errors=$2 ;;
    --wrk) wrk_s=$2 ;;
    --build) build=$2 ;;
    --service) service_bin=$2 ;;
    --io-threads) io_threads=$2 ;;
    --poll-threads) poll_threads=$2 ;;
    --work) work=$2 ;;
    --fresh-timeout) fresh_timeout=$2 ;;
    --floor) floor_s=$2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift 2
done
: "${fresh_timeout:=$((2 * interval + 30))}"
: "${floor_s:=$((steady < 30 ? steady : 30))}"
[ -n "$service_bin" ] || service_bin=$build/app/miner-controller
mock_bin=$build/bench/mock_pool
floor_bin=$build/bench/poll_floor
for b in "$service_bin" "$mock_bin" "$floor_bin"; do
  [ -x "$b" ] || { echo "missing $b: cmake --build --preset release first" >&2; exit 2; }
done
[ -n "$work" ] || work=$(mktemp -d /tmp/mc-bench.XXXXXX)
mkdir -p "$work"
chmod a+rx "$work"  # nginx's workers (not root) read the files they serve from here
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
say() { echo "[bench] $*" >&2; }
out() { echo "$1=$2"; }
now_ns() { date +%s%N; }
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }

# CPU seconds (user + system) and memory of a process, from /proc.
ticks=$(getconf CLK_TCK)
cpu_s() { awk -v t="$ticks" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / t }' "/proc/$1/stat"; }
# The same, exact: the run time of the live threads in ns (schedstat). utime and stime are
# sampled at each kernel tick (CONFIG_TICK_CPU_ACCOUNTING, 250 Hz here): a few hundred samples
# per window, and a service that wakes on a timer grid aligned with the ticks can be sampled
# unevenly.
# The steady state has no threads that end, so nothing is lost by reading only the live ones.
cpu_exact_s() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.4f", s / 1e9 }'; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# Starts the service on DIR with port 0; sets svc_pid and svc_url once it listens.
start_service() {
  local dir=$1 log=$2
  "$service_bin" --config "$dir" --listen 127.0.0.1:0 --io-threads "$io_threads" \
    --poll-threads "$poll_threads" 2>"$log" &
  svc_pid=$!
  pids+=("$svc_pid")
  local line=
  for _ in $(seq 2000); do
    line=$(grep -m1 -o 'Listening on http://[0-9.:]*' "$log" || true)
    [ -n "$line" ] && break
    kill -0 "$svc_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.005
  done
  [ -n "$line" ] || { echo "service did not listen" >&2; exit 1; }
  svc_url=${line#Listening on }
}
wait_ready() {
  for _ in $(seq 6000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$svc_url/readyz")" = 200 ] && return 0
    sleep 0.005
  done
  echo "service not ready after 30 s" >&2
  exit 1
}
stop_service() {
  kill -TERM "$svc_pid"
  wait "$svc_pid" || true
}
# Pools with at least one successful poll, and the sum of polls finished, from /metrics.
metrics() { curl -s --max-time 20 "$svc_url/metrics" >"$work/metrics.txt" || true; }
fresh_count() { grep -c '^mc_pool_last_success_timestamp_seconds{' "$work/metrics.txt" || true; }
polls_sum() { awk '/^mc_pool_polls_total\{/ { s += $2 } END { printf "%d", s }' "$work/metrics.txt"; }

# --- the mock pool
# On every loopback address: the pools are spread over 127.x.y.z hosts (write-pools.sh).
"$mock_bin" --listen 0.0.0.0:0 --latency-ms "$latency" --jitter-ms "$jitter" \
  --error-rate "$errors" >"$work/mock.out" 2>"$work/mock.err" &
pids+=($!)
for _ in $(seq 500); do grep -q listening "$work/mock.out" 2>/dev/null && break; sleep 0.01; done
mock_port=$(awk '{ print $NF }' "$work/mock.out")
mock_port=${mock_port##*:}
mock_url=http://127.0.0.1:$mock_port
say "mock at $mock_url; $pools pools ($mix), interval $interval s"
out pool_count "$pools"
out interval_s "$interval"

# --- the empty service, for RSS per pool
mkdir -p "$work/empty"
bash "$here/write-pools.sh" "$work/empty" "$mock_port" 0 "$interval" "$mix"
start_service "$work/empty" "$work/empty.log"
wait_ready
sleep 1
empty_rss_kb=$(status_kb "$svc_pid" VmRSS)
stop_service
out empty_rss_kb "$empty_rss_kb"

# --- generate the configs
t=$(now_ns)
bash "$here/write-pools.sh" "$work/config" "$mock_port" "$pools" "$interval" "$mix"
say "wrote $pools pool files in $(ms_since "$t") ms"

# --- start-up
t0=$(now_ns)
start_service "$work/config" "$work/service.log"
wait_ready
ready_ms=$(ms_since "$t0")
out ready_ms "$ready_ms"
# CPU the service spent until ready: unlike the wall time, not stretched by other load.
out ready_cpu_s "$(cpu_s "$svc_pid")"
say "ready after $ready_ms ms"
fresh_ms=
deadline=$(($(date +%s) + fresh_timeout))
while [ "$(date +%s)" -lt "$deadline" ]; do
  metrics
  n=$(fresh_count)
  if [ "$n" -ge "$pools" ]; then fresh_ms=$(ms_since "$t0"); break; fi
  sleep 1
done
out fresh_ms "${fresh_ms:-timeout}"
out fresh_pools "$n"
say "fresh: $n of $pools after ${fresh_ms:-timeout} ms"

# --- steady state
# A pool's second poll stretches its first poll's phase over the interval (pool actor), so the
# polls come evenly, as they will from then on, once two intervals have passed since the start.
settle_ms=$((2 * interval * 1000 - $(ms_since "$t0")))
if [ "$settle_ms" -gt 0 ]; then
  say "settling: $settle_ms ms until every pool has made its second poll"
  sleep "$(awk -v m="$settle_ms" 'BEGIN { printf "%.3f", m / 1000 }')"
fi
curl -s -XPOST "$mock_url/_stats/reset" >/dev/null
metrics
polls0=$(polls_sum)
cpu0=$(cpu_exact_s "$svc_pid")
ticks0=$(cpu_s "$svc_pid")
t=$(now_ns)
rss_log=$work/rss.txt
: >"$rss_log"
for ((left = steady; left > 0; left -= 5)); do
  status_kb "$svc_pid" VmRSS >>"$rss_log"
  sleep $((left < 5 ? left : 5))
done
cpu1=$(cpu_exact_s "$svc_pid")
ticks1=$(cpu_s "$svc_pid")
elapsed_ms=$(ms_since "$t")
metrics
polls1=$(polls_sum)
curl -s "$mock_url/_stats" >"$work/upstream.json"
rss_kb=$(status_kb "$svc_pid" VmRSS)
out steady_s "$(awk -v m="$elapsed_ms" 'BEGIN { printf "%.1f", m / 1000 }')"
out polls "$((polls1 - polls0))"
steady_lines=$(awk -v p=$((polls1 - polls0)) -v c0="$cpu0" -v c1="$cpu1" -v m="$elapsed_ms" \
  -v t0="$ticks0" -v t1="$ticks1" 'BEGIN {
    s = m / 1000; c = c1 - c0
    printf "polls_per_s=%.1f\n", p / s
    printf "cpu_s=%.3f\ncpu_cores=%.4f\n", c, c / s
    printf "cpu_s_per_1000_polls=%s\n", (p > 0 ? sprintf("%.4f", c / p * 1000) : "n/a")
    printf "cpu_ticks_s_per_1000_polls=%s\n", (p > 0 ? sprintf("%.4f", (t1 - t0) / p * 1000) : "n/a")
  }')
echo "$steady_lines"
ours_per_1000=$(sed -n 's/^cpu_s_per_1000_polls=//p' <<<"$steady_lines")
out rss_kb "$rss_kb"
out peak_rss_kb "$(status_kb "$svc_pid" VmHWM)"
out rss_per_pool_kb "$(awk -v r="$rss_kb" -v e="$empty_rss_kb" -v n="$pools" \
  'BEGIN { printf "%.1f", (r - e) / n }')"
out rss_min_max_kb "$(sort -n "$rss_log" | sed -n '1p;$p' | paste -sd/)"
# Upstream requests per interval, per endpoint kind (the mock counts what it received).
jq -r --argjson s "$elapsed_ms" --argjson iv "$interval" \
  '.by_endpoint | to_entries[] | select(.value > 0)
   | "upstream_per_interval.\(.key)=\(.value * $iv * 1000 / $s | . * 10 | round / 10)"' \
  "$work/upstream.json"
upstream_total=$(jq .total "$work/upstream.json")
out upstream_total "$upstream_total"

# --- the floor: the same exchanges at the same rate from a bare epoll client (poll_floor), on
# the mock's Solopool DGB account path, each 1 s tick's sends together as the service's
# --timer-slack-ms groups its polls. Connections: 4 for the dgb set (its one origin's limit),
# else a tick's worth (the mixed set spreads over many origins, so a tick's polls leave at once).
if [ "$floor_s" -gt 0 ] && [ "$upstream_total" -gt 0 ]; then
  rate=$(awk -v u="$upstream_total" -v m="$elapsed_ms" 'BEGIN { printf "%.2f", u / (m / 1000) }')
  conns=$(awk -v r="$rate" -v mix="$mix" 'BEGIN {
    c = mix == "dgb" ? 4 : int(r + 0.999); print (c < 4 ? 4 : (c > 512 ? 512 : c)) }')
  say "floor: $rate exchanges/s over $conns connections for $floor_s s"
  "$floor_bin" --connect "127.0.1.1:$mock_port" --host "127.0.1.1:$mock_port" \
    --path /solopool/dgb/api/accounts/bench-wallet- --wallets "$pools" --rate "$rate" \
    --conns "$conns" --seconds "$floor_s" --tick-ms 1000 >"$work/floor.txt"
  cat "$work/floor.txt"
  out floor_rate "$rate"
  out floor_conns "$conns"
  # Exchanges per poll: the mixed set's drivers ask one to two uncached GETs per poll.
  awk -F= -v u="$upstream_total" -v p=$((polls1 - polls0)) -v ours="$ours_per_1000" '
    $1 == "floor_us_per_exchange" { us = $2 }
    END {
      if (p == 0) exit
      per_poll = u / p; floor = us * per_poll / 1000
      printf "upstream_per_poll=%.2f\nfloor_s_per_1000_polls=%.4f\n", per_poll, floor
      printf "cpu_over_floor=%s\n", (floor > 0 ? sprintf("%.2f", ours / floor) : "n/a")
    }' "$work/floor.txt"
fi

# --- the API under load, next to nginx serving the same bytes
if [ "$wrk_s" -gt 0 ]; then
  first=$(printf 'bench-%05d' 0)
  mkdir -p "$work/www"
  declare -A paths=([pools]="/api/dashboard/pools" [pool]="/api/dashboard/pools?pool_id=$first"
    [templates]="/api/pool-templates")
  for k in "${!paths[@]}"; do curl -s "$svc_url${paths[$k]}" >"$work/www/$k.json"; done
  nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  sed -e "s|@WORK@|$work|g" -e "s|@PORT@|$nginx_port|" "$here/nginx.conf.in" >"$work/nginx.conf"
  nginx -c "$work/nginx.conf" -p "$work" -e "$work/nginx.err" &
  pids+=($!)
  sleep 0.5
  # wrk: requests/s and the p50/p99 latency in ms.
  wrk_run() {
    wrk -t2 -c64 -d"${wrk_s}s" --latency "$1" 2>&1 | awk -v p="$2" '
      function ms(v) {
        if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000
        return v }
      /^ +50%/ { print p "_p50_ms=" ms($2) } /^ +99%/ { print p "_p99_ms=" ms($2) }
      /^Requests\/sec/ { print p "_rps=" $2 }
      /Non-2xx/ { print p "_non2xx=" $NF }'
  }
  # A figure measured on error answers is worthless: either side answering non-2xx stops the run.
  wrk_checked() {
    local lines
    lines=$(wrk_run "$1" "$2")
    echo "$lines"
    if grep -q _non2xx <<<"$lines"; then
      echo "$2: non-2xx answers from $1 (see $work/nginx.err)" >&2
      exit 1
    fi
  }
  for k in pool templates pools; do
    out "bytes_$k" "$(stat -c %s "$work/www/$k.json")"
    wrk_checked "$svc_url${paths[$k]}" "mc_$k"
    wrk_checked "http://127.0.0.1:$nginx_port/$k.json" "nginx_$k"
  done
fi
out load_avg "$(cut -d' ' -f1-3 /proc/loadavg)"
stop_service
