#define BOOST_TEST_MODULE out - of - tree template driver
#include <boost/test/unit_test.hpp>

#include "drivers/loader.hpp"
#include "test/drivers/driver_fixture.hpp"
#include "test/support/local_server.hpp"

BOOST_AUTO_TEST_CASE(the_template_built_out_of_tree_loads_and_polls) {
  auto r = mc::drivers::load_driver(MC_TEMPLATE_DRIVER);
  if (auto* f = std::get_if<mc::drivers::load_failure>(&r)) BOOST_FAIL(f->reason);
  auto& d = std::get<mc::drivers::loaded_driver>(r);
  BOOST_TEST(d.info.type == "example");

  mc::test::local_server server;
  server.route("/status",
               {200, R"({"hashrate_hs": 1.2e12, "workers": 2, "valid": 10, "invalid": 1})"});
  mc::pool_config pool;
  pool.coin = "BTC";
  pool.api_base_url = server.base_url();
  BOOST_TEST(d.instance->validate(pool).empty());
  auto t = mc::test::poll_once(*d.instance, pool, 1764000000);
  BOOST_TEST(t.health_status);
  BOOST_TEST(t.health_message == "2 workers online");
  BOOST_TEST(t.user_hashrate->hs() == 1.2e12);
  BOOST_TEST(t.shares_invalid.value() == 1);
}
