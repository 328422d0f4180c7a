#!/usr/bin/env bash
# Soak: the service polls POOLS MMFP pools on the mock pool server for MINUTES, 10 % of them
# faulty (connection refused, 500, 429, upstream slower than the request timeout), under API load
# (wrk on one pool's tile, a loop reading the whole dashboard, the pools and the metrics every
# second, a reload and a pool edit every ~30 s). Samples RSS, open fds, threads
# and running actors every minute; fails when fds or actors grow, RSS grows beyond the bound
# after warm-up, the service stops answering or does not exit 0 on SIGTERM.
#
#   scripts/soak.sh [MINUTES=30] [POOLS=1000]
#   MC_SOAK_BUILD=build/release (default; CI uses build/asan)
#   MC_SOAK_RSS_GROWTH_MB=64    allowed RSS growth from the first sample after warm-up to the end
#   MC_SOAK_WRK_CONNECTIONS=2  wrk's connections (it runs flat out: more is more CPU, not more rigour)
#   MC_SOAK_OUT=DIR             keep the config, logs and samples there (default: a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-30}
pools=${2:-1000}
build=${MC_SOAK_BUILD:-build/release}
rss_bound_mb=${MC_SOAK_RSS_GROWTH_MB:-64}
warmup_s=${MC_SOAK_WARMUP_S:-45}
out=${MC_SOAK_OUT:-$(mktemp -d /tmp/mc-soak.XXXXXX)}
mkdir -p "$out"
for f in app/miner-controller bench/mock_pool bundled/drivers/mmfp_driver.so; do
  [ -e "$build/$f" ] || { echo "soak: $build/$f missing (cmake --build --preset release)"; exit 2; }
done

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# GET/POST over bash's /dev/tcp (no curl needed): prints the body; fails on no answer.
http() {  # http METHOD PATH [BODY]
  local body=${3:-}
  exec 9<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf '%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
    "$1" "$2" "$token" "${#body}" "$body" >&9
  timeout 10 cat <&9 | sed '1,/^\r$/d'
  exec 9<&-
}

port_of() {  # port_of LOGFILE PATTERN: waits for the line, prints the port
  for _ in $(seq 200); do
    local line
    line=$(grep -m1 "$2" "$1" 2>/dev/null || true)
    [ -n "$line" ] && { echo "$line" | sed -E 's/.*:([0-9]+).*/\1/'; return 0; }
    sleep 0.1
  done
  echo "soak: no '$2' in $1" >&2
  return 1
}

# Upstreams: a healthy mock, and one slower than any request timeout.
"$build/bench/mock_pool" --listen 127.0.0.1:0 --threads 2 >"$out/mock.log" 2>&1 &
pids+=($!)
"$build/bench/mock_pool" --listen 127.0.0.1:0 --latency-ms 60000 >"$out/slow-mock.log" 2>&1 &
pids+=($!)
mock=$(port_of "$out/mock.log" "listening on")
slow=$(port_of "$out/slow-mock.log" "listening on")

# The config: POOLS mmfp pools; every tenth is faulty, in turn refused, 500, 429, too slow.
token="soak-token-SECRET-$(date +%s)"
cfg="$out/config"
rm -rf "$cfg"
mkdir -p "$cfg/drivers" "$cfg/pools"
cp "$build/bundled/drivers/mmfp_driver.so" "$cfg/drivers/"
printf 'server:\n  api_token: %s\n' "$token" >"$cfg/config.yaml"
fail_paths=""
faulty=0
for i in $(seq 0 $((pools - 1))); do
  base="http://127.0.0.1:$mock/mmfp/p$i"
  if [ $((i % 10)) -eq 0 ]; then
    faulty=$((faulty + 1))
    case $(((i / 10) % 4)) in
      0) base="http://127.0.0.1:1/mmfp/p$i" ;;  # nothing listens on port 1
      1) fail_paths+="\"/mmfp/p$i/api/v1/health\": {\"status\": 500}," ;;
      2) fail_paths+="\"/mmfp/p$i/api/v1/health\": {\"status\": 429}," ;;
      3) base="http://127.0.0.1:$slow/mmfp/p$i" ;;
    esac
  fi
  printf 'driver: mmfp\ndisplay_name: Soak %d\nurl: 127.0.0.1\nport: 3333\ncoin: BCH\npoll_interval_s: 10\napi_base_url: %s\n' \
    "$i" "$base" >"$cfg/pools/soak-$i.yaml"
done
body="{\"fail_paths\": {${fail_paths%,}}}"
exec 9<>"/dev/tcp/127.0.0.1/$mock"
printf 'POST /_control HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
  "${#body}" "$body" >&9
timeout 10 cat <&9 | head -1 | grep -q " 200 " || { echo "soak: mock /_control refused the faults"; exit 1; }
exec 9<&-

"$build/app/miner-controller" --config "$cfg" --listen 127.0.0.1:0 --bundled "$build/bundled" \
  >"$out/service.log" 2>&1 &
svc=$!
pids+=($svc)
port=$(port_of "$out/service.log" "Listening on http://")
echo "soak: $pools pools ($faulty faulty), $minutes min, service pid $svc on :$port, out $out"

# API load for the whole run, once every pool is in the snapshot (before, reads are 503 or 404).
for _ in $(seq 600); do
  [ "$(http GET "/api/dashboard/pools?pool_id=soak-$((pools - 1))" | head -c 11 || true)" = '{"pool_id":' ] &&
    break
  sleep 0.2
done
end=$((SECONDS + minutes * 60))
if command -v wrk >/dev/null; then
  wrk -t1 -c"${MC_SOAK_WRK_CONNECTIONS:-2}" -d"$((minutes * 60))s" --latency \
    "http://127.0.0.1:$port/api/dashboard/pools?pool_id=soak-1" \
    >"$out/wrk.txt" 2>&1 &
  pids+=($!)
else
  echo "soak: wrk not installed, dashboard load from a bash loop instead"
  (while [ $SECONDS -lt $end ]; do http GET /api/dashboard/pools >/dev/null || true; done) &
  pids+=($!)
fi
(
  n=0
  while [ $SECONDS -lt $end ]; do
    http GET /api/dashboard/pools >/dev/null || true
    http GET /metrics >/dev/null || true
    http GET /api/pools >/dev/null || true
    n=$((n + 1))
    # Every ~30 s a reload and an edit that restarts one pool's actor.
    if [ $((n % 30)) -eq 0 ]; then
      http POST /api/reload '{}' >/dev/null || true
      http PUT /api/pools/soak-1 "{\"display_name\": \"Soak 1 edit $n\"}" >/dev/null || true
    fi
    sleep 1
  done
) &
pids+=($!)

sample() {  # prints: seconds rss_kb fds threads actors open_connections
  local rss fds thr actors conns metrics
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$svc/status")
  thr=$(awk '/^Threads:/ {print $2}' "/proc/$svc/status")
  fds=$(ls "/proc/$svc/fd" | wc -l)
  metrics=$(http GET /metrics || true)
  actors=$(echo "$metrics" | awk '/^mc_actors_running / {print $2}')
  conns=$(echo "$metrics" | awk '/^mc_http_open_connections / {print $2}')
  echo "$SECONDS ${rss:-0} $fds ${thr:-0} ${actors:--} ${conns:--}"
}

echo "# seconds rss_kb fds threads actors http_open_connections" >"$out/samples.txt"
t0=$SECONDS
sleep "$warmup_s"
first=$(sample)
echo "$first" | tee -a "$out/samples.txt"
while [ $SECONDS -lt $end ]; do
  sleep $((end - SECONDS < 60 ? (end - SECONDS > 0 ? end - SECONDS : 1) : 60))
  kill -0 "$svc" 2>/dev/null || { echo "soak: the service died"; tail -20 "$out/service.log"; exit 1; }
  sample | tee -a "$out/samples.txt"
done
last=$(tail -1 "$out/samples.txt")
http GET /api/dashboard/pools >"$out/dashboard-end.json" || true
dash=$(head -c 1 "$out/dashboard-end.json")

read -r _ rss0 fds0 _ act0 _ <<<"$first"
read -r _ rss1 fds1 _ act1 _ <<<"$last"
kill -TERM "$svc"
code=0
wait "$svc" || code=$?
sleep 1  # wrk's summary
unhealthy=$(grep -o '"health_status":false' "$out/dashboard-end.json" | wc -l || true)
echo "soak: at the end $unhealthy of $pools pools unhealthy ($faulty faulty upstreams)"
echo "soak: start RSS ${rss0} kB, fds $fds0, actors $act0; end RSS ${rss1} kB, fds $fds1, actors $act1; exit $code"
[ -f "$out/wrk.txt" ] && grep -E "Requests/sec|99%|requests in|Non-2xx|Socket errors" "$out/wrk.txt" || true

fail=0
# fds: the load's connections and upstream sockets in flight come and go; a leak grows past this.
[ "$fds1" -le $((fds0 + fds0 / 10 + 16)) ] || { echo "soak: FAIL fds grew $fds0 -> $fds1"; fail=1; }
[ "$act0" = "-" ] || [ "$act1" -le "$act0" ] || { echo "soak: FAIL actors grew $act0 -> $act1"; fail=1; }
[ $((rss1 - rss0)) -le $((rss_bound_mb * 1024)) ] ||
  { echo "soak: FAIL RSS grew $(((rss1 - rss0) / 1024)) MB (bound $rss_bound_mb MB)"; fail=1; }
[ "$dash" = "{" ] ||
  { echo "soak: FAIL the dashboard did not answer at the end: $(head -c 200 "$out/dashboard-end.json")"; fail=1; }
[ "$code" -eq 0 ] || { echo "soak: FAIL exit code $code on SIGTERM"; fail=1; }
if grep -q "$token" "$out/service.log"; then echo "soak: FAIL the token is in the log"; fail=1; fi
if grep -qE "Sanitizer|runtime error" "$out/service.log"; then
  echo "soak: FAIL sanitizer report in $out/service.log"
  fail=1
fi
[ $fail -eq 0 ] && echo "soak: OK ($((SECONDS - t0)) s sampled after start)"
exit $fail
