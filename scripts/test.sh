#!/usr/bin/env bash
# Runs every test: installs dependencies, builds the ASan+UBSan and the TSan configurations and
# runs the whole CTest suite under each, then the web UI's tests in Chromium against the ASan
# build (scripts/ci-web.sh), every fuzz target for a bounded time (scripts/ci-fuzz.sh) and a
# 2-minute soak (scripts/ci-soak.sh). Other configurations on request, without those stages:
#   bash scripts/test.sh release asan
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
jobs=$(nproc)

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(asan tsan)

status=0
for preset in "${presets[@]}"; do
  echo "=== build: $preset"
  [ "$preset" != tsan ] || bash scripts/build-caf-tsan.sh
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "=== test: $preset"
  if [ "$preset" = asan ] || [ "$preset" = tsan ]; then
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$PWD/test/ubsan.supp"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
    export LSAN_OPTIONS="suppressions=$PWD/test/lsan.supp"
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/test/tsan.supp"
  fi
  ctest --preset "$preset" -j "$jobs" || status=1
done
if [ $# -eq 0 ]; then
  bash scripts/ci-web.sh build/asan || status=1
  bash scripts/ci-fuzz.sh || status=1
  bash scripts/ci-soak.sh || status=1
fi
exit $status
