#define BOOST_TEST_MODULE supervisor
#include "actors/supervisor.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "actors/messages.hpp"
#include "http/client.hpp"
#include "test/actors/actor_fixture.hpp"
#include "test/support/local_server.hpp"

namespace fs = std::filesystem;
using namespace mc::actors;
using namespace std::chrono_literals;

namespace {

struct fixture : mc::test::actor_fixture {
  fs::path dir = fs::temp_directory_path() / ("mc_supervisor_test_" + std::to_string(::getpid()));
  mc::test::local_server upstream;

  fixture() {
    fs::remove_all(dir);
    fs::create_directories(dir / "drivers");
    fs::create_directories(dir / "pools");
    fs::copy_file(fs::path{MC_BUNDLED_DIR} / "drivers/solopool_driver.so",
                  dir / "drivers/solopool_driver.so");
    upstream.route("/api/stats", {200, R"({"stats":{"difficulty":2e9,"hashrate":1.4e16}})"});
    upstream.route("/api/blocks", {200, R"({"immature":[],"matured":[]})"});
    upstream.route("/api/accounts/dgb1qwallet", {200, R"({"currentHashrate":1e12,"workersOnline":1,
      "workers":{"w":{"sharesValid":1,"sharesInvalid":0,"sharesStale":0}}})"});
    write("pools/dgb.yaml",
          "driver: solopool\ndisplay_name: DGB\nurl: eu1.solopool.org\n"
          "port: 8004\ncoin: dgb\nwallet: dgb1qwallet\npoll_interval_s: 5\n"
          "api_base_url: " +
              upstream.base_url() + "/api\n");
    write("pools/off.yaml",
          "driver: solopool\ndisplay_name: Off\nurl: x\nport: 1\ncoin: DGB\n"
          "enabled: false\n");
    write("pools/braiins-btc.yaml",
          "driver: braiins\ndisplay_name: B\nurl: x\nport: 1\ncoin: BTC\n");
  }
  ~fixture() { fs::remove_all(dir); }

  void write(const std::string& rel, const std::string& text) { std::ofstream{dir / rel} << text; }

  caf::actor start() {
    return sys.spawn<caf::detached>(supervisor, supervisor_args{dir, {}, client, cache, {}, {}});
  }

  // Waits for the next pool_runtime notice, skipping tiles and catalogs.
  pool_runtime next_notice(std::chrono::milliseconds within) {
    std::optional<pool_runtime> out;
    auto until = std::chrono::steady_clock::now() + within;
    while (!out && std::chrono::steady_clock::now() < until) {
      cache->receive([&](pool_runtime& r) { out = r; }, [](poll_result&) {},
                     [](mc::config::catalog_ptr&) {}, caf::after(100ms) >> [] {});
    }
    BOOST_REQUIRE_MESSAGE(out, "no pool_runtime notice in time");
    return *out;
  }

  // The catalogs sent to the cache within `window`, skipping tiles and notices.
  std::vector<mc::config::catalog_ptr> catalogs_within(std::chrono::milliseconds window) {
    std::vector<mc::config::catalog_ptr> out;
    auto until = std::chrono::steady_clock::now() + window;
    while (std::chrono::steady_clock::now() < until)
      cache->receive([&](mc::config::catalog_ptr& c) { out.push_back(c); }, [](poll_result&) {},
                     [](pool_runtime&) {}, caf::after(50ms) >> [] {});
    return out;
  }

  mc::config::catalog_ptr only_catalog(std::chrono::milliseconds window) {
    auto all = catalogs_within(window);
    BOOST_REQUIRE_EQUAL(all.size(), 1u);
    return all[0];
  }

  mc::config::catalog_ptr catalog_of_reload(const caf::actor& sup) {
    reload(sup);
    return only_catalog(1s);
  }

  // pools/off.yaml, a disabled DGB pool without a wallet, with `fields` of its own.
  void write_off(const std::string& fields) {
    write("pools/off.yaml", "driver: solopool\nurl: x\ncoin: DGB\nenabled: false\n" + fields);
  }

  std::string reload(const caf::actor& sup) {
    std::string out;
    cache->request(sup, 10s, reload_atom::value)
        .receive([&](std::string& r) { out = r; },
                 [](caf::error& e) { BOOST_FAIL("reload: " << caf::to_string(e)); });
    return out;
  }

  caf::actor pool_actor_of(const caf::actor& sup, const std::string& id) {
    caf::actor out;
    cache->request(sup, 2s, caf::get_atom::value, id)
        .receive([&](caf::actor& a) { out = a; }, [](caf::error&) {});
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sup, fixture)

BOOST_AUTO_TEST_CASE(loads_configs_rejects_unknown_drivers_and_polls_enabled_pools) {
  auto sup = start();
  mc::config::catalog_ptr cat;
  cache->receive([&](mc::config::catalog_ptr& c) { cat = c; },
                 caf::after(5s) >> [] { BOOST_FAIL("no catalog"); });
  BOOST_REQUIRE(cat->drivers.size() == 1u);
  BOOST_REQUIRE(cat->pools.size() == 3u);
  BOOST_TEST(cat->pools[0].pool_id == "braiins-btc");
  BOOST_TEST((cat->pools[0].status == mc::config::pool_status::rejected));
  BOOST_TEST(cat->pools[0].reasons.at(0) ==
             "pools/braiins-btc.yaml:1: driver: unknown driver: braiins");
  BOOST_TEST((cat->pools[1].status == mc::config::pool_status::active));
  BOOST_TEST(cat->pools[1].config.coin == "DGB");
  BOOST_TEST((cat->pools[2].status == mc::config::pool_status::disabled));
  BOOST_TEST(!pool_actor_of(sup, "off"));

  poll_result r;
  cache->receive([&](poll_result& p) { r = p; }, caf::after(15s) >> [] { BOOST_FAIL("no poll"); });
  BOOST_TEST(r.pool_id == "dgb");
  BOOST_TEST(r.tile.health_status);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_crashed_pool_actor_restarts_with_backoff_and_is_failed_after_three) {
  auto sup = start();
  caf::actor first;
  for (int i = 0; i < 50 && !first; ++i) {
    first = pool_actor_of(sup, "dgb");
    if (!first) std::this_thread::sleep_for(50ms);
  }
  BOOST_REQUIRE(first);
  cache->send_exit(first, caf::make_error(caf::sec::runtime_error, "injected crash"));
  auto n1 = next_notice(3s);
  BOOST_TEST(n1.pool_id == "dgb");
  BOOST_TEST((n1.status == mc::config::pool_status::active));
  BOOST_TEST(n1.message.find("restarting in 1 s") != std::string::npos, n1.message);

  caf::actor second;
  for (int i = 0; i < 40 && (!second || second == first); ++i) {
    std::this_thread::sleep_for(100ms);
    second = pool_actor_of(sup, "dgb");
  }
  BOOST_REQUIRE(second);
  BOOST_TEST((second != first));
  cache->send_exit(second, caf::make_error(caf::sec::runtime_error, "injected crash"));
  BOOST_TEST(next_notice(3s).message.find("restarting in 2 s") != std::string::npos);

  caf::actor third;
  for (int i = 0; i < 60 && (!third || third == second); ++i) {
    std::this_thread::sleep_for(100ms);
    third = pool_actor_of(sup, "dgb");
  }
  BOOST_REQUIRE(third);
  cache->send_exit(third, caf::make_error(caf::sec::runtime_error, "injected crash"));
  auto n3 = next_notice(3s);
  BOOST_TEST((n3.status == mc::config::pool_status::failed));
  BOOST_TEST(n3.message.find("3 times in a row; restarting in 4 s") != std::string::npos,
             n3.message);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_reload_that_changes_nothing_sends_no_catalog_and_a_change_sends_one) {
  auto sup = start();
  const auto first = only_catalog(1s);
  const auto unchanged = reload(sup);
  BOOST_TEST(unchanged.find(R"("unchanged":1)") != std::string::npos, unchanged);
  BOOST_TEST(catalogs_within(500ms).empty());

  write_off("display_name: Off, renamed\nport: 1\n");
  const auto after_edit = catalog_of_reload(sup);
  BOOST_TEST(after_edit->pools.at(2).config.display_name == "Off, renamed");
  BOOST_TEST(after_edit->pools.at(1).generation == first->pools.at(1).generation);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(an_unchanged_pool_file_is_checked_again_when_config_yaml_changes) {
  auto sup = start();
  BOOST_TEST(only_catalog(1s)->pools.at(2).config.wallet == "");  // off.yaml: no wallet
  reload(sup);  // unchanged: the entries are taken over from here on
  write("config.yaml", "wallets:\n  DGB: dgb1qfromconfig\n");
  BOOST_TEST(catalog_of_reload(sup)->pools.at(2).config.wallet == "dgb1qfromconfig");
  // Once more unchanged, then an edit of the file: the wallet from config.yaml stays.
  reload(sup);
  BOOST_TEST(catalogs_within(300ms).empty());
  write_off("display_name: Off\nport: 2\n");
  const auto edited = catalog_of_reload(sup);
  BOOST_TEST(edited->pools.at(2).config.port == 2);
  BOOST_TEST(edited->pools.at(2).config.wallet == "dgb1qfromconfig");
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(backoff_doubles_from_one_second_up_to_five_minutes) {
  BOOST_TEST(restart_backoff(1).count() == 1);
  BOOST_TEST(restart_backoff(2).count() == 2);
  BOOST_TEST(restart_backoff(3).count() == 4);
  BOOST_TEST(restart_backoff(9).count() == 256);
  BOOST_TEST(restart_backoff(10).count() == 300);
  BOOST_TEST(restart_backoff(1000).count() == 300);
}

BOOST_AUTO_TEST_SUITE_END()
