// HTTPS: certificate chain and host name verification against a local TLS server with a
// throw-away CA.
#include <boost/test/unit_test.hpp>

#include "http/client.hpp"
#include "test/support/local_server.hpp"

using namespace std::chrono_literals;
using mc::test::get_request;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

mc::http::client_options trusting(const std::string& ca_file) {
  mc::http::client_options o;
  o.extra_ca_file = ca_file;
  return o;
}

// One PKI for 127.0.0.1 and localhost, one valid only for another name; both CAs trusted.
struct tls_fixture {
  mc::test::test_pki local = mc::test::make_test_pki({"localhost"}, {"127.0.0.1"});
  mc::test::test_pki other = mc::test::make_test_pki({"other.example"}, {});
  mc::test::temp_file local_ca{"local-ca.pem", local.ca_cert_pem};
  mc::test::temp_file other_ca{"other-ca.pem", other.ca_cert_pem};
  mc::test::local_server server{{{local.leaf_cert_pem, local.leaf_key_pem}}};
  mc::test::local_server impostor{{{other.leaf_cert_pem, other.leaf_key_pem}}};

  tls_fixture() {
    server.route("/api", {200, R"({"tls":true})"});
    impostor.route("/api", {200, R"({"tls":true})"});
  }
  std::string localhost_url(const mc::test::local_server& s) const {
    return "https://localhost:" + std::to_string(s.port()) + "/api";
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(tls, tls_fixture)

BOOST_AUTO_TEST_CASE(an_unknown_ca_is_rejected_by_default) {
  mc::test::blocking_client http;
  auto r = http.fetch(get_request(server.url("/api")));
  BOOST_TEST(r.error.rfind("TLS: certificate verify failed (", 0) == 0u, r.error);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(server.hits("/api") == 0u);
}

BOOST_AUTO_TEST_CASE(a_certificate_from_the_extra_ca_is_accepted_by_ip_and_by_name) {
  mc::test::blocking_client http(trusting(local_ca.path));
  auto by_ip = http.fetch(get_request(server.url("/api")));
  BOOST_TEST(by_ip.error == "");
  BOOST_TEST(by_ip.status == 200);
  BOOST_TEST(by_ip.body == R"({"tls":true})");
  auto by_name = http.fetch(get_request(localhost_url(server)));
  BOOST_TEST(by_name.error == "");
  BOOST_TEST(by_name.status == 200);
  BOOST_TEST(by_name.host == "localhost");
}

BOOST_AUTO_TEST_CASE(a_trusted_certificate_for_another_name_is_rejected) {
  mc::test::blocking_client http(trusting(other_ca.path));
  auto by_ip = http.fetch(get_request(impostor.url("/api")));
  BOOST_TEST(
      by_ip.error == "TLS: certificate verify failed (the certificate is not valid for 127.0.0.1)",
      by_ip.error);
  auto by_name = http.fetch(get_request(localhost_url(impostor)));
  BOOST_TEST(by_name.error ==
                 "TLS: certificate verify failed (the certificate is not valid for localhost)",
             by_name.error);
  BOOST_TEST(impostor.hits("/api") == 0u);
}

BOOST_AUTO_TEST_CASE(verify_peer_false_is_an_explicit_opt_out_of_both_checks) {
  mc::http::client_options o = trusting(other_ca.path);
  o.verify_peer = false;
  mc::test::blocking_client http(o);
  BOOST_TEST(http.fetch(get_request(server.url("/api"))).status == 200);    // unknown CA
  BOOST_TEST(http.fetch(get_request(impostor.url("/api"))).status == 200);  // wrong name
}

BOOST_AUTO_TEST_CASE(tls_connections_are_kept_alive_and_reused) {
  mc::test::blocking_client http(trusting(local_ca.path));
  for (int i = 0; i < 3; ++i) BOOST_TEST(http.fetch(get_request(server.url("/api"))).ok());
  BOOST_TEST(server.connections_accepted() == 1u);
  BOOST_TEST(http.counters().connections_opened == 1u);
}

BOOST_AUTO_TEST_CASE(an_unreadable_extra_ca_file_fails_https_requests_with_the_reason) {
  mc::test::blocking_client http(trusting("/nonexistent/ca.pem"));
  auto r = http.fetch(get_request(server.url("/api")));
  BOOST_TEST(contains(r.error, "TLS: cannot load extra_ca_file /nonexistent/ca.pem"), r.error);
}

BOOST_AUTO_TEST_CASE(https_to_a_plain_http_server_is_a_tls_error) {
  mc::test::local_server plain;
  mc::test::blocking_client http;
  auto r = http.fetch(get_request("https://127.0.0.1:" + std::to_string(plain.port()) + "/"));
  BOOST_TEST(r.error.rfind("TLS: ", 0) == 0u, r.error);
}

BOOST_AUTO_TEST_SUITE_END()
