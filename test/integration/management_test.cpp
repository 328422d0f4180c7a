#define BOOST_TEST_MODULE pool management
// Pool management, settings, write protection and live reload, end to end: the real service
// and the mock pool on loopback, every change made over HTTP (or by a file edit and a signal)
// and checked on disk, in the API and in the log.
#include <signal.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "test/bench/http_client.hpp"
#include "test/integration/service_fixture.hpp"

namespace fs = std::filesystem;
namespace js = boost::json;
using namespace std::chrono_literals;
using mc::test::http_result;

namespace {

const std::string write_token = "write-token-SECRET-7d41c0ffee9a";
const std::string braiins_key = "braiins-key-SECRET-0a1b2c3d4e5f";
const std::string braiins_key2 = "braiins-key-SECRET-NEW-99887766";
const std::string write_token2 = "write-token-SECRET-NEW-5566aa";
const std::string dgb_wallet = "dgb1qmanagementtestwallet00000000001";
// Pool-level tokens of the failure-path test; the mock refuses tokens starting with "bad".
const std::string pool_key = "pool-key-SECRET-5e6f7a8b9c0d";
const std::string bad_key = "bad-pool-key-SECRET-1f2e3d4c5b";
const std::string sent_key = "sent-key-SECRET-0099aabbccdd";

std::string read(const fs::path& p) {
  std::ifstream in{p};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct management : mc::test::service_fixture {
  std::vector<std::string> bodies;  // every answer, for the secret scan

  http_result call(const std::string& method, const std::string& target, const std::string& body,
                   const std::string& token = write_token,
                   const std::string& type = "application/json") {
    mc::test::http_connection c{"127.0.0.1", service_port, 30s};
    mc::test::header_list h;
    if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
    auto r = c.request(method, target, body, type, h);
    bodies.push_back(r.body);
    BOOST_TEST_MESSAGE(method << " " << target << " -> " << r.status << " " << r.body);
    return r;
  }

  js::value get(const std::string& target, unsigned status = 200) {
    auto r = mc::test::http_get("127.0.0.1", service_port, target);
    bodies.push_back(r.body);
    BOOST_REQUIRE_MESSAGE(r.status == status,
                          "GET " << target << ": " << r.status << " " << r.body);
    return js::parse(r.body);
  }

  bool healthy(const std::string& id) {
    auto r = mc::test::http_get("127.0.0.1", service_port, "/api/dashboard/pools?pool_id=" + id);
    if (r.status != 200) return false;
    auto v = js::parse(r.body);
    return v.at("tile_1_health").at("health_status") == true;
  }

  void write_braiins(const std::string& id, const std::string& base, const std::string& token) {
    write("pools/" + id + ".yaml",
          "driver: braiins\ndisplay_name: " + id +
              "\nurl: eu.stratum.braiins.com\nport: 3333\ncoin: BTC\npoll_interval_s: 5\n"
              "api_token: " +
              token + "\napi_base_url: " + base + "\n");
  }

  // Until the pool's tile shows a failure whose message holds `what`.
  bool fails_with(const std::string& id, const std::string& what) {
    return eventually(20s, [&] {
      auto r = mc::test::http_get("127.0.0.1", service_port, "/api/dashboard/pools?pool_id=" + id);
      bodies.push_back(r.body);
      if (r.status != 200) return false;
      const auto h = js::parse(r.body).at("tile_1_health");
      return h.at("health_status") == false &&
             std::string(h.at("health_message").as_string()).find(what) != std::string::npos;
    });
  }

  void mock_control(const std::string& body) {
    BOOST_REQUIRE(mc::test::http_post("127.0.0.1", mock_port, "/_control", body).status == 200u);
  }

  std::string solopool_file(const std::string& display, const std::string& extra = "") {
    return "# Hand-written: the comments must survive API updates.\n"
           "driver: solopool\n"
           "display_name: " +
           display +
           "  # shown on the tile\n"
           "url: eu1.solopool.org\nport: 8004\ncoin: DGB\nregion: EU\n"
           "mining_model: solo\n"
           "# polled fast for the test\n"
           "poll_interval_s: 5\n"
           "api_base_url: " +
           mock_base() + "/solopool/dgb/api\n" + extra;
  }

  void start(int extra_pools = 0) {
    install_driver("solopool");
    install_driver("braiins");
    start_mock();
    write("config.yaml",
          "# Settings of the management test.\n"
          "wallets:\n  dgb: " +
              dgb_wallet +
              "  # the payout address\n"
              "api_keys:\n  braiins: " +
              braiins_key +
              "\n"
              "server:\n  api_token: " +
              write_token + "\n");
    write("pools/dgb-a.yaml", solopool_file("DGB A"));
    write("pools/braiins-a.yaml",
          "driver: braiins\ndisplay_name: Braiins A\nurl: eu.stratum.braiins.com\nport: 3333\n"
          "coin: BTC\nrequires_auth: true\npoll_interval_s: 5\napi_base_url: " +
              mock_base() + "/braiins\n");
    // Templates as a fresh install has them: not polled, but offered to Add Pool.
    fs::copy_file(fs::path{MC_BUNDLED_DIR} / "pools" / "solopool-dgb-eu1.yaml.example",
                  dir / "pools" / "solopool-dgb-eu1.yaml.example");
    start_service("Loaded 2 driver(s) and " + std::to_string(2 + extra_pools) + " pool config(s)");
  }

  void no_secret_anywhere() {
    // Every read endpoint too, as they stand at the end (the service may be stopped: skip).
    for (const char* t : {"/api/pools", "/api/dashboard/pools", "/api/drivers", "/api/settings",
                          "/api/pool-templates", "/metrics"}) {
      try {
        bodies.push_back(mc::test::http_get("127.0.0.1", service_port, t, 2s).body);
      } catch (const std::exception&) {
      }
    }
    for (const auto& secret :
         {write_token, write_token2, braiins_key, braiins_key2, pool_key, bad_key, sent_key}) {
      for (const auto& b : bodies) BOOST_CHECK_MESSAGE(b.find(secret) == std::string::npos, b);
      for (const auto& l : log) BOOST_CHECK_MESSAGE(l.find(secret) == std::string::npos, l);
    }
  }
};

std::vector<std::string> fields_of(const http_result& r) {
  std::vector<std::string> out;
  const auto body = js::parse(r.body);
  for (const auto& p : body.at("problems").as_array()) out.emplace_back(p.at("field").as_string());
  return out;
}

bool contains(const js::value& list, const std::string& s) {
  for (const auto& v : list.as_array())
    if (v.as_string() == s) return true;
  return false;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(create_update_delete_settings_and_auth, management) {
  start();
  BOOST_TEST(std::any_of(log.begin(), log.end(), [](const std::string& l) {
    return l.find("Write API needs Authorization: Bearer") != std::string::npos;
  }));
  BOOST_REQUIRE(eventually(20s, [&] { return healthy("dgb-a") && healthy("braiins-a"); }));

  // Write protection: no token, a wrong one, another scheme.
  const std::string create =
      R"({"pool_id": "dgb-b", "from_template": "solopool-dgb-eu1", "display_name": "DGB B",
          "poll_interval_s": 5, "api_base_url": ")" +
      mock_base() + R"(/solopool/dgb/api"})";
  auto r = call("POST", "/api/pools", create, "");
  BOOST_TEST(r.status == 401u);
  BOOST_TEST(call("POST", "/api/pools", create, "write-token-SECRET-7d41c0ffee9b").status == 401u);
  BOOST_TEST(call("POST", "/api/reload", "{}", "").status == 401u);
  BOOST_TEST(!fs::exists(dir / "pools/dgb-b.yaml"));
  get("/api/settings");  // a GET needs no token

  // The example file is offered as a template, next to the pools; it is not polled.
  auto templates = get("/api/pool-templates").as_array();
  BOOST_REQUIRE(templates.size() == 3u);
  BOOST_TEST(templates[2].at("template_id") == "solopool-dgb-eu1");
  BOOST_TEST(templates[2].at("example") == true);
  BOOST_TEST(templates[1].at("example") == false);
  get("/api/dashboard/pools?pool_id=solopool-dgb-eu1", 404);

  // Create from a template with overrides: written, spawned, healthy.
  r = call("POST", "/api/pools", create);
  BOOST_REQUIRE(r.status == 201u);
  auto body = js::parse(r.body);
  BOOST_TEST(body.at("pool").at("pool_id") == "dgb-b");
  BOOST_TEST(body.at("pool").at("status") == "active");
  BOOST_TEST(body.at("pool").at("url") == "eu1.solopool.org");  // from the template
  BOOST_TEST(contains(body.at("changes").at("added"), "dgb-b"));
  const auto created = read(dir / "pools/dgb-b.yaml");
  BOOST_TEST(created.find("# Created through the API from template solopool-dgb-eu1") == 0u);
  BOOST_TEST(created.find("Rename this file") == std::string::npos);
  BOOST_TEST(eventually(15s, [&] { return healthy("dgb-b"); }));

  // Duplicate id; every problem at once; malformed bodies. Nothing is written.
  BOOST_TEST(call("POST", "/api/pools", create).status == 409u);
  r = call("POST", "/api/pools",
           R"({"pool_id": "bad-one", "driver": "solopool", "port": 70000, "coin": "D",
               "poll_interval_s": 1})");
  BOOST_TEST(r.status == 400u);
  auto fields = fields_of(r);
  for (const char* f : {"port", "coin", "poll_interval_s", "url", "display_name"})
    BOOST_CHECK_MESSAGE(std::find(fields.begin(), fields.end(), f) != fields.end(), f);
  BOOST_TEST(!fs::exists(dir / "pools/bad-one.yaml"));
  BOOST_TEST(call("POST", "/api/pools", R"({"pool_id": "x", "driver": )").status == 400u);
  BOOST_TEST(call("POST", "/api/pools", R"({"pool_id": "Bad Id"})").status == 400u);
  BOOST_TEST(call("POST", "/api/pools", "{}", write_token, "text/plain").status == 415u);
  BOOST_TEST(call("POST", "/api/pools", R"({"pool_id": "x2", "from_template": "nope"})").status ==
             400u);
  BOOST_TEST(call("POST", "/api/pools", R"({"pool_id": "x3", "bad key: y": 1})").status == 400u);

  // Update: a merge patch; the hand-written comments stay; the pool restarts with it.
  const auto before = read(dir / "pools/dgb-a.yaml");
  r = call("PUT", "/api/pools/dgb-a", R"({"display_name": "DGB A renamed", "region": null})");
  BOOST_REQUIRE(r.status == 200u);
  body = js::parse(r.body);
  BOOST_TEST(body.at("pool").at("display_name") == "DGB A renamed");
  BOOST_TEST(body.at("normalised") == false);
  BOOST_TEST(contains(body.at("changes").at("restarted"), "dgb-a"));
  BOOST_TEST(body.at("changes").at("unchanged").as_int64() == 2);  // dgb-b, braiins-a
  const auto after = read(dir / "pools/dgb-a.yaml");
  BOOST_TEST(after.find("# Hand-written: the comments must survive API updates.") == 0u);
  BOOST_TEST(after.find("display_name: \"DGB A renamed\"  # shown on the tile") !=
             std::string::npos);
  BOOST_TEST(after.find("# polled fast for the test") != std::string::npos);
  BOOST_TEST(after.find("region") == std::string::npos);
  BOOST_TEST(eventually(15s, [&] {
    auto v = get("/api/dashboard/pools?pool_id=dgb-a");
    return v.at("display_name") == "DGB A renamed" && healthy("dgb-a");
  }));
  // Invalid update, unknown pool, rename: 400/404, the file untouched.
  const auto good = read(dir / "pools/dgb-a.yaml");
  r = call("PUT", "/api/pools/dgb-a", R"({"port": "not a port"})");
  BOOST_TEST(r.status == 400u);
  BOOST_TEST(fields_of(r) == std::vector<std::string>{"port"});
  BOOST_TEST(read(dir / "pools/dgb-a.yaml") == good);
  BOOST_TEST(call("PUT", "/api/pools/nope", R"({"port": 1})").status == 404u);
  BOOST_TEST(call("PUT", "/api/pools/dgb-a", R"({"pool_id": "other"})").status == 400u);
  // Disable: the actor stops, the pool stays listed as disabled.
  r = call("PUT", "/api/pools/dgb-b", R"({"enabled": false})");
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(js::parse(r.body).at("pool").at("status") == "disabled");
  BOOST_TEST(contains(js::parse(r.body).at("changes").at("removed"), "dgb-b"));

  // Delete.
  r = call("DELETE", "/api/pools/dgb-b", "");
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(!fs::exists(dir / "pools/dgb-b.yaml"));
  get("/api/dashboard/pools?pool_id=dgb-b", 404);
  BOOST_TEST(call("DELETE", "/api/pools/dgb-b", "").status == 404u);

  // Settings: masked on the way out; an unchanged mask sent back changes nothing.
  auto settings = get("/api/settings");
  BOOST_TEST(settings.at("wallets").at("DGB") == "***0001");
  BOOST_TEST(settings.at("api_keys").at("braiins") == "***4e5f");
  BOOST_TEST(settings.at("server").at("api_token") == "***ee9a");
  BOOST_TEST(settings.at("server").at("api_token_set") == true);
  r = call("PUT", "/api/settings", js::serialize(settings));
  BOOST_TEST(r.status == 200u);
  BOOST_TEST(js::parse(r.body).at("changes").at("restarted").as_array().empty());
  BOOST_TEST(call("PUT", "/api/settings", R"({"wallets": {"D": "x"}})").status == 400u);
  BOOST_TEST(call("PUT", "/api/settings", R"({"colour": "blue"})").status == 400u);

  // A new API key restarts the pool that uses it, and only that one.
  r = call("PUT", "/api/settings", R"({"api_keys": {"braiins": ")" + braiins_key2 + R"("}})");
  BOOST_REQUIRE(r.status == 200u);
  body = js::parse(r.body);
  BOOST_TEST(body.at("changes").at("restarted") == js::array{"braiins-a"});
  BOOST_TEST(body.at("api_keys").at("braiins") == "***7766");
  const auto config = read(dir / "config.yaml");
  BOOST_TEST(config.find("# Settings of the management test.") == 0u);
  BOOST_TEST(config.find("# the payout address") != std::string::npos);  // wallets untouched
  struct stat st {};
  BOOST_REQUIRE(::stat((dir / "config.yaml").c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  BOOST_TEST(eventually(15s, [&] { return healthy("braiins-a"); }));

  // A new write token: the old one stops working at once.
  r = call("PUT", "/api/settings", R"({"server": {"api_token": ")" + write_token2 + R"("}})");
  BOOST_REQUIRE(r.status == 200u);
  BOOST_TEST(call("POST", "/api/reload", "{}").status == 401u);
  BOOST_TEST(call("POST", "/api/reload", "{}", write_token2).status == 200u);

  no_secret_anywhere();  // the read endpoints, while the service runs
  BOOST_TEST(stop_service() == 0);
  no_secret_anywhere();  // and the whole log
}

BOOST_FIXTURE_TEST_CASE(reload_by_request_and_signal_applies_only_the_difference, management) {
  start();
  BOOST_REQUIRE(eventually(20s, [&] { return healthy("dgb-a"); }));
  const auto first_success = get("/api/dashboard/pools?pool_id=dgb-a").at("last_success");

  // A file added by hand and SIGHUP: the new pool spawns, the others keep their tiles.
  write("pools/dgb-c.yaml", solopool_file("DGB C"));
  signal_service(SIGHUP);
  BOOST_TEST(wait_log("Reloaded: 1 added, 0 removed, 0 restarted, 2 unchanged", 10s));
  BOOST_TEST(get("/api/dashboard/pools?pool_id=dgb-a").at("last_success") != nullptr);
  BOOST_TEST(eventually(15s, [&] { return healthy("dgb-c"); }));

  // An invalid edit leaves the running config in place and says why.
  const auto good = read(dir / "pools/dgb-a.yaml");
  write("pools/dgb-a.yaml", solopool_file("DGB A", "port: 99999\n"));
  auto r = call("POST", "/api/reload", "{}");
  BOOST_REQUIRE(r.status == 200u);
  auto changes = js::parse(r.body);
  BOOST_TEST(changes.at("kept_previous") == js::array{"dgb-a"});
  BOOST_TEST(changes.at("restarted").as_array().empty());
  auto pools = get("/api/pools").as_array();
  for (const auto& p : pools) {
    if (p.at("pool_id") != "dgb-a") continue;
    BOOST_TEST(p.at("status") == "active");
    BOOST_TEST(js::serialize(p.at("warnings")).find("edit rejected") != std::string::npos);
  }
  BOOST_TEST(eventually(15s, [&] {
    return get("/api/dashboard/pools?pool_id=dgb-a").at("last_success") != first_success;
  }));

  // Fixed again: unchanged (the same config as the one running), no restart.
  write("pools/dgb-a.yaml", good);
  r = call("POST", "/api/reload", "{}");
  changes = js::parse(r.body);
  BOOST_TEST(changes.at("restarted").as_array().empty());
  BOOST_TEST(changes.at("kept_previous").as_array().empty());

  // A removed file stops its pool; a removed driver file takes its pools along.
  fs::remove(dir / "pools/dgb-c.yaml");
  fs::remove(dir / "drivers/braiins_driver.so");
  r = call("POST", "/api/reload", "{}");
  changes = js::parse(r.body);
  BOOST_TEST(changes.at("removed").as_array().size() == 2u);
  BOOST_TEST(changes.at("drivers").at("removed") == js::array{"braiins"});
  get("/api/dashboard/pools?pool_id=dgb-c", 404);
  // Put back: the driver loads again (through a fresh copy) and its pool spawns.
  install_driver("braiins");
  r = call("POST", "/api/reload", "{}");
  changes = js::parse(r.body);
  BOOST_TEST(changes.at("drivers").at("loaded") == js::array{"braiins"});
  BOOST_TEST(changes.at("added") == js::array{"braiins-a"});
  BOOST_TEST(eventually(15s, [&] { return healthy("braiins-a"); }));

  // No request, no signal: the file watcher sees an edit and applies it (debounced).
  write("pools/dgb-d.yaml", solopool_file("DGB D"));
  BOOST_TEST(wait_log("pools/dgb-d.yaml): reloading", 10s));
  BOOST_TEST(wait_log("Reloaded: 1 added", 5s));
  BOOST_TEST(eventually(15s, [&] { return healthy("dgb-d"); }));
  // An API write is applied once: the watcher's reload after it finds nothing to change.
  BOOST_TEST(call("PUT", "/api/pools/dgb-d", R"({"display_name": "DGB D2"})").status == 200u);
  BOOST_TEST(wait_log("Reloaded: 0 added, 0 removed, 0 restarted", 10s));

  BOOST_TEST(stop_service() == 0);
  no_secret_anywhere();
}

BOOST_FIXTURE_TEST_CASE(sigterm_lets_a_write_in_flight_finish, management) {
  // Enough disabled pools that applying a write (a reload) takes a while: the signal lands
  // while it runs.
#if defined(__SANITIZE_THREAD__)
  const int idle = 500;  // TSan is ~10x slower: more would outlast the write timeout
#else
  const int idle = 3000;
#endif
  for (int i = 0; i < idle; ++i)
    write("pools/idle-" + std::to_string(i) + ".yaml", solopool_file("Idle", "enabled: false\n"));
  start(idle);
  // The request is sent, then the signal: the answer still comes, the file is complete and
  // the exit code is 0.
  // On a loaded machine the signal can still win the race against the request being read:
  // then the write must be refused whole (503, no file), never half done.
  mc::test::http_connection c{"127.0.0.1", service_port, 30s};
  unsigned status = 0;
  std::thread writer([&] {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = c.request("POST", "/api/pools",
                       R"({"pool_id": "late", "from_template": "dgb-a", "display_name": "Late"})",
                       "application/json", {{"Authorization", "Bearer " + write_token}});
    status = r.status;
    BOOST_TEST_MESSAGE("the write took " << (std::chrono::steady_clock::now() - t0) / 1ms << " ms");
  });
  std::this_thread::sleep_for(50ms);
  signal_service(SIGTERM);
  writer.join();
  BOOST_TEST(stop_service() == 0);
  BOOST_TEST((status == 201u || status == 503u), "status " << status);
  if (status == 201u)
    BOOST_TEST(read(dir / "pools/late.yaml").find("display_name: \"Late\"") != std::string::npos);
  else
    BOOST_TEST(!fs::exists(dir / "pools/late.yaml"));
  BOOST_TEST_MESSAGE("the write was " << (status == 201u ? "in flight: answered 201"
                                                         : "after the signal: refused 503"));
  BOOST_TEST(std::any_of(log.begin(), log.end(), [](const std::string& l) {
    return l.find("Stopped") != std::string::npos;
  }));
}

BOOST_FIXTURE_TEST_CASE(no_failure_path_shows_a_secret, management) {
  // Tokens that go upstream in a header and fail there in every way, each pool its own token.
  write_braiins("braiins-refused", "http://127.0.0.1:1/braiins", pool_key);
  write_braiins("braiins-rejected", "http://127.0.0.1:1/braiins", bad_key);
  start(2);
  write_braiins("braiins-rejected", mock_base() + "/braiins",
                bad_key);  // the mock's port is known now
  BOOST_TEST(call("POST", "/api/reload", "{}").status == 200u);
  BOOST_TEST(fails_with("braiins-refused", "127.0.0.1"));
  BOOST_TEST(fails_with("braiins-rejected", "token"));
  const std::string profile = "/braiins/accounts/profile/json/btc/";
  for (const char* status : {"500", "401", "429"}) {
    mock_control(R"({"fail_paths": {")" + profile + R"(": {"status": )" + status + "}}}");
    BOOST_TEST(fails_with("braiins-a", status));
  }
  mock_control(R"({"fail_paths": {")" + profile + R"(": null}})");

  // Invalid writes that carry a secret: never echoed back, whatever is wrong.
  for (const auto& body :
       {R"({"pool_id": "leak-a", "from_template": "braiins-a", "api_token": [")" + sent_key +
            R"("]})",
        R"({"pool_id": "leak-b", "from_template": "braiins-a", "port": "x", "api_token": ")" +
            sent_key + "\"}",
        R"({"pool_id": "leak-c", "driver": "braiins", "api_token": {")" + sent_key + R"(": 1}})",
        R"({"pool_id": "leak-d", "api_token": ")" + sent_key}) {
    BOOST_TEST(call("POST", "/api/pools", body).status == 400u);
  }
  BOOST_TEST(call("PUT", "/api/pools/braiins-a", R"({"api_token": {"x": ")" + sent_key + R"("}})")
                 .status == 400u);
  BOOST_TEST(call("PUT", "/api/pools/nope", R"({"api_token": ")" + sent_key + R"("})").status ==
             404u);
  for (const auto& body :
       {R"({"api_keys": {"braiins": [")" + sent_key + R"("]}})",
        R"({"api_keys": {"Bad Key!": ")" + sent_key + R"("}})",
        R"({"server": {"api_token": {"x": ")" + sent_key + R"("}}})",
        R"({"server": {"api_token": ")" + sent_key + R"(", "colour": 1}})",
        R"({"wallets": {"dgb": 5}, "api_keys": {"braiins": ")" + sent_key + R"("}})"}) {
    BOOST_TEST(call("PUT", "/api/settings", body).status == 400u);
  }
  // The secret as a wrong bearer token, in another scheme, in the path.
  BOOST_TEST(call("POST", "/api/reload", "{}", sent_key).status == 401u);
  BOOST_TEST(call("POST", "/api/pools/" + sent_key, "{}").status == 405u);
  {
    mc::test::http_connection c{"127.0.0.1", service_port, 10s};
    auto r = c.request("POST", "/api/reload", "{}", "application/json",
                       {{"Authorization", "Basic " + write_token}});
    bodies.push_back(r.body);
    BOOST_TEST(r.status == 401u);
  }

  // Reload errors: a broken config.yaml and a pool file whose token has the wrong type, each
  // next to the secrets they hold. The running config stays; the problems say why.
  const auto good_config = read(dir / "config.yaml");
  write("config.yaml",
        "api_keys:\n  braiins: [" + braiins_key + "\nserver:\n  api_token: " + write_token + "\n");
  BOOST_TEST(call("POST", "/api/reload", "{}").status < 500u);
  write("config.yaml", "api_keys:\n  braiins: {" + braiins_key +
                           ": 1}\nserver:\n  api_token: " + write_token + "\n");
  BOOST_TEST(call("POST", "/api/reload", "{}").status < 500u);
  write("config.yaml", good_config);
  write("pools/braiins-typed.yaml",
        "driver: braiins\ndisplay_name: T\nurl: h\nport: 1\ncoin: BTC\napi_token: {k: " + pool_key +
            "}\n");
  write("pools/braiins-listed.yaml",
        "driver: braiins\ndisplay_name: T\nurl: h\nport: 1\ncoin: BTC\napi_token: [" + pool_key +
            ", 2]\nport: 3\n");
  BOOST_TEST(call("POST", "/api/reload", "{}").status == 200u);
  get("/api/pools");

  no_secret_anywhere();
  BOOST_TEST(stop_service() == 0);
  no_secret_anywhere();
}
