#include "test/drivers/driver_fixture.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "http/client.hpp"
#include "http/tile_json.hpp"
#include "test/support/local_server.hpp"

namespace mc::test {

drivers::loaded_driver load_bundled_driver(const std::string& type) {
  auto file = std::filesystem::path{MC_BUNDLED_DIR} / "drivers" / (type + "_driver.so");
  auto r = drivers::load_driver(file);
  if (auto* f = std::get_if<drivers::load_failure>(&r)) BOOST_FAIL(f->reason);
  return std::get<drivers::loaded_driver>(std::move(r));
}

std::string fixture(const std::string& rel) {
  std::ifstream in{std::filesystem::path{MC_FIXTURES_DIR} / rel, std::ios::binary};
  if (!in) BOOST_FAIL("missing fixture " + rel);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

mc::tile poll_once(const mc::driver& driver, const mc::pool_config& pool, std::int64_t now) {
  const mc::poll_context ctx{pool, now};
  auto requests = driver.plan(ctx);
  blocking_client http;
  std::vector<mc::http_response> responses;
  for (auto& r : requests) responses.push_back(http.fetch(r));
  return driver.parse(ctx, responses);
}

mc::http_response answer(std::string id, int status, std::string body) {
  mc::http_response r;
  r.id = std::move(id);
  r.host = "pool.test";
  r.status = status;
  r.body = std::move(body);
  return r;
}

mc::http_response transport_error(std::string id, std::string error) {
  mc::http_response r;
  r.id = std::move(id);
  r.host = "pool.test";
  r.error = std::move(error);
  return r;
}

void check_matches_golden(const mc::tile& tile, const boost::json::object& golden) {
  const auto fields = codec::tile_fields(tile);
  for (const auto& [key, want] : golden) {
    const auto* got = fields.if_contains(key);
    BOOST_TEST_CONTEXT("field " << key) {
      BOOST_REQUIRE_MESSAGE(got, "tile has no field " << key);
      if (want.is_number()) {
        BOOST_REQUIRE_MESSAGE(got->is_number(), "expected a number, got " << *got);
        BOOST_TEST(got->to_number<double>() == want.to_number<double>());
      } else {
        BOOST_TEST(*got == want, "got " << *got << ", expected " << want);
      }
    }
  }
}

}  // namespace mc::test
