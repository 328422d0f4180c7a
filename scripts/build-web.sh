#!/usr/bin/env bash
# Builds the web UI (web/, React + Vite) into web/dist, which the service serves under /app/.
# Installs Node.js and npm from Debian if they are missing (bookworm's Node 18 is enough).
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "build-web: installing nodejs npm"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
fi

# npm ci reinstalls from the lock file; skip it when node_modules already matches the lock.
if ! cmp -s package-lock.json node_modules/.package-lock.json 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
echo "build-web: web/dist built"
