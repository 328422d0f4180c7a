#!/usr/bin/env bash
# Checks the container's runtime package list without Docker:
#  1. installs the build into a temp prefix and runs `ldd` on the binary and every ELF file
#     installed with it (driver plugins): each library must resolve and belong (dpkg -S) to a
#     package printed by scripts/runtime-deps.sh;
#  2. every package of that list that no library needs must be a known non-library one;
#  3. the Dockerfile's runtime stage installs exactly that list, and its build stage gets its
#     build dependencies from scripts/install-deps.sh.
#   bash scripts/check-runtime-deps.sh build/release
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: check-runtime-deps.sh BUILD_DIR}
not_linked=(ca-certificates)  # listed on purpose, no ELF file links them

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null

status=0
bash "$src/scripts/runtime-deps.sh" >/dev/null || { echo "FAIL: scripts/runtime-deps.sh failed" >&2; exit 1; }
mapfile -t listed < <(bash "$src/scripts/runtime-deps.sh")
fail() {
  echo "FAIL: $*" >&2
  status=1
}
in_list() {
  local want=$1
  shift
  local p
  for p in "$@"; do [ "$p" = "$want" ] && return 0; done
  return 1
}
# The package owning a library; Debian 12 (merged /usr) records some under /lib, some under
# /usr/lib, so both spellings and the symlink's target are tried.
owner() {
  local lib=$1 candidate
  for candidate in "$lib" "$(readlink -f "$lib")" "/usr$lib" "${lib#/usr}"; do
    if dpkg -S "$candidate" >/dev/null 2>&1; then
      dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1
      return 0
    fi
  done
  return 1
}

# 1. every library of every installed ELF file
elf_files=()
while IFS= read -r -d '' f; do
  [ "$(head -c 4 "$f" | tail -c 3)" = "ELF" ] && elf_files+=("$f")
done < <(find "$prefix" -type f -print0)
[ ${#elf_files[@]} -ge 2 ] || fail "expected the binary and driver plugins under $prefix, found ${#elf_files[@]} ELF file(s)"
needed=()
for f in "${elf_files[@]}"; do
  rel=${f#"$prefix"/}
  out=$(ldd "$f") || fail "ldd $rel failed"
  if grep -q "not found" <<<"$out"; then
    fail "$rel: $(grep 'not found' <<<"$out" | tr -s ' \t' ' ')"
  fi
  while read -r lib; do
    pkg=$(owner "$lib") || {
      fail "$rel: $lib belongs to no Debian package"
      continue
    }
    in_list "$pkg" "${needed[@]}" || needed+=("$pkg")
    in_list "$pkg" "${listed[@]}" ||
      fail "$rel needs $lib from $pkg, which scripts/runtime-deps.sh does not list"
  done < <(awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' <<<"$out")
done

# 2. nothing listed without a reason
for pkg in "${listed[@]}"; do
  in_list "$pkg" "${needed[@]}" || in_list "$pkg" "${not_linked[@]}" ||
    fail "scripts/runtime-deps.sh lists $pkg, which no installed file links"
done

# 3. the Dockerfile
dockerfile=$src/Dockerfile
# The runtime stage (from `FROM ... AS runtime` to the next FROM), continuation lines joined.
runtime=$(awk '/^FROM /{on = ($0 ~ / AS runtime$/)} on' "$dockerfile" | sed -e ':a' -e '/\\$/{N;s/\\\n/ /;ba}')
[ -n "$runtime" ] || fail "Dockerfile has no 'FROM ... AS runtime' stage"
mapfile -t docker_pkgs < <(grep -o 'apt-get install[^&;]*' <<<"$runtime" | sed 's/^apt-get install//' |
  tr -s ' \t' '\n' | grep -v '^-' | grep -v '^$' | sort)
mapfile -t want < <(printf '%s\n' "${listed[@]}" | sort)
if [ "${docker_pkgs[*]}" != "${want[*]}" ]; then
  fail "Dockerfile runtime stage installs [${docker_pkgs[*]}], scripts/runtime-deps.sh prints [${want[*]}]"
fi
build_stage=$(awk '/^FROM /{on = ($0 ~ / AS build$/)} on' "$dockerfile")
grep -q 'bash scripts/install-deps.sh' <<<"$build_stage" ||
  fail "Dockerfile build stage does not run scripts/install-deps.sh"

if [ $status -eq 0 ]; then
  echo "runtime deps OK: ${#elf_files[@]} ELF files need [${needed[*]}]; Dockerfile installs [${want[*]}]"
fi
exit $status
