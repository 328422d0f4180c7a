#define BOOST_TEST_MODULE flat_yaml
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <random>

#include "config/pool_config.hpp"
#include "test/config/flat_yaml_check.hpp"

using mc::config::parse_flat_yaml;

BOOST_AUTO_TEST_CASE(reads_one_plain_key_value_per_line_with_comments_and_blank_lines) {
  const auto f = parse_flat_yaml(
      "# Solopool DGB\n\ndriver: solopool\ndisplay_name:   Bench pool 7  \n  # indented note\n"
      "api_base_url: http://127.0.1.1:8080/solopool/dgb/api\nport: 3333");
  BOOST_REQUIRE(f.has_value());
  BOOST_REQUIRE(f->size() == 4u);
  BOOST_TEST((*f)[0].key == "driver");
  BOOST_TEST((*f)[0].line == 3);
  BOOST_TEST((*f)[1].value == "Bench pool 7");
  BOOST_TEST((*f)[2].value == "http://127.0.1.1:8080/solopool/dgb/api");
  BOOST_TEST((*f)[3].line == 7);
}

BOOST_AUTO_TEST_CASE(declines_everything_else_so_yaml_cpp_says_what_is_wrong) {
  for (const char* text : {"",
                           "# only a comment\n",
                           "driver:\n",
                           "driver: ~\n",
                           "driver: null\n",
                           "a: 1\na: 2\n",
                           "a: 'quoted'\n",
                           "a: \"q\"\n",
                           "a: [1, 2]\n",
                           "a: {b: 1}\n",
                           "a: &x 1\n",
                           "a: *x\n",
                           "a: !tag x\n",
                           "a: |\n  x\n",
                           "a: >\n  x\n",
                           "a: - x\n",
                           "a: x # comment\n",
                           "a: x: y\n",
                           "a: x:\n",
                           "a:x\n",
                           "a : x\n",
                           " a: x\n",
                           "a: x\n  continued\n",
                           "---\na: x\n",
                           "a: x\n...\n",
                           "%YAML 1.2\n---\na: x\n",
                           "a:\tx\n",
                           "a: x\r\n",
                           "a: caf\xc3\xa9\n",
                           "- a\n",
                           "[a]\n",
                           "? a\n: b\n",
                           "1a: x\n",
                           "a-b: x\n",
                           "a: @x\n",
                           "NULL: x\n",
                           "null: x\n"})
    BOOST_TEST(!parse_flat_yaml(text).has_value(), text);
}

BOOST_AUTO_TEST_CASE(the_same_problems_and_config_as_before_for_a_flat_file) {
  // The problems of a flat file come from the same field checks; their lines from the quick path.
  const auto r = mc::config::parse_pool_config(
      "p", "pools/p.yaml",
      "# x\ndriver: solopool\ndisplay_name: P\nurl: http://x\nport: 70000\ncoin: d\nextra: 1.5\n");
  BOOST_REQUIRE(r.problems.size() == 3u);
  BOOST_TEST(r.problems[0].to_string() ==
             "pools/p.yaml:4: url: must be a host name without a scheme (a stratum+tcp:// prefix "
             "is fine)");
  BOOST_TEST(r.problems[1].to_string() == "pools/p.yaml:5: port: must be 1..65535, got 70000");
  BOOST_TEST(r.problems[2].to_string() ==
             "pools/p.yaml:6: coin: must be a coin symbol of 2..10 letters or digits, got \"d\"");
  const auto ok = mc::config::parse_pool_config(
      "p", "pools/p.yaml",
      "driver: solopool\ndisplay_name: P\nurl: x\nport: 1\ncoin: dgb\nenabled: false\n"
      "extra: 1.5\nflag: true\nname: 12ab\n");
  BOOST_REQUIRE(ok.config.has_value());
  BOOST_TEST(ok.config->coin == "DGB");
  BOOST_TEST(!ok.config->enabled);
  BOOST_TEST(boost::json::serialize(ok.config->extra) ==
             R"({"extra":1.5E0,"flag":true,"name":"12ab"})");
}

namespace {

// The same file through yaml-cpp: a "---" line first, which the quick path declines.
void check_same_as_yaml_cpp(const std::string& text) {
  const auto quick = mc::config::parse_pool_config("p", "pools/p.yaml", text);
  const auto slow = mc::config::parse_pool_config("p", "pools/p.yaml", "---\n" + text);
  BOOST_REQUIRE(quick.problems.size() == slow.problems.size());
  for (std::size_t i = 0; i < quick.problems.size(); ++i) {
    const auto& q = quick.problems[i];
    const auto& s = slow.problems[i];
    BOOST_TEST((q.field == s.field && q.reason == s.reason && q.line + 1 == s.line),
               q.to_string() << " vs " << s.to_string() << " in:\n"
                             << text);
  }
  BOOST_REQUIRE(quick.config.has_value() == slow.config.has_value());
  if (!quick.config) return;
  const auto& a = *quick.config;
  const auto& b = *slow.config;
  BOOST_TEST((std::tie(a.driver, a.display_name, a.url, a.port, a.coin, a.region, a.mining_model,
                       a.fee_percent, a.requires_auth, a.enabled, a.poll_interval_s, a.api_base_url,
                       a.wallet, a.extra) ==
              std::tie(b.driver, b.display_name, b.url, b.port, b.coin, b.region, b.mining_model,
                       b.fee_percent, b.requires_auth, b.enabled, b.poll_interval_s, b.api_base_url,
                       b.wallet, b.extra)),
             text);
}

}  // namespace

// Random texts from pieces that sit near the quick path's edges: where it takes one, yaml-cpp
// must read the same mapping.
BOOST_AUTO_TEST_CASE(where_it_takes_a_text_yaml_cpp_reads_the_same_mapping) {
  const std::vector<std::string> keys{
      "driver",      "display_name",    "url",          "port", "coin", "mining_model", "enabled",
      "fee_percent", "poll_interval_s", "api_base_url", "a",    "_x",   "Key9",         "true",
      "on"};
  const std::vector<std::string> values{
      "x",     "solopool", "http://h:1/p", "a b  c", "1e3",  "-1",    "0x1F", "yes",  "x:y",
      "x :y",  "x,y",      "x[1]",         "a{b}",   "it's", "a\"b",  "50%",  "a!b",  "a&b",
      "a*b",   "a|b",      "a>b",          "a?",     "?a",   "a-",    "a...", "----", "a@b",
      "nulls", "~x",       "x~",           "NULL1",  "a\\b", "=",     "<<",   "a  ",  " ",
      "solo",  "3333",     "70000",        "12.5",   "true", "False", "dgb",  "BTC1", "30"};
  const std::vector<std::string> lines{"", "# c", "  # c", "   ", "---", "..."};
  std::mt19937 rng(7);
  int taken = 0;
  for (int doc = 0; doc < 20000; ++doc) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      if (rng() % 5 == 0) text += lines[rng() % lines.size()] + "\n";
      text += keys[rng() % keys.size()] + ":" + std::string(1 + rng() % 2, ' ') +
              values[rng() % values.size()];
      if (rng() % 4 == 0) text += values[rng() % values.size()];
      text += "\n";
    }
    if (parse_flat_yaml(text)) {
      ++taken;
      check_same_as_yaml_cpp(text);
    }
    const auto mismatch = mc::test::flat_yaml_mismatch(text);
    BOOST_TEST(mismatch.empty(), mismatch << " in:\n" << text);
  }
  BOOST_TEST(taken > 1000);  // the comparison above ran on many taken texts
}
