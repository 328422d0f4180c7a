// A strict parser of the Prometheus text exposition format 0.0.4 for tests: every line must be a
// HELP, TYPE, comment or sample line with valid names, label syntax and escapes, and the
// families must be well-formed (TYPE before samples, families not interleaved, no duplicate
// series, counters not negative, histogram buckets cumulative with +Inf equal to _count).
// promtool checks the same by hand (README "Metrics"); tests must not depend on it.
//
//   auto doc = mc::test::parse_prometheus(text);
//   BOOST_TEST(doc.errors.empty());
//   auto up = doc.value("mc_pool_up", {{"pool_id", "a"}});   // nullopt when absent
//   double n = doc.at("mc_pool_polls_total", {{"pool_id", "a"}});  // throws when absent
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mc::test {

using prom_labels = std::map<std::string, std::string>;

struct prom_sample {
  std::string name;
  prom_labels labels;
  double value = 0;
};

struct prom_family {
  std::string name, type = "untyped", help;
  std::vector<prom_sample> samples;
};

struct prom_document {
  std::vector<prom_family> families;  // in text order
  std::vector<std::string> errors;    // "line N: why"; empty when the text is valid

  /// The sample with this name whose labels include `match`; nullopt if none, and a failure
  /// (thrown) if several match.
  std::optional<double> value(std::string_view name, const prom_labels& match = {}) const;
  /// Like value, but throws when there is no such sample.
  double at(std::string_view name, const prom_labels& match = {}) const;
  /// Every sample with this name whose labels include `match`.
  std::vector<prom_sample> samples(std::string_view name, const prom_labels& match = {}) const;
  const prom_family* family(std::string_view name) const;
};

prom_document parse_prometheus(std::string_view text);

}  // namespace mc::test
