#!/usr/bin/env bash
# Smoke run of the benchmark harness (bench/scenario.sh) at 10 pools for a few seconds, so the
# harness cannot rot: every number it reports must be there and sane. Timings are never judged.
# Usage: harness_smoke_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d /tmp/mc-bench-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT
bash "$src/bench/scenario.sh" --build "$build" --work "$work" --pools 10 --interval 5 \
  --steady 6 --latency-ms 5 --jitter-ms 2 --fresh-timeout 30 >"$work/out.txt"
cat "$work/out.txt"
v() { awk -F= -v k="$1" '$1 == k { print $2 }' "$work/out.txt"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(v pool_count)" = 10 ] || fail "pool_count"
[ "$(v fresh_pools)" = 10 ] || fail "not every pool polled successfully: $(v fresh_pools)"
[[ "$(v ready_ms)" =~ ^[0-9]+$ ]] || fail "ready_ms"
[[ "$(v fresh_ms)" =~ ^[0-9]+$ ]] || fail "fresh_ms"
[ "$(v polls)" -gt 0 ] || fail "no polls in the steady phase"
[[ "$(v cpu_s_per_1000_polls)" =~ ^[0-9.]+$ ]] || fail "cpu_s_per_1000_polls"
[ "$(v peak_rss_kb)" -gt 0 ] || fail "peak_rss_kb"
[ "$(v empty_rss_kb)" -gt 0 ] || fail "empty_rss_kb"
[ "$(v upstream_total)" -gt 0 ] || fail "the mock saw no request"
# The floor: poll_floor made the same exchanges, all answered 200, and the ratio is reported.
[ "$(v floor_exchanges)" -gt 0 ] || fail "floor_exchanges"
[ "$(v floor_not_200)" = 0 ] || fail "floor_not_200: $(v floor_not_200)"
[[ "$(v floor_s_per_1000_polls)" =~ ^[0-9.]+$ ]] || fail "floor_s_per_1000_polls"
[[ "$(v cpu_over_floor)" =~ ^[0-9.]+$ ]] || fail "cpu_over_floor"
# The mixed set runs every bundled driver: each API's endpoints were asked.
for kind in solopool/stats solopool/account braiins/profile mmfp/pool ckpool/status; do
  [ -n "$(v "upstream_per_interval.$kind")" ] || fail "no $kind request"
done
echo "harness smoke run OK"
