// The server over real sockets: size limits, malformed input, timeouts, the connection cap and
// the write handler.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <mutex>

#include "test/http/server_test_util.hpp"

using namespace mc::test;
using mc::http::api_request;
using mc::http::api_response;

namespace {

// Records what reaches the write handler; answers from its own thread, as the actor will.
struct recording_writer {
  std::mutex mutex;
  std::vector<api_request> seen;
  std::vector<std::thread> responders;
  std::function<void(api_response)> held;  // set when told not to answer
  bool answer = true;
  std::atomic<int> calls{0};

  mc::http::write_handler handler() {
    return [this](api_request r, std::function<void(api_response)> respond) {
      ++calls;
      std::lock_guard lock(mutex);
      seen.push_back(r);
      if (r.body == "throw") throw std::runtime_error("boom");
      if (!answer) {
        held = std::move(respond);
        return;
      }
      responders.emplace_back([r, respond = std::move(respond)] {
        std::this_thread::sleep_for(20ms);
        respond(mc::http::make_response(201, R"({"created":")" + r.path + "\"}"));
        respond(mc::http::make_response(500, "{}"));  // a second answer is ignored
      });
    };
  }
  // The answer callbacks keep sessions alive, and a session must die before its io_context:
  // so this runs inside the server's teardown, after its io threads stopped.
  void release() {
    for (auto& t : responders) t.join();
    responders.clear();
    held = nullptr;
  }
  void attach(running_server& server) {
    server.before_destroy = [this] { release(); };
  }
};

const std::vector<std::pair<std::string, std::string>> json_type{
    {"Content-Type", "application/json"}};

mc::http::server_options short_timeouts() {
  mc::http::server_options o;
  o.idle_timeout = 300ms;
  o.request_timeout = 300ms;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(body_over_the_limit_is_413_and_never_handed_on) {
  recording_writer writer;
  running_server server({}, writer.handler());
  writer.attach(server);
  {
    client c(server.port());
    c.send_raw(
        "POST /api/pools HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 2097152\r\n\r\n" +
        std::string(100'000, ' '));
    auto r = c.read();
    BOOST_TEST(r.result_int() == 413);
    BOOST_TEST(!r.keep_alive());
    BOOST_TEST(c.closed_by_server(2s));
  }
  {
    // Chunked: the size is only known while reading. The whole body is sent before reading,
    // which only works because the server drains what the client still sends after the 413.
    std::string chunked =
        "POST /api/pools HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 24; ++i) chunked += "10000\r\n" + std::string(0x10000, 'x') + "\r\n";
    chunked += "0\r\n\r\n";
    client c(server.port());
    c.send_raw(chunked);
    BOOST_TEST(c.read().result_int() == 413);
  }
  BOOST_TEST(writer.calls.load() == 0);
  BOOST_TEST(server.srv->counters().responses_4xx == 2u);
}

BOOST_AUTO_TEST_CASE(malformed_requests_are_400_and_closed) {
  running_server server;
  for (std::string bad :
       {"GARBAGE\r\n\r\n", "GET /healthz HTTP/1.1\r\nno colon here\r\n\r\n",
        "GET /healthz HTTP/9.9\r\n\r\n", "POST /api/pools HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
    client c(server.port());
    c.send_raw(bad);
    auto r = c.read();
    BOOST_TEST(r.result_int() == 400, bad);
    BOOST_TEST(r.body().find("malformed request") != std::string::npos);
    BOOST_TEST(c.closed_by_server(2s));
  }
}

BOOST_AUTO_TEST_CASE(header_over_the_limit_is_431) {
  running_server server;
  client c(server.port());
  c.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20'000, 'a') + "\r\n\r\n");
  BOOST_TEST(c.read().result_int() == 431);
}

BOOST_AUTO_TEST_CASE(write_handler_gets_the_request_and_answers_asynchronously) {
  recording_writer writer;
  running_server server({}, writer.handler());
  writer.attach(server);
  client c(server.port());
  auto r = c.request(
      "PUT", "/api/pools/a-b?dry_run=1", R"({"port":4004})",
      {{"Content-Type", "application/json; charset=utf-8"}, {"Authorization", "Bearer t0k"}});
  BOOST_TEST(r.result_int() == 201);
  BOOST_TEST(r.body() == R"({"created":"/api/pools/a-b"})");
  BOOST_TEST(r[bhttp::field::cache_control] == "no-store");
  {
    std::lock_guard lock(writer.mutex);
    BOOST_REQUIRE(writer.seen.size() == 1u);
    const auto& req = writer.seen[0];
    BOOST_TEST(req.method == "PUT");
    BOOST_TEST(req.target == "/api/pools/a-b?dry_run=1");
    BOOST_TEST(req.path == "/api/pools/a-b");
    BOOST_TEST(req.query == "dry_run=1");
    BOOST_TEST(req.body == R"({"port":4004})");
    BOOST_TEST(req.content_type == "application/json; charset=utf-8");
    BOOST_TEST(req.authorization == "Bearer t0k");
  }
  // The connection stays usable, and bodiless writes need no Content-Type.
  BOOST_TEST(c.request("DELETE", "/api/pools/a-b").result_int() == 201);
  BOOST_TEST(c.request("GET", "/api/settings").result_int() == 201);
  BOOST_TEST(c.get("/healthz").result_int() == 200);
}

BOOST_AUTO_TEST_CASE(writes_need_a_json_body) {
  recording_writer writer;
  running_server server({}, writer.handler());
  writer.attach(server);
  client c(server.port());
  // A cross-site HTML form would send these types; nothing may reach the handler.
  BOOST_TEST(c.request("POST", "/api/reload", "", {{"Content-Type", "text/plain"}}).result_int() ==
             415);
  BOOST_TEST(c.request("POST", "/api/pools", "a=1",
                       {{"Content-Type", "application/x-www-form-urlencoded"}})
                 .result_int() == 415);
  BOOST_TEST(c.request("POST", "/api/pools", "{}").result_int() == 415);  // no type at all
  BOOST_TEST(writer.calls.load() == 0);
}

BOOST_AUTO_TEST_CASE(expect_100_continue_is_honoured) {
  recording_writer writer;
  running_server server({}, writer.handler());
  writer.attach(server);
  client c(server.port());
  c.send_raw(
      "POST /api/reload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  const auto interim = c.read_until("\r\n\r\n");
  BOOST_TEST(interim.starts_with("HTTP/1.1 100 Continue"), interim);
  c.send_raw("{}");
  BOOST_TEST(c.read().result_int() == 201);
}

BOOST_AUTO_TEST_CASE(a_write_handler_that_never_answers_gives_504) {
  recording_writer writer;
  writer.answer = false;
  running_server server(short_timeouts(), writer.handler());
  writer.attach(server);
  client c(server.port());
  const auto start = std::chrono::steady_clock::now();
  auto r = c.request("POST", "/api/reload");
  BOOST_TEST(r.result_int() == 504);
  BOOST_TEST((std::chrono::steady_clock::now() - start >= 250ms));
  {
    std::lock_guard lock(writer.mutex);
    BOOST_REQUIRE(writer.held);
    writer.held(mc::http::make_response(200, "{}"));  // too late: ignored
  }
  BOOST_TEST(c.get("/healthz").result_int() == 200);
  BOOST_TEST(server.srv->counters().responses_5xx == 1u);
}

BOOST_AUTO_TEST_CASE(a_throwing_write_handler_gives_500) {
  recording_writer writer;
  running_server server({}, writer.handler());
  writer.attach(server);
  client c(server.port());
  auto r = c.request("POST", "/api/pools", "throw", json_type);
  BOOST_TEST(r.result_int() == 500);
  BOOST_TEST(r.body().find("boom") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(idle_and_slow_clients_are_dropped) {
  running_server server(short_timeouts());
  {
    client idle(server.port());
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(idle.closed_by_server(3s));
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 250ms));
  }
  {
    client slow(server.port());
    slow.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
    BOOST_TEST(slow.closed_by_server(3s));
  }
  {
    client kept(server.port());  // idle after an answer: dropped too
    BOOST_TEST(kept.get("/healthz").result_int() == 200);
    BOOST_TEST(kept.closed_by_server(3s));
  }
  BOOST_TEST(eventually([&] { return server.srv->counters().open_connections == 0; }));
}

BOOST_AUTO_TEST_CASE(connections_beyond_the_cap_are_closed_at_once) {
  mc::http::server_options o;
  o.max_connections = 2;
  running_server server(o);
  client a(server.port()), b(server.port());
  BOOST_TEST(a.get("/healthz").result_int() == 200);
  BOOST_TEST(b.get("/healthz").result_int() == 200);
  {
    client over(server.port());
    BOOST_TEST(over.closed_by_server(2s));
  }
  BOOST_TEST(server.srv->counters().open_connections == 2u);
  BOOST_TEST(server.srv->counters().connections == 3u);
  BOOST_TEST(a.get("/healthz").result_int() == 200);  // the first two are unaffected
}
