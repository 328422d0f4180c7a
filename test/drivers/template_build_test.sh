#!/usr/bin/env bash
# Proves docs/writing-a-driver.md: builds the TEMPLATE driver out of tree with exactly the
# documented commands, into DIR.
set -euo pipefail
src=$1 out=$2
rm -rf "$out"
cmake -S "$src/drivers/TEMPLATE" -B "$out" -DMC_SDK_DIR="$src/drivers/sdk" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$out" >/dev/null
test -f "$out/example_driver.so"
