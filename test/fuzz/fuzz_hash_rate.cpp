// The hash-rate readers of the driver SDK: ckpool's SI text ("2.41T"), a number in a named
// unit and numeric strings. Whatever a pool sends, a rate is finite and not negative.
#include <cmath>
#include <miner_controller/driver_support.hpp>
#include <miner_controller/hash_rate.hpp>

#include "test/fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using mc::fuzz::require;
  const auto text = mc::fuzz::as_text(data, size);
  if (auto r = mc::hash_rate::from_si_text(text))
    require(std::isfinite(r->hs()) && r->hs() >= 0 && r->hs() <= 1e30, "SI text: 0..1e30 H/s");
  if (auto n = mc::support::number_from_text(text)) require(std::isfinite(*n), "finite number");
  // "<number> <unit>": the form of pools that report a value and its unit apart.
  const auto blank = text.find(' ');
  if (blank != std::string_view::npos) {
    if (auto n = mc::support::number_from_text(text.substr(0, blank))) {
      if (auto r = mc::hash_rate::from_unit(*n, text.substr(blank + 1)))
        require(std::isfinite(r->hs()) && (r->hs() >= 0) == (*n >= 0),
                "a rate in a known unit is finite");
    }
  }
  return 0;
}
