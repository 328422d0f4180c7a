// The HTTP client against a real local server on 127.0.0.1: answers, errors, limits, deadlines,
// connection reuse, coalescing and the per-host concurrency cap.
#define BOOST_TEST_MODULE http client
#include "http/client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/test/unit_test.hpp>
#include <future>
#include <thread>

#include "test/support/fault_server.hpp"
#include "test/support/local_server.hpp"

using namespace std::chrono_literals;
using mc::test::canned;
using mc::test::get_request;

namespace {

using clock_type = std::chrono::steady_clock;

std::string value_of(const mc::test::header_list& headers, const std::string& name) {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return "<absent>";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct server_and_client {
  mc::test::local_server server;
  std::optional<mc::test::blocking_client> http;

  explicit server_and_client(mc::http::client_options options = {}) { http.emplace(options); }
  ~server_and_client() { BOOST_TEST(http->duplicate_callbacks() == 0u); }
};

struct fixture : server_and_client {
  fixture() : server_and_client(options()) {}
  static mc::http::client_options options() {
    mc::http::client_options o;
    o.user_agent = "mc-test/1.0";
    return o;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(answers, fixture)

BOOST_AUTO_TEST_CASE(a_200_json_answer_arrives_with_status_body_and_lower_case_headers) {
  server.route("/api/stats?coin=dgb", {200, R"({"hashrate":1.5e12})", {{"X-Pool-Thing", "7"}}});
  auto r = http->fetch(get_request(server.url("/api/stats?coin=dgb"), 5s, {}, "stats"));
  BOOST_TEST(r.error == "");
  BOOST_TEST(r.ok());
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == R"({"hashrate":1.5e12})");
  BOOST_TEST(r.header("content-type") == "application/json");
  BOOST_TEST(r.header("x-pool-thing") == "7");
  BOOST_TEST(r.id == "stats");
  BOOST_TEST(r.url == server.url("/api/stats?coin=dgb"));
  BOOST_TEST(r.host == "127.0.0.1");
  BOOST_TEST((r.elapsed >= 0ms && r.elapsed < 5s));
  BOOST_TEST(server.hits("/api/stats") == 1u);
}

BOOST_AUTO_TEST_CASE(error_statuses_pass_through_with_their_body) {
  server.route("/missing", {404, R"({"error":"no such user"})"});
  server.route("/broken", {500, "internal trouble", {}, 0ms});
  auto a = http->fetch(get_request(server.url("/missing")));
  BOOST_TEST(a.status == 404);
  BOOST_TEST(a.body == R"({"error":"no such user"})");
  BOOST_TEST(a.error == "");
  BOOST_TEST(!a.ok());
  auto b = http->fetch(get_request(server.url("/broken")));
  BOOST_TEST(b.status == 500);
  BOOST_TEST(b.body == "internal trouble");
  BOOST_TEST(!b.ok());
}

BOOST_AUTO_TEST_CASE(redirects_are_returned_not_followed) {
  server.route("/old", {301, "", {{"Location", "/new"}}});
  server.route("/new", {200, "{}"});
  auto r = http->fetch(get_request(server.url("/old")));
  BOOST_TEST(r.status == 301);
  BOOST_TEST(r.header("location") == "/new");
  BOOST_TEST(server.hits("/new") == 0u);
}

BOOST_AUTO_TEST_CASE(the_request_sends_host_user_agent_accept_and_its_own_headers) {
  server.route("/h", {200, "{}"});
  auto r = http->fetch(get_request(server.url("/h"), 5s,
                                   {{"X-Api-Key", "secret-1"}, {"Authorization", "Bearer t0k"}}));
  BOOST_TEST(r.ok());
  const auto seen = server.last_headers("/h");
  BOOST_TEST(value_of(seen, "x-api-key") == "secret-1");
  BOOST_TEST(value_of(seen, "authorization") == "Bearer t0k");
  BOOST_TEST(value_of(seen, "user-agent") == "mc-test/1.0");
  BOOST_TEST(value_of(seen, "accept") == "application/json, */*");
  BOOST_TEST(value_of(seen, "host") == "127.0.0.1:" + std::to_string(server.port()));
  BOOST_TEST(value_of(seen, "accept-encoding") == "<absent>");  // no compression asked for
}

BOOST_AUTO_TEST_CASE(a_request_header_replaces_a_default_one) {
  server.route("/h", {200, "{}"});
  http->fetch(get_request(server.url("/h"), 5s, {{"accept", "text/plain"}}));
  const auto seen = server.last_headers("/h");
  std::size_t accepts = 0;
  for (const auto& [n, v] : seen) accepts += n == "accept";
  BOOST_TEST(accepts == 1u);
  BOOST_TEST(value_of(seen, "accept") == "text/plain");
}

BOOST_AUTO_TEST_CASE(framing_headers_of_a_request_are_refused_and_post_says_its_body_is_empty) {
  server.route("/h", {200, "{}"});
  for (const char* name : {"Content-Length", "transfer-encoding"}) {
    auto r = http->fetch(get_request(server.url("/h"), 2s, {{name, "5"}}));
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.error ==
               std::string("header \"") + name + "\" is set by the client, not by a request");
  }
  BOOST_TEST(server.hits("/h") == 0u);
  auto post = get_request(server.url("/h"), 2s, {{"Host", "pool.example"}});
  post.method = "POST";
  BOOST_TEST(http->fetch(post).ok());
  const auto seen = server.last_headers("/h");
  BOOST_TEST(value_of(seen, "content-length") == "0");
  BOOST_TEST(value_of(seen, "host") == "pool.example");  // a request's own Host replaces ours
  BOOST_TEST(http->fetch(get_request(server.url("/h"))).ok());
  BOOST_TEST(value_of(server.last_headers("/h"), "content-length") == "<absent>");
}

BOOST_AUTO_TEST_CASE(a_head_request_reads_no_body_and_keeps_the_connection) {
  server.route("/h", {200, R"({"some":"body"})"});
  auto head = get_request(server.url("/h"), 2s);
  head.method = "HEAD";
  auto r = http->fetch(head);
  BOOST_TEST(r.error == "");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == "");
  BOOST_TEST(r.header("content-length") == "15");
  BOOST_TEST(http->fetch(get_request(server.url("/h"))).body == R"({"some":"body"})");
  BOOST_TEST(server.connections_accepted() == 1u);
}

BOOST_AUTO_TEST_CASE(callbacks_run_on_an_io_thread_never_inside_fetch) {
  std::promise<std::thread::id> where;
  auto f = where.get_future();
  http->client().fetch(get_request("no-scheme"),
                       [&](mc::http_response) { where.set_value(std::this_thread::get_id()); });
  BOOST_REQUIRE((f.wait_for(5s) == std::future_status::ready));
  BOOST_TEST((f.get() != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(errors, fixture)

BOOST_AUTO_TEST_CASE(invalid_urls_answer_with_an_error_and_never_throw) {
  for (std::string url : {"ftp://x/y", "http://", "http://host:99999/", "http://ho st/",
                          "http://user:pw@host/", "pool.example.com/api", "http://h/a b"}) {
    auto r = http->fetch(get_request(url));
    BOOST_TEST_CONTEXT(url) {
      BOOST_TEST(r.error.rfind("invalid URL: " + url, 0) == 0u, r.error);
      BOOST_TEST(r.status == 0);
      BOOST_TEST(r.url == url);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_slow_server_hits_the_deadline_within_it) {
  server.route("/slow", {200, "{}", {}, 3s});
  const auto t0 = clock_type::now();
  auto r = http->fetch(get_request(server.url("/slow"), 300ms));
  const auto took = clock_type::now() - t0;
  BOOST_TEST(r.error == "timeout after 0.3 s");
  BOOST_TEST(r.status == 0);
  BOOST_TEST((took >= 300ms && took < 1s));
  BOOST_TEST((r.elapsed >= 300ms && r.elapsed < 1s));
}

// An origin watches its requests' deadlines with one timer: when the earliest deadline is of
// a request already answered, the timer moves on to the next one, which still cuts on time.
BOOST_AUTO_TEST_CASE(a_deadline_after_an_earlier_one_of_an_answered_request_still_cuts) {
  server.route("/fast", {200, "{}"});
  server.route("/slow", {200, "{}", {}, 3s});
  auto rs = http->fetch_all(
      {get_request(server.url("/fast"), 300ms), get_request(server.url("/slow"), 700ms)});
  BOOST_TEST(rs[0].error == "");
  BOOST_TEST(rs[0].status == 200);
  BOOST_TEST(rs[1].error == "timeout after 0.7 s");
  BOOST_TEST((rs[1].elapsed >= 700ms && rs[1].elapsed < 1500ms));
}

BOOST_AUTO_TEST_CASE(time_queued_behind_the_per_host_limit_counts_toward_the_deadline) {
  mc::test::blocking_client one_at_a_time([] {
    mc::http::client_options o;
    o.max_in_flight_per_host = 1;
    return o;
  }());
  server.route("/slow1", {200, "{}", {}, 2s});
  server.route("/slow2", {200, "{}", {}, 2s});
  const auto t0 = clock_type::now();
  auto rs = one_at_a_time.fetch_all(
      {get_request(server.url("/slow1"), 700ms), get_request(server.url("/slow2"), 300ms)});
  BOOST_TEST(rs[0].error == "timeout after 0.7 s");
  BOOST_TEST(rs[1].error == "timeout after 0.3 s");
  BOOST_TEST((rs[1].elapsed >= 300ms && rs[1].elapsed < 700ms));  // while the first still ran
  BOOST_TEST((clock_type::now() - t0 < 1500ms));
  BOOST_TEST(server.hits("/slow2") == 0u);  // never left the queue
}

BOOST_AUTO_TEST_CASE(a_closed_port_is_connection_refused) {
  const auto port = mc::test::unused_port();
  auto r = http->fetch(get_request("http://127.0.0.1:" + std::to_string(port) + "/api"));
  BOOST_TEST(contains(r.error, "connection refused"), r.error);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.host == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(an_unknown_host_name_is_reported_by_name) {
  auto r = http->fetch(get_request("http://no-such-pool.invalid/api", 4s));
  // Without any DNS server the resolver may not answer in time: then the deadline speaks.
  BOOST_TEST((contains(r.error, "could not resolve host no-such-pool.invalid") ||
              r.error == "timeout after 4 s"),
             r.error);
  BOOST_TEST(r.host == "no-such-pool.invalid");
}

BOOST_AUTO_TEST_CASE(a_body_over_the_cap_is_an_error) {
  mc::http::client_options o;
  o.max_body_bytes = 1000;
  mc::test::blocking_client small(o);
  server.route("/big", {200, std::string(5000, 'x')});
  server.route("/fits", {200, std::string(1000, 'y')});
  auto r = small.fetch(get_request(server.url("/big")));
  BOOST_TEST(r.error == "response body over 1000 bytes");
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.body == "");
  BOOST_TEST(small.fetch(get_request(server.url("/fits"))).body.size() == 1000u);
}

BOOST_AUTO_TEST_CASE(a_header_over_the_cap_is_an_error) {
  mc::http::client_options o;
  o.max_header_bytes = 512;
  mc::test::blocking_client small(o);
  server.route("/fat", {200, "{}", {{"X-Padding", std::string(2000, 'p')}}});
  auto r = small.fetch(get_request(server.url("/fat")));
  BOOST_TEST(r.error == "response header over 512 bytes");
}

BOOST_AUTO_TEST_CASE(a_chunked_answer_arrives_joined_with_its_header_fields_and_trailer) {
  mc::test::fault_server chunks;
  auto r = http->fetch(get_request(chunks.base_url("chunked") + "/x"));
  BOOST_TEST(r.error == "");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == R"({"hashrate": 42})");
  BOOST_TEST(r.header("content-type") == "application/json");
  BOOST_TEST(r.header("x-checksum") == "7");
}

BOOST_AUTO_TEST_CASE(a_fresh_connection_closed_without_answer_is_not_retried) {
  canned hang_up;
  hang_up.close_without_answer = true;
  server.route("/hangup", hang_up);
  auto r = http->fetch(get_request(server.url("/hangup")));
  BOOST_TEST(r.error == "connection closed before a complete response");
  BOOST_TEST(server.hits("/hangup") == 1u);
}

BOOST_AUTO_TEST_CASE(a_truncated_body_is_an_error) {
  canned half{200, std::string(4000, 'z')};
  half.truncate_body = true;
  server.route("/half", half);
  auto r = http->fetch(get_request(server.url("/half")));
  BOOST_TEST(r.error == "connection closed before a complete response");
  BOOST_TEST(r.status == 0);
}

BOOST_AUTO_TEST_CASE(destroying_the_client_answers_what_is_in_flight) {
  server.route("/slow", {200, "{}", {}, 3s});
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread t([&] { io.run(); });
  std::promise<mc::http_response> answer;
  auto f = answer.get_future();
  {
    mc::http::client c(io);
    c.fetch(get_request(server.url("/slow"), 5s),
            [&](mc::http_response r) { answer.set_value(std::move(r)); });
    std::this_thread::sleep_for(100ms);
  }
  BOOST_REQUIRE((f.wait_for(2s) == std::future_status::ready));
  BOOST_TEST(f.get().error == "client shut down");
  work.reset();
  t.join();  // nothing left running: the io_context ran out of work
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(connections, fixture)

BOOST_AUTO_TEST_CASE(sequential_requests_reuse_one_kept_alive_connection) {
  server.route("/a", {200, "{}"});
  for (int i = 0; i < 5; ++i) BOOST_TEST(http->fetch(get_request(server.url("/a"))).ok());
  BOOST_TEST(server.connections_accepted() == 1u);
  BOOST_TEST(http->counters().connections_opened == 1u);
  BOOST_TEST(http->counters().requests_sent == 5u);
}

BOOST_AUTO_TEST_CASE(an_idle_connection_the_server_closed_is_retried_transparently) {
  server.set_idle_timeout(100ms);
  server.route("/a", {200, R"({"n":1})"});
  BOOST_TEST(http->fetch(get_request(server.url("/a"))).ok());
  std::this_thread::sleep_for(400ms);  // the server drops the kept-alive connection
  auto r = http->fetch(get_request(server.url("/a")));
  BOOST_TEST(r.error == "");
  BOOST_TEST(r.body == R"({"n":1})");
  BOOST_TEST(server.hits("/a") == 2u);
  BOOST_TEST(server.connections_accepted() == 2u);
  BOOST_TEST(http->counters().connections_opened == 2u);
  BOOST_TEST(http->counters().requests_sent == 3u);  // the one into the dead connection too
}

BOOST_AUTO_TEST_CASE(a_server_that_hangs_up_after_answering_costs_no_error) {
  canned bye{200, "{}"};
  bye.close_after_answer = true;
  server.route("/bye", bye);
  server.route("/next", {200, "{}"});
  BOOST_TEST(http->fetch(get_request(server.url("/bye"))).ok());
  std::this_thread::sleep_for(50ms);
  BOOST_TEST(http->fetch(get_request(server.url("/next"))).ok());
  BOOST_TEST(server.hits("/next") == 1u);
}

BOOST_AUTO_TEST_CASE(identical_concurrent_gets_are_sent_once_and_shared) {
  server.route("/stats", {200, R"({"difficulty":2})", {}, 300ms});
  std::vector<mc::http_request> requests;
  for (int i = 0; i < 5; ++i)
    requests.push_back(get_request(server.url("/stats"), 5s, {}, "pool-" + std::to_string(i)));
  auto rs = http->fetch_all(requests);
  BOOST_TEST(server.hits("/stats") == 1u);
  for (int i = 0; i < 5; ++i) {
    BOOST_TEST(rs[i].ok());
    BOOST_TEST(rs[i].body == R"({"difficulty":2})");
    BOOST_TEST(rs[i].id == "pool-" + std::to_string(i));
    // One buffer and one parsed document for every caller, not a copy each.
    BOOST_TEST(rs[i].body.data() == rs[0].body.data());
    BOOST_TEST(rs[i].body.json() == rs[0].body.json());
  }
  BOOST_TEST(http->counters().requests_shared == 4u);
  BOOST_TEST(http->counters().requests_sent == 1u);
}

BOOST_AUTO_TEST_CASE(a_recent_answer_is_reused_within_the_window_once_a_second_caller_asked) {
  server.route("/stats", {200, R"({"difficulty":2})"});
  server.route("/down", {500, R"({"error":"x"})"});
  auto get = [&](const std::string& path, const std::string& id, std::chrono::milliseconds reuse) {
    std::promise<mc::http_response> answered;
    auto f = answered.get_future();
    http->client().fetch(
        get_request(server.url(path), 5s, {}, id),
        [&answered](mc::http_response r) { answered.set_value(std::move(r)); }, reuse);
    BOOST_REQUIRE(f.wait_for(10s) == std::future_status::ready);
    return f.get();
  };
  BOOST_TEST(get("/stats", "a", 10s).ok());
  // A second caller within the window: fetched once more, and from now on kept.
  BOOST_TEST(get("/stats", "b", 10s).ok());
  BOOST_TEST(server.hits("/stats") == 2u);
  std::vector<mc::response_body> reused;
  for (const std::string id : {"c", "d", "e"}) {
    auto r = get("/stats", id, 10s);
    BOOST_TEST(r.ok());
    BOOST_TEST(r.id == id);
    BOOST_TEST(r.body == R"({"difficulty":2})");
    reused.push_back(r.body);
  }
  BOOST_TEST(reused.front().data() == reused.back().data());  // the kept answer, shared
  BOOST_TEST(server.hits("/stats") == 2u);
  BOOST_TEST(http->counters().requests_shared == 3u);
  // Past the caller's window: fetched anew. Without a window: always fetched.
  std::this_thread::sleep_for(300ms);
  BOOST_TEST(get("/stats", "f", 200ms).ok());
  BOOST_TEST(server.hits("/stats") == 3u);
  BOOST_TEST(get("/stats", "g", 0ms).ok());
  BOOST_TEST(server.hits("/stats") == 4u);
  // An error answer is never handed to another caller.
  for (const std::string id : {"x", "y", "z"}) BOOST_TEST(get("/down", id, 10s).status == 500);
  BOOST_TEST(server.hits("/down") == 3u);
}

BOOST_AUTO_TEST_CASE(per_host_counters_see_requests_shares_429s_and_errors) {
  server.route("/ok", {200, "{}"});
  server.route("/slow", {200, "{}", {}, 200ms});
  server.route("/limited", {429, R"({"error":"slow down"})", {{"Retry-After", "30"}}});
  const auto refused = "http://127.0.0.1:" + std::to_string(mc::test::unused_port()) + "/x";
  http->fetch(get_request(server.url("/ok")));
  http->fetch(get_request(server.url("/limited")));
  http->fetch_all({get_request(server.url("/slow")), get_request(server.url("/slow"))});
  http->fetch(get_request(refused));
  auto of = [&](const std::string& url) {
    const auto host = url.substr(7, url.find('/', 7) - 7);  // after http://
    for (const auto& h : http->host_counters())
      if (h.host == host) return h;
    BOOST_FAIL("no counters for " << host);
    return mc::http::client::host_stats{};
  };
  const auto local = of(server.url("/"));
  BOOST_TEST(local.requests == 3u);  // the shared GET went out once
  BOOST_TEST(local.shared == 1u);
  BOOST_TEST(local.rate_limited == 1u);
  BOOST_TEST(local.errors == 0u);
  const auto gone = of(refused);
  BOOST_TEST(gone.requests == 1u);
  BOOST_TEST(gone.errors == 1u);
}

BOOST_AUTO_TEST_CASE(gets_with_other_headers_or_other_methods_are_not_shared) {
  server.route("/stats", {200, "{}", {}, 200ms});
  auto with_key = get_request(server.url("/stats"), 5s, {{"X-Api-Key", "k"}});
  auto post = get_request(server.url("/stats"));
  post.method = "POST";
  auto rs = http->fetch_all({get_request(server.url("/stats")), with_key, post});
  for (const auto& r : rs) BOOST_TEST(r.ok());
  BOOST_TEST(server.hits("/stats") == 3u);
  BOOST_TEST(http->counters().requests_shared == 0u);
}

BOOST_AUTO_TEST_CASE(no_more_than_max_in_flight_per_host_reach_the_server_at_once) {
  mc::http::client_options o;
  o.max_in_flight_per_host = 2;
  mc::test::blocking_client capped(o, 2);
  server.route_handler("/work", [](const std::string&, const mc::test::header_list&) {
    return canned{200, "{}", {}, 150ms};
  });
  std::vector<mc::http_request> requests;
  for (int i = 0; i < 6; ++i)
    requests.push_back(get_request(server.url("/work?n=" + std::to_string(i))));
  const auto t0 = clock_type::now();
  auto rs = capped.fetch_all(requests);
  for (const auto& r : rs) BOOST_TEST(r.ok(), r.error);
  BOOST_TEST(server.hits("/work") == 6u);
  BOOST_TEST(server.max_concurrent_requests() == 2u);  // the cap, and also used in full
  BOOST_TEST((clock_type::now() - t0 >= 450ms));       // three rounds of two
  BOOST_TEST(server.connections_accepted() <= 2u);
}

BOOST_AUTO_TEST_CASE(many_threads_many_fetches_every_callback_exactly_once) {
  mc::test::blocking_client busy({}, 3);
  server.route_handler("/n", [](const std::string& target, const mc::test::header_list&) {
    return canned{200, target};
  });
  std::vector<mc::http_request> requests;
  for (int i = 0; i < 40; ++i)
    requests.push_back(
        get_request(server.url("/n?i=" + std::to_string(i % 10)), 5s, {}, std::to_string(i)));
  std::vector<mc::http_response> a, b;
  std::thread other([&] { b = busy.fetch_all(requests); });
  a = busy.fetch_all(requests);
  other.join();
  for (int i = 0; i < 40; ++i) {
    BOOST_TEST(a[i].body == "/n?i=" + std::to_string(i % 10));
    BOOST_TEST(b[i].body == "/n?i=" + std::to_string(i % 10));
    BOOST_TEST(a[i].id == std::to_string(i));
  }
  const auto c = busy.counters();
  BOOST_TEST(c.requests_sent + c.requests_shared == 80u);
  BOOST_TEST(c.connections_opened <= 4u);
  BOOST_TEST(busy.duplicate_callbacks() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
