// GET /metrics text: the exposition primitives, the families of pools, server and client, the
// classifier of failed polls, and the request counters, all checked through a strict parser of
// the text format (test/support/prometheus_text).
#define BOOST_TEST_MODULE metrics
#include "http/metrics.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdio>
#include <miner_controller/driver_support.hpp>

#include "http/poll_error_kind.hpp"
#include "http/request_metrics.hpp"
#include "test/support/prometheus_text.hpp"

using namespace mc::http;
using mc::test::parse_prometheus;
using namespace std::chrono_literals;

namespace {

std::string errors_of(const mc::test::prom_document& d) {
  std::string out;
  for (const auto& e : d.errors) out += e + "\n";
  return out;
}

mc::test::prom_document valid(const std::string& text) {
  auto d = parse_prometheus(text);
  BOOST_TEST(d.errors.empty(), errors_of(d) << "in:\n" << text);
  return d;
}

std::string value_text(double v) {
  std::string out;
  prom::append_value(out, v);
  return out;
}

metrics::pool_sample healthy_pool() {
  metrics::pool_sample p;
  p.pool_id = "solopool-dgb-eu1";
  p.driver = "solopool";
  p.coin = "DGB";
  p.up = true;
  p.hashrate_hs = 1.2e12;
  p.workers = 2;
  p.shares_valid = 2400;
  p.shares_invalid = 5;
  p.shares_stale = 1;
  p.poll_latency_s = 0.0123;
  p.last_success = 1764000000;
  p.polls = 7;
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(text_format)

BOOST_AUTO_TEST_CASE(label_values_escape_backslash_quote_and_newline) {
  std::string out;
  prom::append_label_value(out, "a\\b\"c\nd");
  BOOST_TEST(out == R"(a\\b\"c\nd)");
  BOOST_TEST(prom::label_text({{"a", "x"}, {"b", "\""}}) == R"(a="x",b="\"")");
  BOOST_TEST(prom::label_text({}) == "");
}

BOOST_AUTO_TEST_CASE(help_escapes_backslash_and_newline_but_not_quotes) {
  std::string out;
  prom::append_header(out, "m", "gauge", "say \"hi\"\\\nbye");
  BOOST_TEST(out == "# HELP m say \"hi\"\\\\\\nbye\n# TYPE m gauge\n");
  auto d = valid(out + "m 1\n");
  BOOST_TEST(d.family("m")->help == "say \"hi\"\\\nbye");
}

BOOST_AUTO_TEST_CASE(values_read_back_exactly) {
  BOOST_TEST(value_text(0) == "0");
  BOOST_TEST(value_text(1234567) == "1234567");
  BOOST_TEST(value_text(-3) == "-3");
  BOOST_TEST(value_text(0.0005) == "0.0005");
  BOOST_TEST(value_text(1.2e12) == "1200000000000");
  BOOST_TEST(value_text(1.5e20) == "1.5e+20");
  BOOST_TEST(value_text(1e-7) == "1e-07");
  BOOST_TEST(value_text(NAN) == "NaN");
  BOOST_TEST(value_text(INFINITY) == "+Inf");
  BOOST_TEST(value_text(-INFINITY) == "-Inf");
  for (double v : {0.1, 1.0 / 3, 123.456, 6.02e23, 1e-300, 0.0123}) {
    std::string text = "m " + value_text(v) + "\n";
    BOOST_TEST(valid(text).at("m") == v, text);
  }
}

BOOST_AUTO_TEST_CASE(samples_join_labels_and_extra_labels) {
  std::string out;
  prom::append_sample(out, "m", "", 1);
  prom::append_sample(out, "m", R"(a="1")", 2);
  prom::append_sample(out, "m", R"(a="2")", 3, {{"kind", "x\"y"}});
  prom::append_sample(out, "m", "", 4, {{"kind", "z"}});
  BOOST_TEST(out == "m 1\nm{a=\"1\"} 2\nm{a=\"2\",kind=\"x\\\"y\"} 3\nm{kind=\"z\"} 4\n");
  auto d = valid(out);
  BOOST_TEST(d.at("m", {{"kind", "x\"y"}}) == 3);
}

BOOST_AUTO_TEST_CASE(histograms_are_cumulative_with_inf_equal_to_count) {
  prom::histogram h{{0.001, 0.01, 0.1}, {2, 0, 3, 1}, 0.75};
  std::string out;
  prom::append_header(out, "lat", "histogram", "latency");
  prom::append_histogram(out, "lat", R"(route="/x")", h);
  BOOST_TEST(out ==
             "# HELP lat latency\n# TYPE lat histogram\n"
             "lat_bucket{route=\"/x\",le=\"0.001\"} 2\nlat_bucket{route=\"/x\",le=\"0.01\"} 2\n"
             "lat_bucket{route=\"/x\",le=\"0.1\"} 5\nlat_bucket{route=\"/x\",le=\"+Inf\"} 6\n"
             "lat_sum{route=\"/x\"} 0.75\nlat_count{route=\"/x\"} 6\n");
  valid(out);
}

BOOST_AUTO_TEST_SUITE_END()

// The parser must itself be strict, or the other tests prove nothing.
BOOST_AUTO_TEST_CASE(the_parser_rejects_what_prometheus_rejects) {
  for (const char* bad : {
           "m 1",                                    // no final newline
           "1m 1\n",                                 // name starts with a digit
           "m-x 1\n",                                // '-' in a name
           "m{a=\"1} 2\n",                           // unterminated value
           "m{a=\"\\t\"} 2\n",                       // escape Prometheus lacks
           "m{a=1} 2\n",                             // unquoted value
           "m{__x=\"1\"} 2\n",                       // reserved label name
           "m{a=\"1\",a=\"2\"} 2\n",                 // label twice
           "m one\n",                                // not a number
           "m 1\nm 2\n",                             // duplicate series
           "m 1\n# TYPE m gauge\n",                  // TYPE after samples
           "# TYPE m gauge\n# TYPE m gauge\nm 1\n",  // TYPE twice
           "# TYPE m bogus\nm 1\n",                  // unknown type
           "# HELP m x\n# HELP m y\nm 1\n",          // HELP twice
           "a 1\nb 1\na{x=\"1\"} 2\n",               // family interleaved
           "# TYPE c counter\nc -1\n",               // negative counter
           "# TYPE h histogram\nh 1\n",              // histogram without suffix
           "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
           "h_sum 1\nh_count 1\n",                                               // not cumulative
           "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",  // +Inf != count
           "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_sum 1\nh_count 2\n",     // no +Inf
       }) {
    BOOST_TEST(!parse_prometheus(bad).errors.empty(), "accepted: " << bad);
  }
  valid("# a comment\n\nm{a=\"x\",} 1 1700000000000\nn NaN\no +Inf\n");
}

BOOST_AUTO_TEST_SUITE(families)

BOOST_AUTO_TEST_CASE(pool_families_are_grouped_with_one_header_each) {
  auto a = healthy_pool();
  auto b = healthy_pool();
  b.pool_id = "ckpool-btc-local";
  b.driver = "ck\"pool\\\n";  // never in practice; labels must still survive it
  b.coin = "BTC";
  b.up = false;
  b.hashrate_hs.reset();
  b.workers.reset();
  b.shares_valid = b.shares_invalid = b.shares_stale = std::nullopt;
  b.last_success.reset();
  b.errors = {{"timeout", 3}, {"http_status", 1}};
  const auto la = metrics::render_pool(a);
  const auto lb = metrics::render_pool(b);
  const auto text = metrics::join_pools({&la, &lb});
  auto d = valid(text);

  for (const char* f : {"mc_pool_up", "mc_pool_hashrate_hps", "mc_pool_workers", "mc_pool_shares",
                        "mc_pool_poll_latency_seconds", "mc_pool_last_success_timestamp_seconds",
                        "mc_pool_polls_total", "mc_pool_poll_errors_total"}) {
    BOOST_TEST(d.family(f) != nullptr, f);
    const auto header = std::string("# TYPE ") + f + " ";
    BOOST_TEST(text.find(header) == text.rfind(header), f);
  }
  BOOST_TEST(d.family("mc_pool_polls_total")->type == "counter");
  BOOST_TEST(d.family("mc_pool_up")->type == "gauge");

  const mc::test::prom_labels ida{
      {"pool_id", "solopool-dgb-eu1"}, {"driver", "solopool"}, {"coin", "DGB"}};
  BOOST_TEST(d.at("mc_pool_up", ida) == 1);
  BOOST_TEST(d.at("mc_pool_hashrate_hps", ida) == 1.2e12);
  BOOST_TEST(d.at("mc_pool_workers", ida) == 2);
  auto shares = ida;
  shares["kind"] = "invalid";
  BOOST_TEST(d.at("mc_pool_shares", shares) == 5);
  BOOST_TEST(d.at("mc_pool_poll_latency_seconds", ida) == 0.0123);
  BOOST_TEST(d.at("mc_pool_last_success_timestamp_seconds", ida) == 1764000000);
  BOOST_TEST(d.at("mc_pool_polls_total", ida) == 7);
  BOOST_TEST(d.samples("mc_pool_poll_errors_total", ida).empty());

  const mc::test::prom_labels idb{{"pool_id", "ckpool-btc-local"}, {"driver", "ck\"pool\\\n"}};
  BOOST_TEST(d.at("mc_pool_up", idb) == 0);
  BOOST_TEST(!d.value("mc_pool_hashrate_hs", idb));  // unknown: no series, never 0
  BOOST_TEST(!d.value("mc_pool_workers", idb));
  BOOST_TEST(!d.value("mc_pool_last_success_timestamp_seconds", idb));
  auto timeouts = idb;
  timeouts["kind"] = "timeout";
  BOOST_TEST(d.at("mc_pool_poll_errors_total", timeouts) == 3);
}

BOOST_AUTO_TEST_CASE(a_pools_lines_are_its_families_in_order_in_one_string) {
  metrics::pool_sample p;
  p.pool_id = "x";
  p.up = true;
  p.workers = 2;
  p.errors = {{"timeout", 1}};
  const auto lines = metrics::render_pool(p);
  std::string joined;
  for (std::size_t f = 0; f < metrics::pool_family_count; ++f) joined += lines.family(f);
  BOOST_TEST(joined == lines.text());
  BOOST_TEST(lines.family(0).rfind("mc_pool_up{", 0) == 0u);
  BOOST_TEST(lines.family(1).empty());  // no hash rate known
  BOOST_TEST(lines.family(2).rfind("mc_pool_workers{", 0) == 0u);
  BOOST_TEST(lines.family(6).rfind("mc_pool_polls_total{", 0) == 0u);
  BOOST_TEST(lines.family(7) ==
             R"(mc_pool_poll_errors_total{pool_id="x",driver="",coin="",kind="timeout"} 1)"
             "\n");
}

BOOST_AUTO_TEST_CASE(no_pools_no_text_and_empty_families_are_left_out) {
  BOOST_TEST(metrics::join_pools({}).empty());
  metrics::pool_sample p;
  p.pool_id = "x";
  const auto lines = metrics::render_pool(p);
  const auto text = metrics::join_pools({&lines});
  auto d = valid(text);
  BOOST_TEST(d.families.size() == 2u);  // up and polls_total: nothing else is known
  BOOST_TEST(d.at("mc_pool_up") == 0);
}

BOOST_AUTO_TEST_CASE(server_families_count_by_route_and_class_with_a_histogram) {
  request_metrics rm;
  rm.observe(2, 200, 300us);  // /metrics
  rm.observe(4, 200, 1ms);    // /api/dashboard/pools, exactly on a bound: in le="0.001"
  rm.observe(4, 404, 20ms);
  rm.observe(other_route, 400, 2s);  // above every bound
  rm.observe(99, 503, 1ms);          // out of range: counted as other
  metrics::server_sample s;
  s.routes = rm.routes();
  BOOST_TEST(s.routes.size() == 3u);
  s.connections = 9;
  s.open_connections = 2;
  auto d = valid(metrics::render_server(s));
  BOOST_TEST(d.at("mc_http_requests_total", {{"route", "/api/dashboard/pools"}, {"code", "2xx"}}) ==
             1);
  BOOST_TEST(d.at("mc_http_requests_total", {{"route", "/api/dashboard/pools"}, {"code", "4xx"}}) ==
             1);
  BOOST_TEST(d.at("mc_http_requests_total", {{"route", "other"}, {"code", "5xx"}}) == 1);
  BOOST_TEST(!d.value("mc_http_requests_total", {{"route", "/healthz"}}));
  const mc::test::prom_labels dash{{"route", "/api/dashboard/pools"}};
  auto le = [&](const char* bound) {
    auto l = dash;
    l["le"] = bound;
    return d.at("mc_http_request_duration_seconds_bucket", l);
  };
  BOOST_TEST(le("0.0005") == 0);
  BOOST_TEST(le("0.001") == 1);
  BOOST_TEST(le("0.025") == 2);
  BOOST_TEST(le("+Inf") == 2);
  BOOST_TEST(d.at("mc_http_request_duration_seconds_sum", dash) == 0.021);
  BOOST_TEST(d.at("mc_http_request_duration_seconds_count", {{"route", "other"}}) == 2);
  BOOST_TEST(d.at("mc_http_connections_total") == 9);
  BOOST_TEST(d.at("mc_http_open_connections") == 2);
  BOOST_TEST(metrics::render_server({}).find("mc_http_requests_total") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(upstream_families_merge_hosts_with_one_label) {
  auto text = metrics::render_upstream({{"pool.example:8443", 10, 2, 1, 3},
                                        {"127.0.0.1:4004", 5, 0, 0, 0},
                                        {"pool.example:8443", 1, 0, 1, 0}});
  auto d = valid(text);
  BOOST_TEST(d.at("mc_upstream_requests_total", {{"host", "pool.example:8443"}}) == 11);
  BOOST_TEST(d.at("mc_upstream_responses_429_total", {{"host", "pool.example:8443"}}) == 2);
  BOOST_TEST(d.at("mc_upstream_errors_total", {{"host", "pool.example:8443"}}) == 3);
  BOOST_TEST(d.at("mc_upstream_requests_shared_total", {{"host", "127.0.0.1:4004"}}) == 0);
  BOOST_TEST(d.family("mc_upstream_requests_total")->type == "counter");
  BOOST_TEST(metrics::render_upstream({}).empty());
}

BOOST_AUTO_TEST_CASE(process_families_are_gauges_and_absent_values_give_no_family) {
  auto d = valid(metrics::render_process({6, 12, 4096}));
  BOOST_TEST(d.at("mc_actors_running") == 6);
  BOOST_TEST(d.at("process_open_fds") == 12);
  BOOST_TEST(d.at("process_resident_memory_bytes") == 4096);
  BOOST_TEST(d.family("process_open_fds")->type == "gauge");
  BOOST_TEST(metrics::render_process({}).empty());
  auto only_fds = valid(metrics::render_process({std::nullopt, 3, std::nullopt}));
  BOOST_TEST(!only_fds.family("mc_actors_running"));
  BOOST_TEST(only_fds.at("process_open_fds") == 3);
}

BOOST_AUTO_TEST_CASE(process_reading_sees_an_fd_opened_and_closed) {
  const auto before = metrics::read_process();
  BOOST_REQUIRE(before.open_fds.has_value());
  BOOST_REQUIRE(before.resident_bytes.has_value());
  BOOST_TEST(*before.resident_bytes > 0u);
  BOOST_TEST(!before.actors_running.has_value());  // the caller's to fill in
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  BOOST_REQUIRE(f != nullptr);
  BOOST_TEST(*metrics::read_process().open_fds == *before.open_fds + 1);
  std::fclose(f);
  BOOST_TEST(*metrics::read_process().open_fds == *before.open_fds);
}

BOOST_AUTO_TEST_CASE(all_three_parts_join_into_one_valid_document) {
  const auto pool = metrics::render_pool(healthy_pool());
  request_metrics rm;
  rm.observe(0, 200, 1ms);
  metrics::server_sample s;
  s.routes = rm.routes();
  valid(metrics::join_pools({&pool}) + metrics::render_server(s) +
        metrics::render_upstream({{"h", 1, 0, 0, 0}}) + metrics::render_process({1, 2, 3}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(poll_errors)

std::string problem(int status, std::string error = {}) {
  mc::http_response r;
  r.host = "pool.example";
  r.status = status;
  r.error = std::move(error);
  if (status == 429) r.headers.push_back({"retry-after", "30"});
  return *mc::support::response_problem(r, "check api_token");
}

BOOST_AUTO_TEST_CASE(every_failure_message_shape_has_its_kind) {
  // The messages as the client and the SDK write them (see the failure matrix test).
  const std::vector<std::pair<std::string, std::string_view>> cases = {
      {problem(0, "timeout after 10 s"), "timeout"},
      {problem(0, "timeout after 4.5 s (poll deadline)"), "timeout"},
      {problem(0, "connection refused by 127.0.0.1:4004"), "connect"},
      {problem(0, "could not resolve host x (Host not found)"), "connect"},
      {problem(0, "cannot reach 10.0.0.2:4004 (Network is unreachable)"), "connect"},
      {problem(0, "could not connect to 10.0.0.2:4004: Permission denied"), "connect"},
      {problem(0, "TLS: certificate verify failed (certificate has expired)"), "tls"},
      {problem(0, "TLS: 127.0.0.1:1 closed the connection during the handshake"), "tls"},
      {"TLS: cannot load extra_ca_file /x (No such file)", "tls"},
      {problem(0, "connection closed before a complete response"), "transport"},
      {problem(0, "connection reset by 127.0.0.1:1 before a complete response"), "transport"},
      {problem(0, "response body over 4194304 bytes"), "transport"},
      {problem(0, "malformed HTTP response from 127.0.0.1:1 (bad version)"), "transport"},
      {problem(0, "I/O error with 127.0.0.1:1: Bad file descriptor"), "transport"},
      {problem(429), "rate_limited"},
      {problem(401), "http_status"},
      {problem(500), "http_status"},
      {"pool.example rejected the token: check api_token", "http_status"},
      {"unparsable response from 127.0.0.1 (user): not JSON", "parse"},
      {"unexpected response from 127.0.0.1 (profile): no btc object", "parse"},
      {"unknown hash_rate_unit \"Xh/s\" from 127.0.0.1", "parse"},
      {"no wallet configured for DGB", "config"},
      {problem(0, "invalid URL: ftp://x (unsupported scheme)"), "config"},
      {"driver error: boom", "driver"},
      {"poll incomplete: no account answer", "other"},
      {"pool at 127.0.0.1 reports status degraded", "other"},
      {"", "other"},
  };
  for (const auto& [message, kind] : cases) {
    BOOST_TEST(poll_error_kind(message) == kind, message);
    BOOST_TEST(std::count(poll_error_kinds.begin(), poll_error_kinds.end(), kind) == 1);
  }
}

BOOST_AUTO_TEST_SUITE_END()
