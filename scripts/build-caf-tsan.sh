#!/usr/bin/env bash
# Builds CAF 0.17.6's core library with ThreadSanitizer into build/caf-tsan (the tsan preset
# links it instead of Debian's libcaf_core). Debian's library is not instrumented: TSan then
# cannot see the mailbox's synchronisation and reports a race on every message an actor gets.
# Same version and build options as Debian's package, so the installed headers match.
set -euo pipefail
cd "$(dirname "$0")/.."

out=$PWD/build/caf-tsan
lib=$out/lib/libcaf_core.so
[ -e "$lib" ] && { echo "caf-tsan: $lib present"; exit 0; }

version=0.17.6
sha=e2bf5bd243f08bb7d8adde197cfe3e6d71314ed3378fe0692f8932f4c3b3928c
src=$out/src
mkdir -p "$src"
tarball=$src/actor-framework_$version.orig.tar.gz
if [ ! -e "$tarball" ]; then
  command -v curl >/dev/null || {
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends curl
  }
  curl -sSfL -o "$tarball" \
    "https://deb.debian.org/debian/pool/main/a/actor-framework/actor-framework_$version.orig.tar.gz"
fi
echo "$sha  $tarball" | sha256sum -c --quiet
tar xzf "$tarball" -C "$src"
cmake -S "$src/actor-framework-$version" -B "$out/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
  -DCAF_LOG_LEVEL=QUIET -DCAF_NO_IO=yes -DCAF_NO_EXAMPLES=yes -DCAF_NO_UNIT_TESTS=yes \
  -DCAF_NO_OPENSSL=yes -DCAF_NO_OPENCL=yes -DCAF_NO_TOOLS=yes -DCAF_NO_PYTHON=yes \
  -DCAF_NO_SUMMARY=yes >/dev/null
cmake --build "$out/build" -j "$(nproc)" --target libcaf_core_shared
mkdir -p "$out/lib"
cp -P "$out/build"/lib/libcaf_core.so* "$out/lib/"
echo "caf-tsan: $lib"
