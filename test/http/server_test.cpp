// The server over real sockets on 127.0.0.1: reads from the snapshot. Limits, timeouts and
// writes are in server_test_limits.cpp.
#define BOOST_TEST_MODULE http server
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "test/http/server_test_util.hpp"
#include "test/support/fixed_pool_part.hpp"

using namespace mc::test;
namespace fs = std::filesystem;
using mc::http::snapshot;

namespace {

// One pool, "a", whose dashboard entry is `entry`.
std::shared_ptr<snapshot> make_snapshot(bool ready = true,
                                        std::string entry = R"({"pool_id":"a"})") {
  auto s = std::make_shared<snapshot>();
  s->ready = ready;
  s->templates = std::make_shared<const mc::http::template_set>(
      std::vector<std::string>{R"({"template_id":"t"})"},
      std::map<std::string, std::vector<std::size_t>>{});
  s->set_pools(std::make_shared<const mc::http::pool_index>(std::vector<std::string>{"a"}),
               {fixed_part(std::move(entry))});
  s->drivers = body(R"({"loaded":[]})");
  s->pools = mc::http::lazy_body::of(body(R"([{"pool_id":"a"}])"));
  return s;
}

std::string error_of(const reply& r) {
  return std::string(boost::json::parse(r.body()).as_object().at("error").as_string());
}

}  // namespace

BOOST_AUTO_TEST_CASE(snapshot_get_returns_the_exact_bytes) {
  running_server server;
  std::string big;
  for (int i = 0; i < 300'000; ++i) big += static_cast<char>(i * 7 % 256);  // every byte value
  server.srv->publish(make_snapshot(true, big));
  big = R"({"a":)" + big + "}";  // the whole dashboard: the one pool's entry joined

  client c(server.port());
  auto r = c.get("/api/dashboard/pools");
  BOOST_TEST(r.result_int() == 200);
  BOOST_TEST((r.body() == big));
  BOOST_TEST(r[bhttp::field::content_type] == "application/json; charset=utf-8");
  BOOST_TEST(r[bhttp::field::cache_control] == "no-store");
  BOOST_TEST(r[bhttp::field::content_length] == std::to_string(big.size()));
  BOOST_TEST(r.keep_alive());
  BOOST_TEST((c.get("/api/dashboard/pools?pool_id=a").body() == big.substr(5, big.size() - 6)));
}

BOOST_AUTO_TEST_CASE(starting_until_published_and_readyz_follows_the_snapshot) {
  running_server server;
  client c(server.port());
  BOOST_TEST(c.get("/healthz").result_int() == 200);
  auto pools = c.get("/api/pools");
  BOOST_TEST(pools.result_int() == 503);
  BOOST_TEST(error_of(pools) == "starting");
  BOOST_TEST(c.get("/readyz").result_int() == 503);

  server.srv->publish(make_snapshot(false));
  BOOST_TEST(c.get("/readyz").result_int() == 503);
  BOOST_TEST(c.get("/api/pools").result_int() == 200);
  server.srv->publish(make_snapshot(true));
  auto ready = c.get("/readyz");
  BOOST_TEST(ready.result_int() == 200);
  BOOST_TEST(ready.body() == R"({"ready":true})");
}

BOOST_AUTO_TEST_CASE(keep_alive_serves_many_requests_on_one_connection) {
  running_server server;
  server.srv->publish(make_snapshot());
  client c(server.port());
  for (int i = 0; i < 300; ++i) {
    auto r = c.get(i % 2 ? "/api/pools" : "/api/drivers/");
    BOOST_REQUIRE(r.result_int() == 200);
    BOOST_REQUIRE(r.body() == (i % 2 ? R"([{"pool_id":"a"}])" : R"({"loaded":[]})"));
  }
  const auto n = server.srv->counters();
  BOOST_TEST(n.connections == 1u);
  BOOST_TEST(n.requests == 300u);
  BOOST_TEST(n.open_connections == 1u);
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
  running_server server;
  server.srv->publish(make_snapshot());
  client c(server.port());
  c.send_raw(
      "GET /api/drivers HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/pools HTTP/1.1\r\nHost: x\r\n\r\n");
  BOOST_TEST(c.read().body() == R"({"loaded":[]})");
  BOOST_TEST(c.read().result_int() == 404);
  BOOST_TEST(c.read().body() == R"([{"pool_id":"a"}])");
}

BOOST_AUTO_TEST_CASE(head_sends_the_length_but_no_body) {
  running_server server;
  server.srv->publish(make_snapshot());
  client c(server.port());
  auto h = c.request("HEAD", "/api/pools");
  BOOST_TEST(h.result_int() == 200);
  BOOST_TEST(h[bhttp::field::content_length] == "17");
  BOOST_TEST(h.body().empty());
  // Had a body been sent, it would now be read as the next answer's start.
  BOOST_TEST(c.get("/healthz").body() == R"({"status":"ok"})");
}

BOOST_AUTO_TEST_CASE(unknown_path_is_404_and_wrong_method_405) {
  running_server server;
  server.srv->publish(make_snapshot());
  client c(server.port());
  auto nope = c.get("/api/nope");
  BOOST_TEST(nope.result_int() == 404);
  BOOST_TEST(nope[bhttp::field::content_type] == "application/json; charset=utf-8");
  BOOST_TEST(error_of(nope) == "no such path: /api/nope");
  auto wrong = c.request("DELETE", "/api/drivers");
  BOOST_TEST(wrong.result_int() == 405);
  BOOST_TEST(wrong[bhttp::field::allow] == "GET, HEAD");
  auto no_writer = c.request("POST", "/api/reload", "{}", {{"Content-Type", "application/json"}});
  BOOST_TEST(no_writer.result_int() == 405);
  BOOST_TEST(c.get("/api/pools").result_int() == 200);  // errors keep the connection
  BOOST_TEST(server.srv->counters().responses_4xx == 3u);
}

BOOST_AUTO_TEST_CASE(concurrent_readers_never_see_a_mixed_snapshot) {
  running_server server;  // two io threads
  // Each snapshot's dashboard is joined by whichever reader comes first.
  const std::string entry_a(20'000, 'a'), entry_b(35'000, 'b');
  auto a = make_snapshot(true, entry_a);
  auto b = make_snapshot(true, entry_b);
  const std::string body_a = R"({"a":)" + entry_a + "}", body_b = R"({"a":)" + entry_b + "}";
  server.srv->publish(a);

  std::atomic<bool> done{false};
  std::thread publisher([&] {
    for (bool flip = false; !done; flip = !flip) {
      server.srv->publish(flip ? a : b);
      std::this_thread::sleep_for(100us);
    }
  });
  std::atomic<int> seen_a{0}, seen_b{0}, wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      client c(server.port());
      for (int i = 0; i < 300; ++i) {
        auto r = c.get("/api/dashboard/pools");
        if (r.body() == body_a)
          ++seen_a;
        else if (r.body() == body_b)
          ++seen_b;
        else
          ++wrong;
      }
    });
  for (auto& r : readers) r.join();
  done = true;
  publisher.join();
  BOOST_TEST(wrong.load() == 0);
  BOOST_TEST(seen_a.load() + seen_b.load() == 900);
  BOOST_TEST(seen_a.load() > 0);
  BOOST_TEST(seen_b.load() > 0);
}

BOOST_AUTO_TEST_CASE(serves_the_web_ui_under_app) {
  const auto dir = fs::temp_directory_path() / ("mc-server-ui-" + std::to_string(::getpid()));
  fs::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<html>ui</html>";
  std::ofstream(dir / "assets" / "a.js") << "let x = 1;";
  std::ofstream(dir.string() + "-secret.txt") << "outside";
  fs::create_symlink(dir.string() + "-secret.txt", dir / "leak.txt");
  {
    mc::http::server_options o;
    o.static_dir = dir.string();
    running_server server(o);
    client c(server.port());
    auto root = c.get("/");
    BOOST_TEST(root.result_int() == 302);
    BOOST_TEST(root[bhttp::field::location] == "/app/");
    auto index = c.get("/app/pools/x");
    BOOST_TEST(index.body() == "<html>ui</html>");
    BOOST_TEST(index[bhttp::field::content_type] == "text/html; charset=utf-8");
    auto js = c.get("/app/assets/a.js");
    BOOST_TEST(js.body() == "let x = 1;");
    BOOST_TEST(js[bhttp::field::content_type] == "text/javascript; charset=utf-8");
    BOOST_TEST(c.get("/app/").body() == "<html>ui</html>");
    BOOST_TEST(c.get("/app/dashboard").body() == "<html>ui</html>");
    BOOST_TEST(c.get("/app/%2e%2e/%2e%2e/etc/passwd").result_int() == 400);
    BOOST_TEST(c.get("/app/..%2f..%2fetc%2fpasswd").result_int() == 400);
    BOOST_TEST(c.get("/app/leak.txt").result_int() == 404);  // a symlink out of the dir
    BOOST_TEST(c.get("/app/assets/missing.js").result_int() == 404);
    BOOST_TEST(c.get("/app/favicon.ico").result_int() == 404);
  }
  fs::remove_all(dir);
  fs::remove(dir.string() + "-secret.txt");
}

BOOST_AUTO_TEST_CASE(a_taken_or_invalid_address_throws_a_clear_error) {
  running_server server;
  net::io_context io;
  mc::http::server_options o;
  o.port = server.port();
  try {
    mc::http::server second(io, o);
    BOOST_FAIL("bound a taken port");
  } catch (const std::system_error& e) {
    BOOST_TEST(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(o.port)) !=
               std::string::npos);
  }
  o.address = "300.1.1.1";
  try {
    mc::http::server third(io, o);
    BOOST_FAIL("accepted an invalid address");
  } catch (const std::system_error& e) {
    BOOST_TEST(std::string(e.what()).find("invalid listen address 300.1.1.1") != std::string::npos);
  }
  o.address = "127.0.0.1";
  o.port = 0;
  o.static_dir = "/nonexistent/mc-ui";
  BOOST_CHECK_THROW(mc::http::server(io, o), std::system_error);
}

BOOST_AUTO_TEST_CASE(stop_closes_connections_and_the_listener) {
  running_server server;
  client c(server.port());
  BOOST_TEST(c.get("/healthz").result_int() == 200);
  server.srv->stop();
  BOOST_TEST(c.closed_by_server(2s));
  bool refused = false;  // the listener closes on its strand, shortly after stop()
  for (int i = 0; i < 40 && !refused; ++i) {
    try {
      client late(server.port(), 200ms);
      std::this_thread::sleep_for(50ms);
    } catch (const std::exception&) {
      refused = true;
    }
  }
  BOOST_TEST(refused);
  server.srv->stop();  // idempotent
}
