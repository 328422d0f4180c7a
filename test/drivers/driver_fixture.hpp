// Helpers for driver tests: load a bundled driver plugin, read fixture files, run one poll
// (plan → real HTTP fetch against a local server → parse) and compare a tile with a golden file.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "drivers/loader.hpp"

namespace mc::test {

/// The bundled plugin <type>_driver.so from the build tree; fails the test if it does not load.
drivers::loaded_driver load_bundled_driver(const std::string& type);

/// The text of shared/fixtures/pool-apis/<rel>.
std::string fixture(const std::string& rel);

/// Runs one poll of `pool` with `driver`: plan, fetch every request over real HTTP, parse.
mc::tile poll_once(const mc::driver& driver, const mc::pool_config& pool, std::int64_t now);

/// A response as the host would hand it over after a real HTTP answer.
mc::http_response answer(std::string id, int status, std::string body);

/// A response whose transport failed.
mc::http_response transport_error(std::string id, std::string error);

/// Checks every key of the golden object against the tile's fields (numbers compared exactly,
/// null must be null) and reports each difference as a test failure.
void check_matches_golden(const mc::tile& tile, const boost::json::object& golden);

}  // namespace mc::test
