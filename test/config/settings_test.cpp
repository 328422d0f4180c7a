#define BOOST_TEST_MODULE settings
#include "config/settings.hpp"

#include <boost/test/unit_test.hpp>

using namespace mc::config;

BOOST_AUTO_TEST_CASE(wallet_and_key_names_ignore_case) {
  auto r = parse_settings("config.yaml", R"(wallets: { dgb: "dgb1q", BcH: "bitcoincash:q" }
api_keys: { Braiins: "token-1234567890" }
server: { listen: "127.0.0.1:9090", api_token: "write-token-abcdef" }
)");
  BOOST_TEST(r.problems.empty());
  BOOST_TEST(r.value.wallets.at("DGB") == "dgb1q");
  BOOST_TEST(r.value.wallets.at("BCH") == "bitcoincash:q");
  BOOST_TEST(r.value.api_keys.at("braiins") == "token-1234567890");
  BOOST_TEST(r.value.listen == "127.0.0.1:9090");
  BOOST_TEST(r.value.api_token == "write-token-abcdef");
}

BOOST_AUTO_TEST_CASE(problems_name_line_and_field_and_never_the_secret) {
  auto r = parse_settings(
      "config.yaml",
      "wallets: [a]\nserver: { listen: nonsense, api_token: [topsecretvalue] }\nextra: 1\n");
  BOOST_REQUIRE(r.problems.size() == 4u);
  BOOST_TEST(r.problems[0].to_string() ==
             "config.yaml:1: wallets: must be a mapping of name: value");
  BOOST_TEST(
      r.problems[1].to_string() ==
      "config.yaml:2: server.listen: must be HOST:PORT with port 0..65535, got \"nonsense\"");
  BOOST_TEST(r.problems[2].to_string() == "config.yaml:2: server.api_token: must be text");
  BOOST_TEST(r.problems[3].field == "extra");
  for (auto& p : r.problems) BOOST_TEST(p.to_string().find("topsecretvalue") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_empty_settings) {
  auto r = load_settings("/nonexistent/dir/config.yaml");
  BOOST_TEST(!r.file_exists);
  BOOST_TEST(r.problems.empty());
  BOOST_TEST(r.value.wallets.empty());
}

BOOST_AUTO_TEST_CASE(pool_values_win_over_config_yaml) {
  settings s;
  s.wallets["DGB"] = "dgb1-from-config";
  s.api_keys["braiins"] = "key-from-config";
  mc::pool_config p;
  p.coin = "DGB";
  p.driver = "braiins";
  resolve_pool_secrets(p, s);
  BOOST_TEST(p.wallet == "dgb1-from-config");
  BOOST_TEST(p.api_token == "key-from-config");
  mc::pool_config own;
  own.coin = "DGB";
  own.driver = "braiins";
  own.wallet = "mine";
  own.api_token = "own-token";
  resolve_pool_secrets(own, s);
  BOOST_TEST(own.wallet == "mine");
  BOOST_TEST(own.api_token == "own-token");
  mc::pool_config named;
  named.coin = "DGB";
  named.username = "homeminer";  // a username account needs no wallet
  resolve_pool_secrets(named, s);
  BOOST_TEST(named.wallet.empty());
}

BOOST_AUTO_TEST_CASE(secrets_are_masked_to_the_last_four_at_most) {
  BOOST_TEST(mask_secret("") == "");
  BOOST_TEST(mask_secret("short") == "***");
  BOOST_TEST(mask_secret("elevenchars") == "***");
  BOOST_TEST(mask_secret("twelve-chars") == "***hars");
  BOOST_TEST(mask_secret("a-long-read-only-token-9f3a") == "***9f3a");
}
