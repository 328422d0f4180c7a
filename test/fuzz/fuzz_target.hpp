// What every fuzz target in this folder is: one libFuzzer entry point, built twice — with
// clang and libFuzzer (preset `fuzz`, scripts/fuzz.sh) and with the normal compiler and
// replay_main.cpp, which feeds it the seeds and the kept regression inputs as a CTest test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace mc::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// An invariant of the code under test: a violation aborts, so the fuzzer keeps the input.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

}  // namespace mc::fuzz
