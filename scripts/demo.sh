#!/usr/bin/env bash
# Builds miner-controller and runs it on a demo config whose pools poll the bundled mock pool
# server on loopback, so the dashboard is alive without internet.
#   UI:    http://127.0.0.1:8080/app/                  (MC_DEMO_LISTEN to change)
#   API:   http://127.0.0.1:8080/api/dashboard/pools
#   mock:  http://127.0.0.1:18081                      (MC_DEMO_MOCK_PORT to change)
# Ctrl-C stops both. The demo config lives in build/demo-config and survives restarts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
bash scripts/build-web.sh

bin=build/release
listen=${MC_DEMO_LISTEN:-127.0.0.1:8080}
demo=build/demo-config
mkdir -p "$demo/pools"

mock_port=${MC_DEMO_MOCK_PORT:-18081}
"$bin/bench/mock_pool" --listen "127.0.0.1:$mock_port" &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null || true' EXIT

# Pool files are written once; edits the user makes to them survive the next run.
bash bench/demo/write-demo-config.sh "$demo" "http://127.0.0.1:$mock_port"
echo "demo: open http://$listen/app/"
"$bin/app/miner-controller" --config "$demo" --listen "$listen"
