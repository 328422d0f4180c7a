#!/usr/bin/env bash
# Installs everything miner-controller needs to build and test on Debian 12 (bookworm).
# Boost comes as the 1.81 packages; the unversioned libboost-*-dev (1.74) must not be mixed in.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates openssl
  libcaf-dev
  libboost1.81-dev libboost-json1.81-dev libboost-test1.81-dev libboost-system1.81-dev
  libyaml-cpp-dev libssl-dev
  libgoogle-perftools-dev    # tcmalloc_minimal, the release build's allocator (MC_TCMALLOC)
  libbenchmark-dev curl jq   # bench/: micro-benchmarks, the harness (its smoke test runs in CI)
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
