// pools/<id>.yaml: any text is either a config inside the documented ranges or a list of
// problems a user can read; never a crash, an exception or a config with problems. Where the
// quick path for flat files takes a text, yaml-cpp reads the same mapping from it.
#include <miner_controller/utf8.hpp>

#include "config/pool_config.hpp"
#include "test/config/flat_yaml_check.hpp"
#include "test/fuzz/fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using mc::fuzz::require;
  // The quick path for flat files reads what yaml-cpp reads, or leaves the text to it.
  require(mc::test::flat_yaml_mismatch(mc::fuzz::as_text(data, size)).empty(),
          "parse_flat_yaml agrees with yaml-cpp");
  const auto r =
      mc::config::parse_pool_config("fuzz", "pools/fuzz.yaml", mc::fuzz::as_text(data, size));
  require(r.config.has_value() == r.problems.empty(), "a config exactly when there is no problem");
  for (const auto& p : r.problems) {
    require(!p.reason.empty(), "every problem says what is wrong");
    require(p.line >= 0, "line numbers are 1-based or 0");
  }
  if (const auto& c = r.config) {
    // Its text reaches JSON answers (/api/pools), which must stay valid UTF-8.
    require(mc::first_invalid_utf8(mc::fuzz::as_text(data, size)) == std::string_view::npos,
            "an accepted file is UTF-8");
    require(c->pool_id == "fuzz", "the pool id is the file name");
    require(c->port >= 1 && c->port <= 65535, "port 1..65535");
    require(c->poll_interval_s >= 5 && c->poll_interval_s <= 3600, "poll_interval_s 5..3600");
    require(!c->fee_percent || (*c->fee_percent >= 0 && *c->fee_percent <= 100), "fee 0..100");
    require(c->mining_model == "solo" || c->mining_model == "pool", "mining_model solo|pool");
    require(!c->driver.empty() && !c->url.empty() && !c->coin.empty(), "required fields set");
    require(c->display_name.size() >= 1 && c->display_name.size() <= 120, "display_name 1..120");
  }
  return 0;
}
