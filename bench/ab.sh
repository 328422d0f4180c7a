#!/usr/bin/env bash
# A/B of two service variants measured side by side: both poll N generated pools of one mock at
# the same time, and each window (30 s) gives each one's CPU per poll (threads' run time from
# schedstat, polls from /metrics) and voluntary context switches per poll. On a machine whose
# speed drifts by up to 50 % between runs minutes apart (bench/RESULTS.md), runs one after the
# other cannot settle a 10 % change; the drift hits two services running at once alike, so
# their ratio B/A per window can. At the end, each variant's tiles' latency_ms (what a user
# sees of our queue: the wait behind an origin's in-flight limit and the gather pause counts).
#
#   bench/ab.sh [--pools N] [--mix mixed|dgb] [--interval S] [--windows K] [--window S]
#               [--warmup S] [--build DIR] --a "BINARY [ARGS...]" --b "BINARY [ARGS...]"
#
# e.g. bench/ab.sh --mix dgb --a "build/release/app/miner-controller --poll-gather-ms 10" \
#                            --b "build/release/app/miner-controller --poll-gather-ms 30"
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$here/../build/release
pools=1000 mix=dgb interval=30 windows=3 window=30 warmup=40 cmd_a='' cmd_b=''
while [ $# -gt 0 ]; do
  case $1 in
    --pools) pools=$2 ;;
    --mix) mix=$2 ;;
    --interval) interval=$2 ;;
    --windows) windows=$2 ;;
    --window) window=$2 ;;
    --build) build=$2 ;;
    --warmup) warmup=$2 ;;
    --a) cmd_a=$2 ;;
    --b) cmd_b=$2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift 2
done
if [ -z "$cmd_a" ] || [ -z "$cmd_b" ]; then echo "--a and --b are required" >&2; exit 2; fi
work=$(mktemp -d /tmp/mc-ab.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$build/bench/mock_pool" --listen 0.0.0.0:0 --latency-ms 50 --jitter-ms 20 >"$work/mock.out" &
pids+=($!)
for _ in $(seq 500); do grep -q listening "$work/mock.out" 2>/dev/null && break; sleep 0.01; done
mock_port=$(awk '{ print $NF }' "$work/mock.out")
mock_port=${mock_port##*:}

# A binary copied out of the build tree (the "before" of a change) finds no bundled drivers
# beside it: both get this build's, unless a command names its own (--bundled DIR).
bundled=()
[ -d "$build/bundled" ] && bundled=(--bundled "$build/bundled")
declare -A pid url
for v in a b; do
  mkdir -p "$work/$v"
  bash "$here/write-pools.sh" "$work/$v" "$mock_port" "$pools" "$interval" "$mix" >/dev/null
  cmd=cmd_$v
  # A variant that brings its own --bundled (another driver ABI) keeps it.
  own=("${bundled[@]}")
  [[ " ${!cmd} " == *" --bundled "* ]] && own=()
  # shellcheck disable=SC2086  # the command's words are meant to split
  ${!cmd} --config "$work/$v" --listen 127.0.0.1:0 "${own[@]}" 2>"$work/$v.log" &
  pid[$v]=$!
  pids+=("${pid[$v]}")
done
for v in a b; do
  for _ in $(seq 1000); do
    line=$(grep -m1 -o 'Listening on http://[0-9.:]*' "$work/$v.log" || true)
    [ -n "$line" ] && break
    sleep 0.01
  done
  [ -n "$line" ] || { cat "$work/$v.log" >&2; exit 1; }
  url[$v]=${line#Listening on }
done
echo "[ab] $pools pools ($mix) each; A: $cmd_a; B: $cmd_b; warm-up $warmup s" >&2
sleep "$warmup"

polls() { curl -s "${url[$1]}/metrics" | awk '/^mc_pool_polls_total\{/ { s += $2 } END { printf "%d", s }'; }
cpu_us() { cat /proc/"${pid[$1]}"/task/*/schedstat | awk '{ s += $1 } END { printf "%d", s / 1000 }'; }
switches() { cat /proc/"${pid[$1]}"/task/*/status | awk '/^voluntary_ctxt/ { s += $2 } END { print s }'; }
# A window's CPU must not hold the /metrics scrapes that count its polls (a 1 000-pool scrape
# was ~6 % of a window's instructions): at its start the scrape comes before the CPU is read,
# at its end after. The polls then bracket a few milliseconds more than the CPU, of 30 s.
opening() { local p; p=$(polls "$1"); echo "$p $(cpu_us "$1") $(switches "$1")"; }
closing() { local c v; c=$(cpu_us "$1"); v=$(switches "$1"); echo "$(polls "$1") $c $v"; }

for w in $(seq "$windows"); do
  read -r pa0 ca0 va0 <<<"$(opening a)"
  read -r pb0 cb0 vb0 <<<"$(opening b)"
  sleep "$window"
  read -r pa1 ca1 va1 <<<"$(closing a)"
  read -r pb1 cb1 vb1 <<<"$(closing b)"
  awk -v w="$w" -v pa=$((pa1 - pa0)) -v ca=$((ca1 - ca0)) -v va=$((va1 - va0)) \
    -v pb=$((pb1 - pb0)) -v cb=$((cb1 - cb0)) -v vb=$((vb1 - vb0)) 'BEGIN {
      if (pa == 0 || pb == 0) { print "window " w ": no polls"; exit }
      printf "window %d: A %.3f ms/poll %.2f switches/poll | B %.3f ms/poll %.2f switches/poll | B/A %.2f\n",
        w, ca / 1000 / pa, va / pa, cb / 1000 / pb, vb / pb, (cb / pb) / (ca / pa) }'
done

# Every tile's latency_ms: mean, median, p90, max (ms).
for v in a b; do
  curl -s "${url[$v]}/api/dashboard/pools" |
    jq -r --arg v "${v^^}" '[.[] | .tile_1_health.latency_ms | numbers] | sort |
      if length == 0 then "\($v) latency_ms: no tiles" else
      "\($v) latency_ms over \(length) tiles: mean \(add / length | round), median \(.[length / 2 | floor] | round), p90 \(.[length * 0.9 | floor] | round), max \(.[-1] | round)" end'
done
