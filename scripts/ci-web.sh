#!/usr/bin/env bash
# CI stage for the web UI: build, component tests (Vitest), end-to-end tests (Playwright driving
# Debian's Chromium) against the service and the mock pool of the asan build.
# Takes about 1.5 min here on 2 cores (npm ci from a warm cache, Vite build, Vitest, ~45 s of
# e2e); a fresh machine adds the chromium install and ~170 npm packages downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build/asan}
# MC_SCREENSHOTS=DIR also saves a screenshot of each page there (docs/screenshots).
if [ -n "${MC_SCREENSHOTS:-}" ]; then export MC_SCREENSHOTS="$(realpath -m "$MC_SCREENSHOTS")"; fi

if ! command -v chromium >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "ci-web: installing chromium"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
fi

echo "=== web: build"
timeout 900 bash scripts/build-web.sh
cd web
echo "=== web: vitest"
timeout 600 npx vitest run
echo "=== web: e2e (chromium)"
export MC_BIN="$root/$build/app/miner-controller" MC_MOCK="$root/$build/bench/mock_pool"
export MC_BUNDLED="$root/$build/bundled" CHROMIUM=${CHROMIUM:-$(command -v chromium)}
timeout 600 npm run --silent e2e
