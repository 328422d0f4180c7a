#!/usr/bin/env bash
# The benchmark: runs bench/scenario.sh for 10, 1 000 and 10 000 generated pools (mixed drivers,
# 30 s interval; 5 s stress variants; 1 000 Solopool DGB pools for coalescing; the API under wrk
# next to nginx) and writes the table into bench/RESULTS.md between the run.sh markers.
#   bash bench/run.sh            # the whole set, ~20 min
#   bash bench/run.sh rss        # + the 10-minute RSS run (1 000 pools, 10 % upstream errors)
#   STEADY=20 WRK=5 bash bench/run.sh   # shorter
# Needs a release build (cmake --preset release && cmake --build --preset release), wrk,
# nginx-light, curl and jq.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
steady=${STEADY:-60}
wrk_s=${WRK:-10}
raw=${RAW_DIR:-$here/../build/bench-results}
mkdir -p "$raw"
results=$here/RESULTS.md

scenario() {  # NAME ARGS...: runs one scenario, its key=value lines go to $raw/NAME.txt
  local name=$1
  shift
  echo "=== $name: $*" >&2
  bash "$here/scenario.sh" --work "$raw/$name.work" "$@" >"$raw/$name.txt"
  cat "$raw/$name.txt" >&2
}
rm -rf "$raw"/*.work
scenario n10 --pools 10 --steady "$steady" --wrk "$wrk_s"
scenario n1000 --pools 1000 --steady "$steady" --wrk "$wrk_s"
scenario n10000 --pools 10000 --steady "$steady" --wrk "$wrk_s"
scenario dgb1000 --pools 1000 --mix dgb --steady "$steady"
scenario n1000s5 --pools 1000 --interval 5 --steady "$steady"
scenario n10000s5 --pools 10000 --interval 5 --steady "$steady"
[ "${1:-}" = rss ] && scenario rss1000 --pools 1000 --error-rate 0.1 --steady 600
rm -rf "$raw"/*.work

v() { awk -F= -v k="$2" '$1 == k { print $2 }' "$raw/$1.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "n/a" }'; }
kb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }

table() {
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
  echo "$(free -m | awk '/Mem:/ { print $2 " MB RAM" }'), $(. /etc/os-release; echo "$PRETTY_NAME")."
  echo "Run: \`STEADY=$steady WRK=$wrk_s bash bench/run.sh ${1:-}\` on $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "at commit $(git -C "$here" rev-parse --short HEAD); load average at the end of each"
  echo "scenario is in its row (other jobs shared the machine)."
  echo
  echo "| scenario | pools | ready (CPU s) | all fresh | polls/s | CPU s / 1000 polls | floor s / 1000 polls | ours / floor | cores | peak RSS | RSS / pool | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for s in n10 n1000 n10000 dgb1000 n1000s5 n10000s5 rss1000; do
    [ -f "$raw/$s.txt" ] || continue
    echo "| $s | $(v $s pool_count) ($(v $s interval_s) s) | $(v $s ready_ms) ms ($(v $s ready_cpu_s)) | $(v $s fresh_ms) ms | $(v $s polls_per_s) | $(v $s cpu_s_per_1000_polls) | $(v $s floor_s_per_1000_polls) | $(v $s cpu_over_floor) | $(v $s cpu_cores) | $(kb "$(v $s peak_rss_kb)") | $(v $s rss_per_pool_kb) KB | $(v $s load_avg) |"
  done
  echo
  echo "Floor: bench/floor/poll_floor after each steady window, the same upstream exchanges per"
  echo "second from a bare epoll client (no HTTP library, actor or driver), 1 s ticks as the"
  echo "service's timers; floor s / 1000 polls = its CPU per exchange × the scenario's exchanges"
  echo "per poll. The CPU columns move with the machine's speed; ours / floor, measured minutes"
  echo "apart on the same machine, moves far less."
  echo
  echo "Upstream requests per interval, as the mock counted them (per endpoint kind):"
  echo
  for s in n1000 n10000 dgb1000; do
    [ -f "$raw/$s.txt" ] || continue
    echo "- $s: $(grep '^upstream_per_interval' "$raw/$s.txt" | sed 's/upstream_per_interval.//' | paste -sd' ')"
  done
  echo
  echo "API under wrk (2 threads, 64 connections, ${wrk_s} s each; nginx serves the same bytes):"
  echo
  echo "| pools | endpoint | bytes | ours req/s | nginx req/s | ours / nginx | ours p50 / p99 ms | nginx p50 / p99 ms |"
  echo "|---|---|---|---|---|---|---|---|"
  for s in n10 n1000 n10000; do
    [ -f "$raw/$s.txt" ] || continue
    for e in pool templates pools; do
      [ -n "$(v $s mc_${e}_rps)" ] || continue
      echo "| ${s#n} | $e | $(v $s bytes_$e) | $(v $s mc_${e}_rps) | $(v $s nginx_${e}_rps) | $(ratio "$(v $s mc_${e}_rps)" "$(v $s nginx_${e}_rps)") | $(v $s mc_${e}_p50_ms) / $(v $s mc_${e}_p99_ms) | $(v $s nginx_${e}_p50_ms) / $(v $s nginx_${e}_p99_ms) |"
    done
  done
  if [ -f "$raw/rss1000.txt" ]; then
    echo
    echo "RSS over $(v rss1000 steady_s) s at 1 000 pools with 10 % upstream errors, sampled every 5 s: min/max $(v rss1000 rss_min_max_kb) KB."
  fi
}

body=$(table "$@")
begin='<!-- run.sh begin -->' end='<!-- run.sh end -->'
[ -f "$results" ] || printf '# Benchmark results\n\n%s\n%s\n' "$begin" "$end" >"$results"
awk -v b="$begin" -v e="$end" -v body="$body" '
  $0 == b { print; print body; skip = 1; next }
  $0 == e { skip = 0 }
  !skip { print }' "$results" >"$results.tmp"
mv "$results.tmp" "$results"
echo "wrote $results" >&2
