#define BOOST_TEST_MODULE settings edit
#include "config/settings_edit.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>

namespace js = boost::json;
using namespace mc::config;

namespace {

const std::string base =
    "# miner-controller settings\n"
    "wallets:\n"
    "  DGB: dgb1qwalletaddress0001  # main\n"
    "  BTC: bc1qwallet\n"
    "\n"
    "# API keys per driver\n"
    "api_keys:\n"
    "  braiins: braiins-key-0123456789\n"
    "server:\n"
    "  listen: 0.0.0.0:8080   # all interfaces\n"
    "  api_token: write-token-abcdefgh\n"
    "# end of file\n";

js::object obj(std::string_view json) { return js::parse(json).as_object(); }

settings current_of(std::string_view text) {
  auto r = parse_settings("config.yaml", text);
  BOOST_REQUIRE(r.readable);
  std::string all;
  for (const auto& p : r.problems) all += "[" + p.to_string() + "]";
  BOOST_REQUIRE_MESSAGE(r.problems.empty(), all);
  return r.value;
}

std::string problems_text(const std::vector<field_problem>& ps) {
  std::string out;
  for (const auto& p : ps) out += "[" + p.field + ": " + p.message + "]";
  return out;
}

// Patches `text`, requires no problems, and checks that the text holds what `value` says.
settings_text patched(std::string_view text, std::string_view patch_json) {
  auto r = patch_settings_text(text, current_of(text), obj(patch_json));
  BOOST_REQUIRE_MESSAGE(r.problems.empty(), problems_text(r.problems));
  const auto again = parse_settings("config.yaml", r.text);
  BOOST_REQUIRE(again.readable);
  BOOST_TEST(again.problems.empty());
  BOOST_TEST((again.value.wallets == r.value.wallets));
  BOOST_TEST((again.value.api_keys == r.value.api_keys));
  BOOST_TEST(again.value.listen == r.value.listen);
  BOOST_TEST(again.value.api_token == r.value.api_token);
  return r;
}

std::set<std::string> fields_of(const std::vector<field_problem>& ps) {
  std::set<std::string> out;
  for (const auto& p : ps) out.insert(p.field);
  return out;
}

// Problems of a patch applied to `base`; the text is then not written.
std::vector<field_problem> rejected(const js::object& patch) {
  auto r = patch_settings_text(base, current_of(base), patch);
  BOOST_TEST(r.text.empty());
  return r.problems;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(masking)

BOOST_AUTO_TEST_CASE(mask_secret_shows_four_characters_from_twelve_on) {
  BOOST_TEST(mask_secret("") == "");
  BOOST_TEST(mask_secret("a") == "***");
  BOOST_TEST(mask_secret("12345678901") == "***");
  BOOST_TEST(mask_secret("123456789012") == "***9012");
  BOOST_TEST(mask_secret("a-very-long-secret-token-wxyz") == "***wxyz");
}

BOOST_AUTO_TEST_CASE(is_masked_recognises_what_mask_secret_makes) {
  for (const char* s : {"***", "***9012", "***a", "***abc", "*****"}) BOOST_TEST(is_masked(s), s);
  for (const char* s : {"", "**", "**abcd", "***abcde", "x***abcd", "abc***", " ***abcd"})
    BOOST_TEST(!is_masked(s), s);
  for (const char* secret : {"x", "12345678901", "123456789012", "a-very-long-secret-token"})
    BOOST_TEST(is_masked(mask_secret(secret)), secret);
}

BOOST_AUTO_TEST_CASE(settings_json_masks_every_secret_and_quotes_none) {
  settings_result r;
  r.value.wallets = {{"DGB", "dgb1qwalletaddress0001"}, {"BTC", "bc1qshort"}};
  r.value.api_keys = {{"braiins", "braiins-key-0123456789"}, {"ckpool", "k"}};
  r.value.listen = "0.0.0.0:8080";
  r.value.api_token = "write-token-abcdefgh";
  r.problems.push_back({"config.yaml", 3, "wallets.X", "some reason"});
  const auto j = settings_json(r);
  BOOST_TEST(j.at("wallets").as_object().size() == 2u);
  BOOST_TEST(j.at("wallets").at("DGB") == js::value("***0001"));
  BOOST_TEST(j.at("wallets").at("BTC") == js::value("***"));
  BOOST_TEST(j.at("api_keys").at("braiins") == js::value("***6789"));
  BOOST_TEST(j.at("api_keys").at("ckpool") == js::value("***"));
  BOOST_TEST(j.at("server").at("listen") == js::value("0.0.0.0:8080"));
  BOOST_TEST(j.at("server").at("api_token") == js::value("***efgh"));
  BOOST_TEST(j.at("server").at("api_token_set") == js::value(true));
  BOOST_REQUIRE(j.at("problems").as_array().size() == 1u);
  BOOST_TEST(j.at("problems").at(0) == js::value("config.yaml:3: wallets.X: some reason"));
  const auto text = js::serialize(j);
  for (const char* secret : {"dgb1qwalletaddress0001", "bc1qshort", "braiins-key-0123456789",
                             "write-token-abcdefgh", "dgb1q", "bc1q", "braiins-key", "write-"})
    BOOST_TEST(text.find(secret) == std::string::npos, secret);
}

BOOST_AUTO_TEST_CASE(settings_json_of_nothing) {
  const auto j = settings_json(settings_result{});
  BOOST_TEST(j.at("wallets").as_object().empty());
  BOOST_TEST(j.at("api_keys").as_object().empty());
  BOOST_TEST(j.at("server").at("listen") == js::value(""));
  BOOST_TEST(j.at("server").at("api_token").is_null());
  BOOST_TEST(j.at("server").at("api_token_set") == js::value(false));
  BOOST_TEST(j.at("problems").as_array().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(patch)

BOOST_AUTO_TEST_CASE(merges_wallets_and_keeps_every_other_line) {
  const auto r = patched(base, R"({"wallets": {"LTC": "ltc1qnew", "BTC": null}})");
  BOOST_TEST(r.text ==
             "# miner-controller settings\n"
             "wallets: {\"DGB\":\"dgb1qwalletaddress0001\",\"LTC\":\"ltc1qnew\"}\n"
             "\n"
             "# API keys per driver\n"
             "api_keys:\n"
             "  braiins: braiins-key-0123456789\n"
             "server:\n"
             "  listen: 0.0.0.0:8080   # all interfaces\n"
             "  api_token: write-token-abcdefgh\n"
             "# end of file\n");
  const std::map<std::string, std::string> want{{"DGB", "dgb1qwalletaddress0001"},
                                                {"LTC", "ltc1qnew"}};
  BOOST_TEST((r.value.wallets == want));
  BOOST_TEST(r.value.api_keys.at("braiins") == "braiins-key-0123456789");
  BOOST_TEST(r.value.api_token == "write-token-abcdefgh");
}

BOOST_AUTO_TEST_CASE(names_are_normalised_to_their_case) {
  const auto r = patched(base, R"({"wallets": {"ltc": "ltc1q"}, "api_keys": {"MMFP": "k1"}})");
  BOOST_TEST(r.value.wallets.at("LTC") == "ltc1q");
  BOOST_TEST(r.value.api_keys.at("mmfp") == "k1");
  BOOST_TEST(!r.value.wallets.contains("ltc"));
  BOOST_TEST(!r.value.api_keys.contains("MMFP"));
}

BOOST_AUTO_TEST_CASE(null_and_empty_text_remove_entries) {
  auto r = patched(base, R"({"api_keys": {"braiins": ""}, "wallets": {"DGB": null, "BTC": ""}})");
  BOOST_TEST(r.value.api_keys.empty());
  BOOST_TEST(r.value.wallets.empty());
  BOOST_TEST(r.text.find("api_keys: {}\n") != std::string::npos);
  BOOST_TEST(r.text.find("wallets: {}\n") != std::string::npos);
  r = patched(base, R"({"server": {"api_token": null}})");
  BOOST_TEST(r.value.api_token == "");
  BOOST_TEST(r.value.listen == "0.0.0.0:8080");
  BOOST_TEST(r.text.find("server: {\"listen\":\"0.0.0.0:8080\"}\n") != std::string::npos);
  r = patched(base, R"({"server": {"api_token": "", "listen": null}})");
  BOOST_TEST(r.text.find("server: {}\n") != std::string::npos);
  BOOST_TEST(r.value.listen == "");
  // Removing what is not there changes nothing.
  BOOST_TEST(patched(base, R"({"wallets": {"XMR": null}})").text == base);
}

BOOST_AUTO_TEST_CASE(masked_values_are_unchanged) {
  auto r = patched(base, R"({"wallets": {"DGB": "***0001", "BTC": "***", "LTC": "ltc1q"},
                             "api_keys": {"braiins": "***6789"},
                             "server": {"api_token": "***efgh"}})");
  BOOST_TEST(r.value.wallets.at("DGB") == "dgb1qwalletaddress0001");
  BOOST_TEST(r.value.wallets.at("BTC") == "bc1qwallet");
  BOOST_TEST(r.value.wallets.at("LTC") == "ltc1q");
  BOOST_TEST(r.value.api_keys.at("braiins") == "braiins-key-0123456789");
  BOOST_TEST(r.value.api_token == "write-token-abcdefgh");
  // Only the section that changed is rewritten.
  BOOST_TEST(r.text.find("  braiins: braiins-key-0123456789\n") != std::string::npos);
  BOOST_TEST(r.text.find("  api_token: write-token-abcdefgh\n") != std::string::npos);
  // A masked value for an entry that does not exist adds nothing.
  r = patched(base, R"({"wallets": {"XMR": "***abcd"}})");
  BOOST_TEST(!r.value.wallets.contains("XMR"));
  BOOST_TEST(r.text == base);
  // One character more than a mask is a new value.
  r = patched(base, R"({"server": {"api_token": "***efghi"}})");
  BOOST_TEST(r.value.api_token == "***efghi");
}

BOOST_AUTO_TEST_CASE(what_get_shows_put_back_keeps_the_file_byte_identical) {
  const auto shown = settings_json(parse_settings("config.yaml", base));
  auto r = patch_settings_text(base, current_of(base), shown);
  BOOST_TEST(r.problems.empty(), problems_text(r.problems));
  BOOST_TEST(r.text == base);
  // Also through JSON text, as a client would send it, and without a token set.
  const std::string no_token = "wallets:\n  DGB: short\n";
  const auto round = js::parse(js::serialize(settings_json(parse_settings("c", no_token))));
  r = patch_settings_text(no_token, current_of(no_token), round.as_object());
  BOOST_TEST(r.problems.empty(), problems_text(r.problems));
  BOOST_TEST(r.text == no_token);
  BOOST_TEST(r.value.wallets.at("DGB") == "short");
}

BOOST_AUTO_TEST_CASE(a_changed_section_leaves_the_others_and_their_comments) {
  const auto r = patched(base, R"({"server": {"listen": "127.0.0.1:9000"}})");
  BOOST_TEST(r.text ==
             "# miner-controller settings\n"
             "wallets:\n"
             "  DGB: dgb1qwalletaddress0001  # main\n"
             "  BTC: bc1qwallet\n"
             "\n"
             "# API keys per driver\n"
             "api_keys:\n"
             "  braiins: braiins-key-0123456789\n"
             "server: {\"listen\":\"127.0.0.1:9000\",\"api_token\":\"write-token-abcdefgh\"}\n"
             "# end of file\n");
  BOOST_TEST(r.value.listen == "127.0.0.1:9000");
  BOOST_TEST(r.value.api_token == "write-token-abcdefgh");
}

BOOST_AUTO_TEST_CASE(a_missing_section_is_appended) {
  const std::string text = "# only wallets\nwallets:\n  DGB: d\n";
  const auto r =
      patched(text, R"({"api_keys": {"braiins": "key-1"}, "server": {"api_token": "t"}})");
  BOOST_TEST(r.text ==
             "# only wallets\nwallets:\n  DGB: d\napi_keys: {\"braiins\":\"key-1\"}\n"
             "server: {\"api_token\":\"t\"}\n");
}

BOOST_AUTO_TEST_CASE(read_only_fields_of_get_are_ignored) {
  auto r = patched(base, R"({"problems": ["x"], "server": {"api_token_set": false}})");
  BOOST_TEST(r.text == base);
  BOOST_TEST(r.value.api_token == "write-token-abcdefgh");
}

BOOST_AUTO_TEST_CASE(yaml_look_alike_values_stay_text) {
  const auto r = patched(base, R"({"wallets": {"AAA": "null", "BBB": "~", "CCC": "123",
      "DDD": "true", "EEE": "a: b # c", "FFF": "'\"q\"'", "GGG": "Zürich ☃ 🚀",
      "HHH": "- x", "III": "{x: 1}", "JJJ": "&a *b !c |"}})");
  const std::map<std::string, std::string> want{
      {"AAA", "null"},     {"BBB", "~"},         {"CCC", "123"},        {"DDD", "true"},
      {"EEE", "a: b # c"}, {"FFF", "'\"q\"'"},   {"GGG", "Zürich ☃ 🚀"}, {"HHH", "- x"},
      {"III", "{x: 1}"},   {"JJJ", "&a *b !c |"}};
  for (const auto& [k, v] : want) BOOST_TEST(r.value.wallets.at(k) == v, k);
  BOOST_TEST(current_of(r.text).wallets.size() == want.size() + 2);
}

BOOST_AUTO_TEST_CASE(an_empty_text_gets_a_new_file) {
  const auto r = patched("", R"({"wallets": {"DGB": "dgb1"}, "server": {"listen": "0.0.0.0:80"}})");
  BOOST_TEST(r.text ==
             "# miner-controller settings, written through the API.\n"
             "wallets: {\"DGB\":\"dgb1\"}\n"
             "server: {\"listen\":\"0.0.0.0:80\"}\n");
  BOOST_TEST(r.value.wallets.at("DGB") == "dgb1");
  BOOST_TEST(r.value.listen == "0.0.0.0:80");
}

BOOST_AUTO_TEST_CASE(a_flow_style_file_is_rewritten) {
  const std::string flow =
      "{wallets: {DGB: dgb1qflow}, api_keys: {braiins: k-flow}, server: {listen: '0.0.0.0:81'}}\n";
  const auto r = patched(flow, R"({"wallets": {"BTC": "bc1"}})");
  BOOST_TEST(r.text ==
             "# miner-controller settings (normalised by an API write).\n"
             "wallets: {\"BTC\":\"bc1\",\"DGB\":\"dgb1qflow\"}\n"
             "api_keys: {\"braiins\":\"k-flow\"}\n"
             "server: {\"listen\":\"0.0.0.0:81\"}\n");
  BOOST_TEST(r.value.wallets.size() == 2u);
  BOOST_TEST(r.value.api_keys.at("braiins") == "k-flow");
  BOOST_TEST(r.value.listen == "0.0.0.0:81");
}

BOOST_AUTO_TEST_CASE(an_unchanged_flow_style_file_is_not_rewritten) {
  const std::string flow = "{wallets: {DGB: dgb1qflow}}\n";
  const auto r = patched(flow, R"({"wallets": {"DGB": "***"}})");
  BOOST_TEST(r.text == flow);
}

BOOST_AUTO_TEST_CASE(values_up_to_the_length_limits_are_accepted) {
  js::object patch{{"wallets", js::object{{"DGB", std::string(256, 'w')}}},
                   {"api_keys", js::object{{std::string(32, 'd'), std::string(1024, 'k')}}}};
  auto r = patch_settings_text(base, current_of(base), patch);
  BOOST_TEST(r.problems.empty(), problems_text(r.problems));
  BOOST_TEST(r.value.wallets.at("DGB").size() == 256u);
  BOOST_TEST(r.value.api_keys.at(std::string(32, 'd')).size() == 1024u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rejects)

BOOST_AUTO_TEST_CASE(invalid_coin_names) {
  const auto ps = rejected(obj(R"({"wallets": {"D": "x", "TOOLONGCOIN": "x", "DG B": "x",
                                                "DG-B": "x", "": "x", "DGB": "ok"}})"));
  const std::set<std::string> want{"wallets.D", "wallets.TOOLONGCOIN", "wallets.DG B",
                                   "wallets.DG-B", "wallets."};
  BOOST_TEST(fields_of(ps) == want, boost::test_tools::per_element());
  for (const auto& p : ps) BOOST_TEST(p.message == "not a valid name");
}

BOOST_AUTO_TEST_CASE(invalid_driver_names) {
  const auto ps = rejected(js::object{{"api_keys", js::object{{"-bad", "x"},
                                                              {"a b", "x"},
                                                              {"x/y", "x"},
                                                              {"_x", "x"},
                                                              {std::string(33, 'd'), "x"},
                                                              {"ok_driver-1", "x"}}}});
  const std::set<std::string> want{"api_keys.-bad", "api_keys.a b", "api_keys.x/y", "api_keys._x",
                                   "api_keys." + std::string(33, 'd')};
  BOOST_TEST(fields_of(ps) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(control_characters_and_overlong_values_without_quoting_them) {
  const auto ps = rejected(js::object{
      {"wallets", js::object{{"DGB", "secret\nline"}, {"BTC", std::string(257, 'w')}}},
      {"api_keys", js::object{{"braiins", "tab\tsecret"}, {"mmfp", std::string(1025, 'k')}}},
      {"server", js::object{{"api_token", "del\x7fsecret"}, {"listen", "a\rb:1"}}}});
  const std::set<std::string> want{"wallets.DGB",   "wallets.BTC",      "api_keys.braiins",
                                   "api_keys.mmfp", "server.api_token", "server.listen"};
  BOOST_TEST(fields_of(ps) == want, boost::test_tools::per_element());
  for (const auto& p : ps) BOOST_TEST(p.message.find("secret") == std::string::npos, p.message);
}

BOOST_AUTO_TEST_CASE(non_string_values) {
  const auto ps = rejected(obj(R"({"wallets": {"DGB": 5, "BTC": true, "LTC": ["x"], "XMR": {}},
                                   "server": {"listen": 8080}})"));
  const std::set<std::string> want{"wallets.DGB", "wallets.BTC", "wallets.LTC", "wallets.XMR",
                                   "server.listen"};
  BOOST_TEST(fields_of(ps) == want, boost::test_tools::per_element());
  for (const auto& p : ps) BOOST_TEST(p.message == "must be text or null");
}

BOOST_AUTO_TEST_CASE(sections_that_are_not_objects_and_unknown_names) {
  const auto ps = rejected(obj(R"({"wallets": "x", "api_keys": [1], "server": null,
                                   "pools": {}, "extra": 1})"));
  const std::set<std::string> want{"wallets", "api_keys", "server", "pools", "extra"};
  BOOST_TEST(fields_of(ps) == want, boost::test_tools::per_element());
  const auto unknown = rejected(obj(R"({"server": {"port": "1", "listen": "0.0.0.0:1"}})"));
  BOOST_TEST(fields_of(unknown) == std::set<std::string>{"server.port"});
}

BOOST_AUTO_TEST_CASE(a_result_the_settings_parser_rejects) {
  auto r = patch_settings_text(base, current_of(base), obj(R"({"server": {"listen": "nohost"}})"));
  BOOST_TEST(fields_of(r.problems) == std::set<std::string>{"server.listen"});
}

BOOST_AUTO_TEST_SUITE_END()

// Bugs these tests found (fixed; kept as regression tests):

BOOST_AUTO_TEST_SUITE(fixed_bugs)

// A wallet line commented out at column 0 (what most editors' "toggle comment" does) inside the
// wallets block: set_top_level_key stops the block at the comment, so the lines after it stay
// behind and the result is not YAML; a valid PUT is refused.
BOOST_AUTO_TEST_CASE(a_commented_out_wallet_line_does_not_break_a_put) {
  const std::string text =
      "wallets:\n"
      "  DGB: dgb1qwalletaddress0001\n"
      "#  LTC: ltc1qold\n"
      "  BTC: bc1qwallet\n"
      "server:\n"
      "  listen: 0.0.0.0:8080\n";
  auto r = patch_settings_text(text, current_of(text), obj(R"({"wallets": {"XMR": "4abc"}})"));
  BOOST_TEST(r.problems.empty(), problems_text(r.problems) << "\n" << r.text);
  BOOST_TEST(r.value.wallets.size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
