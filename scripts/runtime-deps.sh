#!/usr/bin/env bash
# Prints the Debian 12 packages an installed miner-controller needs at run time, one a line.
# The Dockerfile's runtime stage installs exactly these (checked by
# scripts/check-runtime-deps.sh, which also re-derives them: `ldd` on bin/miner-controller and
# every bundled driver plugin, `dpkg -S` on each library it resolves).
#
#   libc6 libgcc-s1 libstdc++6   C and C++ runtime (already in debian:12-slim)
#   libssl3                      libssl.so.3, libcrypto.so.3 (HTTPS client)
#   libboost-json1.81.0          libboost_json.so.1.81.0 (program and plugins)
#   libcaf-core0.17              libcaf_core.so.0.17.6 (actors)
#   libyaml-cpp0.7               libyaml-cpp.so.0.7 (config files)
#   libtcmalloc-minimal4         libtcmalloc_minimal.so.4 (the release build's allocator, MC_TCMALLOC)
#   ca-certificates              not linked: the system CA store the HTTPS client verifies with
set -euo pipefail
printf '%s\n' \
  ca-certificates \
  libboost-json1.81.0 \
  libc6 \
  libcaf-core0.17 \
  libgcc-s1 \
  libssl3 \
  libstdc++6 \
  libtcmalloc-minimal4 \
  libyaml-cpp0.7
