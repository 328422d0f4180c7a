#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`, clang-14) and runs each for a bounded time with
# its seeds, two at a time. Crash inputs land in build/fuzz/artifacts/<target>/; minimise one
# with `build/fuzz/test/fuzz/fuzz_<target> -minimize_crash=1 -runs=10000 <file>` and keep it
# in test/fuzz/regressions/<target>/ once fixed.
#   bash scripts/fuzz.sh                 # every target, 60 s each
#   bash scripts/fuzz.sh 600 router      # one target, 10 minutes
#   FUZZ_JOBS=1 bash scripts/fuzz.sh 30  # one at a time
#   FUZZ_SEED=1 bash scripts/fuzz.sh 30  # a fixed libFuzzer seed (what CI does)
# The corpus grows across runs in build/fuzz/corpus/<target>/. Prints one line per target:
# executions, seconds, corpus size, coverage and the result; exits 1 when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
parallel=${FUZZ_JOBS:-2}
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

bin=build/fuzz/test/fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$bin"/*.seeds; do targets+=("$(basename "$f" .seeds)"); done
fi

export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"

run_one() {
  local t=$1 corpus=build/fuzz/corpus/$1 art=build/fuzz/artifacts/$1/ log=build/fuzz/logs/$1.log
  mkdir -p "$corpus" "$art" build/fuzz/logs
  local seeds=()
  while read -r s; do [ -n "$s" ] && [ -e "$s" ] && seeds+=("$s"); done <"$bin/$t.seeds"
  for d in test/fuzz/seeds/$t test/fuzz/regressions/$t; do [ -d "$d" ] && seeds+=("$d"); done
  local rc=0 seed=()
  [ -z "${FUZZ_SEED:-}" ] || seed=(-seed="$FUZZ_SEED")
  "$bin/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "${seed[@]}" -artifact_prefix="$art" "$corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
  echo "$rc" >"$log.rc"
}

summary() {
  local t=$1 rc=$2 log=build/fuzz/logs/$1.log
  local execs secs corpus cov result=ok
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/.*Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  corpus=$(find "build/fuzz/corpus/$t" -type f | wc -l)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  if [ "$rc" -ne 0 ]; then
    result="CRASH ($(grep -m1 -o 'Test unit written to .*' "$log" || echo "see $log"))"
  fi
  printf '%-18s execs %-10s secs %-5s corpus %-6s cov %-6s %s\n' \
    "$t" "${execs:-?}" "${secs:-?}" "$corpus" "${cov:-?}" "$result"
}

running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
echo "=== fuzz: ${seconds} s per target, $parallel at a time"
status=0
for t in "${targets[@]}"; do
  rc=$(cat "build/fuzz/logs/$t.log.rc")
  summary "$t" "$rc"
  [ "$rc" -eq 0 ] || status=1
done
exit $status
