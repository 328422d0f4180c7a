// URL parsing and the wording of durations in error messages.
#include <boost/test/unit_test.hpp>

#include "http/client_connection.hpp"
#include "http/url.hpp"

using namespace std::chrono_literals;
using mc::http::parse_url;

BOOST_AUTO_TEST_SUITE(url)

BOOST_AUTO_TEST_CASE(http_and_https_urls_split_into_host_port_and_target) {
  auto a = parse_url("http://pool.example.com/api/stats?x=1#frag");
  BOOST_REQUIRE(a.has_value());
  BOOST_TEST(!a->tls);
  BOOST_TEST(a->host == "pool.example.com");
  BOOST_TEST(a->port == 80);
  BOOST_TEST(a->target == "/api/stats?x=1");
  BOOST_TEST(a->host_header() == "pool.example.com");

  auto b = parse_url("HTTPS://Pool.Example.COM:8443");
  BOOST_REQUIRE(b.has_value());
  BOOST_TEST(b->tls);
  BOOST_TEST(b->host == "pool.example.com");
  BOOST_TEST(b->port == 8443);
  BOOST_TEST(b->target == "/");
  BOOST_TEST(b->host_header() == "pool.example.com:8443");
  BOOST_TEST(b->origin() == "https://pool.example.com:8443");

  auto c = parse_url("http://127.0.0.1:4004?coin=btc");
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->host == "127.0.0.1");
  BOOST_TEST(c->target == "/?coin=btc");

  auto d = parse_url("http://[::1]:8080/x");
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST(d->host == "::1");
  BOOST_TEST(d->host_header() == "[::1]:8080");
}

BOOST_AUTO_TEST_CASE(bad_urls_are_rejected_with_a_reason) {
  for (const char* bad :
       {"", "pool.example.com", "ftp://h/", "http://", "http:///path", "http://h:0/",
        "http://h:65536/", "http://h:/", "http://h:8o/", "http://u:p@h/", "http://h h/",
        "http://h/a b", "http://[::1/", "http://h/\r\nX: y"}) {
    std::string why;
    BOOST_TEST_CONTEXT("url \"" << bad << "\"") {
      BOOST_TEST(!parse_url(bad, &why).has_value());
      BOOST_TEST(!why.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(durations_read_as_seconds) {
  using mc::http::seconds_text;
  BOOST_TEST(seconds_text(10s) == "10 s");
  BOOST_TEST(seconds_text(500ms) == "0.5 s");
  BOOST_TEST(seconds_text(1250ms) == "1.25 s");
  BOOST_TEST(seconds_text(1ms) == "0.001 s");
  BOOST_TEST(seconds_text(0ms) == "0 s");
}

BOOST_AUTO_TEST_SUITE_END()
