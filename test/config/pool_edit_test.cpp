#define BOOST_TEST_MODULE pool edit
#include "config/pool_edit.hpp"

#include <yaml-cpp/yaml.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>

#include "config/pool_config.hpp"

namespace js = boost::json;
using namespace mc::config;

namespace {

const std::string base =
    "# Solopool DGB, EU server\n"
    "# (edit by hand or through the API)\n"
    "driver: solopool\n"
    "display_name: Solopool DGB  # shown on the tile\n"
    "url: eu1.solopool.org\n"
    "\n"
    "# the stratum port\n"
    "port: 8004\n"
    "coin: DGB\n"
    "wallet: dgb1qabc\n"
    "api_token: secret-token-abcdefgh  # from the pool's account page\n";

js::object obj(std::string_view json) { return js::parse(json).as_object(); }

std::string problems_text(const std::vector<field_problem>& ps) {
  std::string out;
  for (const auto& p : ps) out += "[" + p.field + ": " + p.message + "]";
  return out;
}

std::string problems_text(const pool_file_result& r) {
  std::string out;
  for (const auto& p : r.problems) out += "[" + p.to_string() + "]";
  return out;
}

// The edited text, checked to have no problems.
std::string patched(std::string_view text, std::string_view patch_json) {
  auto r = patch_pool_text(text, obj(patch_json));
  BOOST_REQUIRE_MESSAGE(r.problems.empty(), problems_text(r.problems));
  BOOST_TEST(!r.normalised);
  return r.text;
}

mc::pool_config parsed(const std::string& text) {
  auto r = parse_pool_config("p", "pools/p.yaml", text);
  BOOST_REQUIRE_MESSAGE(r.config.has_value(), problems_text(r) << "\n" << text);
  return *r.config;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(patch)

BOOST_AUTO_TEST_CASE(sets_values_in_place_and_keeps_comments_and_order) {
  const auto out = patched(base, R"j({"port": 3334, "display_name": "Solopool DGB (new)"})j");
  BOOST_TEST(out ==
             "# Solopool DGB, EU server\n"
             "# (edit by hand or through the API)\n"
             "driver: solopool\n"
             "display_name: \"Solopool DGB (new)\"  # shown on the tile\n"
             "url: eu1.solopool.org\n"
             "\n"
             "# the stratum port\n"
             "port: 3334\n"
             "coin: DGB\n"
             "wallet: dgb1qabc\n"
             "api_token: secret-token-abcdefgh  # from the pool's account page\n");
  const auto c = parsed(out);
  BOOST_TEST(c.port == 3334);
  BOOST_TEST(c.display_name == "Solopool DGB (new)");
  BOOST_TEST(c.api_token == "secret-token-abcdefgh");
}

BOOST_AUTO_TEST_CASE(null_removes_a_key_and_a_missing_one_is_appended) {
  const auto out = patched(base, R"({"wallet": null, "username": "worker1", "region": null})");
  BOOST_TEST(out.find("wallet") == std::string::npos);
  BOOST_TEST(out.ends_with("username: \"worker1\"\n"));
  BOOST_TEST(out.find("# the stratum port\nport: 8004\n") != std::string::npos);
  const auto c = parsed(out);
  BOOST_TEST(c.wallet == "");
  BOOST_TEST(c.username == "worker1");
}

BOOST_AUTO_TEST_CASE(values_of_every_json_type_round_trip_through_the_pool_parser) {
  const auto out = patched(base, R"({
    "fee_percent": 1.5, "enabled": false, "supports_shares": true, "poll_interval_s": 60,
    "mining_model": "solo", "api_base_url": "https://api.example.com/v1",
    "custom_int": 42, "custom_neg": -7, "custom_dec": 0.25, "custom_bool": true,
    "custom_text_number": "0042", "custom_text_true": "true",
    "custom_list": [1, "two", false, null], "custom_map": {"a": [1, {"b": "c"}], "d": {}},
    "custom_empty": ""})");
  const auto c = parsed(out);
  BOOST_TEST(c.fee_percent.value_or(-1) == 1.5);
  BOOST_TEST(c.enabled == false);
  BOOST_TEST(c.supports_shares == true);
  BOOST_TEST(c.poll_interval_s == 60);
  BOOST_TEST(c.mining_model == "solo");
  BOOST_TEST(c.api_base_url == "https://api.example.com/v1");
  BOOST_TEST(js::serialize(c.extra.at("custom_int")) == "42");
  BOOST_TEST(js::serialize(c.extra.at("custom_neg")) == "-7");
  BOOST_TEST(c.extra.at("custom_dec").as_double() == 0.25);
  BOOST_TEST(c.extra.at("custom_bool") == js::value(true));
  // Quoted in the file, so still text after the round trip.
  BOOST_TEST(c.extra.at("custom_text_number") == js::value("0042"));
  BOOST_TEST(c.extra.at("custom_text_true") == js::value("true"));
  BOOST_TEST(js::serialize(c.extra.at("custom_list")) == R"([1,"two",false,null])");
  BOOST_TEST(js::serialize(c.extra.at("custom_map")) == R"({"a":[1,{"b":"c"}],"d":{}})");
  BOOST_TEST(c.extra.at("custom_empty") == js::value(""));
}

BOOST_AUTO_TEST_CASE(strings_cannot_inject_keys_or_change_type) {
  const std::string nasty[] = {
      "x\nport: 1",
      "x\r\nport: 1",
      "a: b",
      "value # not a comment",
      "#starts with a hash",
      "\"double\" and 'single' quotes",
      "'",
      "\"",
      "back\\slash\\",
      "{flow: map}",
      "[flow, list]",
      "- item",
      "&anchor",
      "*alias",
      "!!int 5",
      "%YAML",
      "@at `tick`",
      "|\n  block",
      ">",
      "---\nport: 1",
      "...",
      "tab\there",
      "null",
      "~",
      "123",
      "true",
      "Zürich ☃ 🚀 日本語",
      "line\u2028separator",
      "next\u0085line",
      "bell\a and nul-free controls \x01\x1f\x7f",
      "   leading and trailing blanks   ",
      "",
  };
  for (const auto& s : nasty) {
    js::object patch{{"note", s}, {"description", s}};
    auto r = patch_pool_text(base, patch);
    BOOST_TEST_REQUIRE(r.problems.empty(), problems_text(r.problems));
    const YAML::Node y = YAML::Load(r.text);
    BOOST_TEST(y.size() == 9u, "keys injected by " << js::serialize(js::value(s)));
    BOOST_TEST(y["port"].as<int>() == 8004);
    auto p = parse_pool_config("p", "pools/p.yaml", r.text);
    BOOST_TEST_REQUIRE(p.config.has_value(), problems_text(p));
    BOOST_TEST(p.config->port == 8004);
    BOOST_TEST(p.config->description == s, "description of " << js::serialize(js::value(s)));
    BOOST_TEST(p.config->extra.at("note") == js::value(s),
               "note of " << js::serialize(js::value(s)));
  }
}

BOOST_AUTO_TEST_CASE(a_masked_api_token_is_unchanged) {
  for (const char* masked : {"***efgh", "***", "***1"}) {
    js::object patch{{"api_token", masked}};
    auto r = patch_pool_text(base, patch);
    BOOST_TEST(r.problems.empty());
    BOOST_TEST(r.text == base, masked);
  }
  // Longer than a mask: a real new token.
  const auto out = patched(base, R"({"api_token": "***efghi"})");
  BOOST_TEST(parsed(out).api_token == "***efghi");
  BOOST_TEST(out.find("# from the pool's account page") != std::string::npos);
  // A masked value only means "unchanged" for the secret.
  BOOST_TEST(parsed(patched(base, R"({"wallet": "***abcd"})")).wallet == "***abcd");
}

BOOST_AUTO_TEST_CASE(a_masked_api_token_does_not_add_a_missing_one) {
  const std::string no_token = "driver: solopool\ndisplay_name: X\nurl: a.b\nport: 1\ncoin: DGB\n";
  auto r = patch_pool_text(no_token, obj(R"({"api_token": "***abcd"})"));
  BOOST_TEST(r.text == no_token);
}

BOOST_AUTO_TEST_CASE(request_only_keys_are_skipped) {
  auto r = patch_pool_text(base, obj(R"({"pool_id": "other", "from_template": "x.yaml.example"})"));
  BOOST_TEST(r.problems.empty());
  BOOST_TEST(r.text == base);
  const auto out = patched(base, R"({"pool_id": "Not A Valid Id!", "port": 1})");
  BOOST_TEST(out.find("pool_id") == std::string::npos);
  BOOST_TEST(parsed(out).port == 1);
}

BOOST_AUTO_TEST_CASE(invalid_key_names_are_reported_and_nothing_is_written) {
  const std::string long_ok(64, 'k');
  const std::string too_long(65, 'k');
  js::object patch{{"Port", 1},  {"bad key", 2}, {"x\ny", 3},        {"", 4},
                   {"a:b", 5},   {"9lives", 6},  {"caf\xc3\xa9", 7}, {too_long, 8},
                   {long_ok, 9}, {"port", 10},   {"_ok", 11},        {"-dash", 12}};
  auto r = patch_pool_text(base, patch);
  BOOST_TEST(r.text.empty());
  std::set<std::string> fields;
  for (const auto& p : r.problems) {
    fields.insert(p.field);
    BOOST_TEST(p.message == "not a field name: use [a-z_][a-z0-9_]*");
  }
  const std::set<std::string> want{"Port",   "bad key",     "x\ny",   "",     "a:b",
                                   "9lives", "caf\xc3\xa9", too_long, "-dash"};
  BOOST_TEST(fields == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(normalise)

BOOST_AUTO_TEST_CASE(a_flow_style_file_is_rewritten_in_canonical_order) {
  const std::string flow =
      "{zeta: 1, api_token: secret-token-abcdefgh, wallet: w1, coin: DGB, port: 8004,\n"
      " url: eu1.solopool.org, display_name: Flow, driver: solopool, alpha: [1, x]}\n";
  auto r = patch_pool_text(flow, obj(R"({"port": 3334, "wallet": null, "api_token": "***efgh",
                                         "pool_id": "p", "region": "EU"})"));
  BOOST_REQUIRE_MESSAGE(r.problems.empty(), problems_text(r.problems));
  BOOST_TEST(r.normalised);
  BOOST_TEST(r.text ==
             "# Written by miner-controller (the file was normalised).\n"
             "driver: \"solopool\"\n"
             "display_name: \"Flow\"\n"
             "url: \"eu1.solopool.org\"\n"
             "port: 3334\n"
             "coin: \"DGB\"\n"
             "region: \"EU\"\n"
             "api_token: \"secret-token-abcdefgh\"\n"
             "alpha: [1,\"x\"]\n"
             "zeta: 1\n");
  const auto c = parsed(r.text);
  BOOST_TEST(c.port == 3334);
  BOOST_TEST(c.wallet == "");
  BOOST_TEST(c.api_token == "secret-token-abcdefgh");
  BOOST_TEST(c.region == "EU");
}

BOOST_AUTO_TEST_CASE(other_non_block_files_fall_back_to_a_rewrite) {
  const char* files[] = {
      "  driver: solopool\n  display_name: X\n  url: a.b\n  port: 1\n  coin: DGB\n",
      "---\ndriver: solopool\ndisplay_name: X\nurl: a.b\nport: 1\ncoin: DGB\n...\n",
      "driver: &d solopool\ndisplay_name: X\nurl: a.b\nport: 1\ncoin: DGB\n&x note: 1\n",
  };
  for (const char* text : files) {
    auto r = patch_pool_text(text, obj(R"({"port": 2})"));
    BOOST_TEST_REQUIRE(r.problems.empty(), text << problems_text(r.problems));
    BOOST_TEST(r.normalised, text);
    BOOST_TEST(r.text.starts_with("# Written by miner-controller"));
    const auto c = parsed(r.text);
    BOOST_TEST(c.port == 2);
    BOOST_TEST(c.driver == "solopool");
  }
}

BOOST_AUTO_TEST_CASE(invalid_yaml_is_a_problem_of_the_whole_file) {
  for (const char* text : {"{driver: [solopool\n", "\"unterminated: 1\n", "- a\n b: c\n  - d\n"}) {
    auto r = patch_pool_text(text, obj(R"({"port": 2})"));
    BOOST_TEST_REQUIRE(r.problems.size() == 1u, text);
    BOOST_TEST(r.problems[0].field == "");
    BOOST_TEST(r.problems[0].message.find("not valid YAML") != std::string::npos);
    BOOST_TEST(!r.normalised);
  }
}

BOOST_AUTO_TEST_CASE(a_yaml_document_that_is_not_a_mapping_is_a_problem) {
  for (const char* text : {"- a\n- b\n", "[1, 2]\n", "just text\n"}) {
    auto r = patch_pool_text(text, obj(R"({"port": 2})"));
    BOOST_TEST(r.problems.size() == 1u, text);
    BOOST_TEST(r.text.empty());
  }
}

BOOST_AUTO_TEST_CASE(an_empty_file_gets_the_patch_appended) {
  auto r = patch_pool_text("", obj(R"({"driver": "solopool", "port": 1})"));
  BOOST_TEST(r.problems.empty());
  BOOST_TEST(!r.normalised);
  BOOST_TEST(r.text == "driver: \"solopool\"\nport: 1\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(new_file)

BOOST_AUTO_TEST_CASE(canonical_order_then_the_other_keys_sorted_under_the_header) {
  const auto fields = obj(R"({
    "zeta": "z", "api_token": "t0ken-0123456789", "alpha": 1, "wallet": "w",
    "port": 8004, "pool_id": "p", "from_template": "t.yaml.example", "removed": null,
    "region": null, "coin": "DGB", "url": "a.b", "display_name": "Name", "driver": "solopool",
    "enabled": true, "fee_percent": 2.5, "mining_model": "solo", "custom": {"k": [1]}})");
  const auto text = new_pool_text(fields, "Created through the API.\nSecond line.");
  BOOST_TEST(text ==
             "# Created through the API.\n"
             "# Second line.\n"
             "driver: \"solopool\"\n"
             "display_name: \"Name\"\n"
             "url: \"a.b\"\n"
             "port: 8004\n"
             "coin: \"DGB\"\n"
             "mining_model: \"solo\"\n"
             "fee_percent: 2.5E0\n"
             "enabled: true\n"
             "wallet: \"w\"\n"
             "api_token: \"t0ken-0123456789\"\n"
             "alpha: 1\n"
             "custom: {\"k\":[1]}\n"
             "zeta: \"z\"\n");
  const auto c = parsed(text);
  BOOST_TEST(c.fee_percent.value_or(0) == 2.5);
  BOOST_TEST(c.extra.size() == 3u);
  BOOST_TEST(!c.extra.contains("pool_id"));
}

BOOST_AUTO_TEST_CASE(an_empty_header_gives_no_comment_lines) {
  BOOST_TEST(new_pool_text(obj(R"({"port": 1})"), "") == "port: 1\n");
  BOOST_TEST(new_pool_text(obj(R"({"port": 1})"), "one\n") == "# one\nport: 1\n");
  BOOST_TEST(new_pool_text(obj("{}"), "h") == "# h\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(leading_comments)

BOOST_AUTO_TEST_CASE(removes_the_comment_block_before_the_first_key_only) {
  BOOST_TEST(
      without_leading_comments("# rename me\n#\n\n  # indented\n\t\ndriver: x\n# later\ny: 1\n") ==
      "driver: x\n# later\ny: 1\n");
  BOOST_TEST(without_leading_comments("driver: x # c\n") == "driver: x # c\n");
  BOOST_TEST(without_leading_comments("# a\r\n\r\ndriver: x\r\n") == "driver: x\r\n");
  BOOST_TEST(without_leading_comments("# a\ndriver: x") == "driver: x");
}

BOOST_AUTO_TEST_CASE(a_file_of_comments_only_becomes_empty) {
  BOOST_TEST(without_leading_comments("") == "");
  BOOST_TEST(without_leading_comments("# only\n# comments\n") == "");
  BOOST_TEST(without_leading_comments("# no final newline") == "");
  BOOST_TEST(without_leading_comments("\n\n") == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(field_name_problems_names_each_bad_field_once) {
  auto ps = field_name_problems(obj(R"({"ok_1": 1, "pool_id": 2, "from_template": 3, "Bad": 4,
                                        "also bad": 5, "_": 6})"));
  BOOST_REQUIRE(ps.size() == 2u);
  BOOST_TEST(ps[0].field == "Bad");
  BOOST_TEST(ps[1].field == "also bad");
  BOOST_TEST(field_name_problems(obj("{}")).empty());
}
