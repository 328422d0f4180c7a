#!/usr/bin/env bash
# CI stage: builds the libFuzzer targets with clang-14 and runs each briefly (FUZZ_SECONDS,
# default 30 s, two at a time; 0 skips the stage); a crash fails the stage. Build and runs
# take about 5 minutes on 2 cores (docs/reliability/fuzzing.md). Longer: scripts/fuzz.sh 600.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${FUZZ_SECONDS:-30}" = 0 ]; then
  echo "=== fuzz: skipped (FUZZ_SECONDS=0)"
  exit 0
fi

packages=(clang-14 libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

start=$(date +%s)
# A fixed seed: every CI run walks the same inputs, so its verdict on a commit is repeatable
# (a new finding comes from a changed target or code, not from luck). Long runs
# (scripts/fuzz.sh) pick fresh seeds and keep their corpus.
FUZZ_SEED=${FUZZ_SEED:-1} bash scripts/fuzz.sh "${FUZZ_SECONDS:-30}"
echo "=== fuzz stage took $(($(date +%s) - start)) s"
