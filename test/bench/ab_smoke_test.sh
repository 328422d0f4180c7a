#!/usr/bin/env bash
# Smoke run of bench/ab.sh: two copies of the service side by side at 10 pools for one short
# window, so the A/B harness cannot rot: each must report its CPU and switches per poll, their
# ratio, and its tiles' latency. Timings are never judged.
# Usage: ab_smoke_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
service=$build/app/miner-controller
out=$(bash "$src/bench/ab.sh" --build "$build" --pools 10 --mix mixed --interval 5 --warmup 7 \
  --windows 1 --window 8 --a "$service" --b "$service --poll-gather-ms 0")
echo "$out"
re='^window 1: A [0-9.]+ ms/poll [0-9.]+ switches/poll \| B [0-9.]+ ms/poll [0-9.]+ switches/poll \| B/A [0-9.]+$'
grep -Eq "$re" <<<"$out" || { echo "FAIL: no A/B line" >&2; exit 1; }
for v in A B; do
  lat="^$v latency_ms over 10 tiles: mean [0-9]+, median [0-9]+, p90 [0-9]+, max [0-9]+$"
  grep -Eq "$lat" <<<"$out" || { echo "FAIL: no latency line for $v" >&2; exit 1; }
done
echo "ab smoke run OK"
