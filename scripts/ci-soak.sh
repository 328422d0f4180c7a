#!/usr/bin/env bash
# CI stage: a 2-minute soak (scripts/soak.sh) of the ASan+UBSan build at 1 000 pools, 10 % of
# them faulty, under API load. Needs build/asan (scripts/test.sh builds it first). The 30-minute
# run on a release build is documented in docs/reliability/sanitizers-abuse-secrets-soak.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk ||
    echo "ci-soak: wrk not installed, soak.sh falls back to a bash request loop"
fi
# A small quarantine: ASan's default (256 MB) would read as RSS growth.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:quarantine_size_mb=16"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$PWD/test/ubsan.supp"
export LSAN_OPTIONS="suppressions=$PWD/test/lsan.supp"
echo "=== soak: 2 min, 1000 pools (asan)"
MC_SOAK_BUILD=build/asan MC_SOAK_WARMUP_S=30 bash scripts/soak.sh 2 1000
