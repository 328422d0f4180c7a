#define BOOST_TEST_MODULE yaml edit
#include "config/yaml_edit.hpp"

#include <yaml-cpp/yaml.h>

#include <boost/test/unit_test.hpp>
#include <string>

using mc::config::remove_top_level_key;
using mc::config::set_top_level_key;

namespace {

std::string must(const std::optional<std::string>& r) {
  BOOST_REQUIRE_MESSAGE(r.has_value(), "the edit gave nullopt");
  return *r;
}

std::string set(std::string_view text, std::string_view key, std::string_view value) {
  return must(set_top_level_key(text, key, value));
}

std::string remove(std::string_view text, std::string_view key) {
  return must(remove_top_level_key(text, key));
}

YAML::Node load(const std::string& text) {
  YAML::Node n;
  try {
    n = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    BOOST_FAIL("the result is not YAML: " << e.what() << "\n" << text);
  }
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(set_key)

BOOST_AUTO_TEST_CASE(replaces_a_scalar_and_keeps_every_other_line) {
  const std::string text =
      "# Solopool DGB, EU server\n"
      "driver: solopool\n"
      "\n"
      "# the stratum port\n"
      "port: 3333  # EU\n"
      "coin: DGB\n";
  const auto out = set(text, "port", "3334");
  BOOST_TEST(out ==
             "# Solopool DGB, EU server\n"
             "driver: solopool\n"
             "\n"
             "# the stratum port\n"
             "port: 3334  # EU\n"
             "coin: DGB\n");
  const auto y = load(out);
  BOOST_TEST(y["port"].as<int>() == 3334);
  BOOST_TEST(y["coin"].as<std::string>() == "DGB");
  BOOST_TEST(y.size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_key_without_a_value_gets_one) {
  BOOST_TEST(set("a:\nb: 2\n", "a", "1") == "a: 1\nb: 2\n");
  BOOST_TEST(set("a:  # empty for now\nb: 2\n", "a", "\"x\"") ==
             "a: \"x\"  # empty for now\nb: 2\n");
}

BOOST_AUTO_TEST_CASE(the_trailing_comment_survives_quoted_values_with_hash_signs) {
  auto out = set("name: \"a # b\"  # real comment\nx: 1\n", "name", "\"new\"");
  BOOST_TEST(out == "name: \"new\"  # real comment\nx: 1\n");
  out = set("name: 'it''s # not'\t# tab comment\n", "name", "\"v\"");
  BOOST_TEST(out == "name: \"v\"\t# tab comment\n");
  out = set("name: \"esc \\\" # still in\" # c\n", "name", "1");
  BOOST_TEST(out == "name: 1 # c\n");
  BOOST_TEST(load(out)["name"].as<int>() == 1);
}

BOOST_AUTO_TEST_CASE(a_hash_inside_a_plain_value_is_not_a_comment) {
  BOOST_TEST(set("url: http://x/#frag\n", "url", "\"y\"") == "url: \"y\"\n");
  BOOST_TEST(set("tag: a#b # c\n", "tag", "\"z\"") == "tag: \"z\" # c\n");
}

BOOST_AUTO_TEST_CASE(replaces_a_block_mapping_with_its_nested_lists) {
  const std::string text =
      "driver: x\n"
      "nested:\n"
      "  a: 1\n"
      "  # a note inside\n"
      "  b:\n"
      "    - one\n"
      "    - two\n"
      "\n"
      "  c: {d: 3}\n"
      "after: 2 # kept\n";
  const auto out = set(text, "nested", R"({"k":[1,2]})");
  BOOST_TEST(out == "driver: x\nnested: {\"k\":[1,2]}\nafter: 2 # kept\n");
  const auto y = load(out);
  BOOST_TEST(y["nested"]["k"][1].as<int>() == 2);
  BOOST_TEST(y["after"].as<int>() == 2);
  BOOST_TEST(y.size() == 3u);
}

BOOST_AUTO_TEST_CASE(replaces_a_block_list) {
  const auto out = set("list:\n  - a\n  - b:\n      c: 1\nz: 0\n", "list", R"(["x"])");
  BOOST_TEST(out == "list: [\"x\"]\nz: 0\n");
  const auto y = load(out);
  BOOST_TEST(y["list"].size() == 1u);
  BOOST_TEST(y["list"][0].as<std::string>() == "x");
}

BOOST_AUTO_TEST_CASE(replaces_a_literal_block_scalar_with_blank_lines_inside) {
  const std::string text =
      "description: |  # long text\n"
      "  line one\n"
      "\n"
      "  line three: with a colon\n"
      "    indented more\n"
      "enabled: true\n";
  const auto out = set(text, "description", "\"short\"");
  BOOST_TEST(out == "description: \"short\"  # long text\nenabled: true\n");
  const auto y = load(out);
  BOOST_TEST(y["description"].as<std::string>() == "short");
  BOOST_TEST(y["enabled"].as<bool>() == true);
}

BOOST_AUTO_TEST_CASE(replaces_a_folded_block_scalar_at_the_end_without_newline) {
  const auto out = set("a: 1\ndescription: >-\n  folded\n  text", "description", "\"s\"");
  BOOST_TEST(out == "a: 1\ndescription: \"s\"");
  BOOST_TEST(load(out)["description"].as<std::string>() == "s");
}

BOOST_AUTO_TEST_CASE(blank_lines_and_comments_after_a_block_belong_to_the_next_key) {
  const std::string text =
      "a:\n"
      "  x: 1\n"
      "\n"
      "  # about b\n"
      "b: 2\n";
  BOOST_TEST(set(text, "a", "5") == "a: 5\n\n  # about b\nb: 2\n");
  BOOST_TEST(remove(text, "a") == "\n  # about b\nb: 2\n");
}

BOOST_AUTO_TEST_CASE(replaces_a_multi_line_flow_value) {
  const auto out = set("a: [1,\n  2,\n  3]\nb: 1\n", "a", "[]");
  BOOST_TEST(out == "a: []\nb: 1\n");
  BOOST_TEST(load(out)["a"].size() == 0u);
}

BOOST_AUTO_TEST_CASE(only_a_top_level_key_matches) {
  const std::string text = "outer:\n  port: 1\nports: 7\nport_x: 8\nport: 2\n";
  const auto out = set(text, "port", "3");
  BOOST_TEST(out == "outer:\n  port: 1\nports: 7\nport_x: 8\nport: 3\n");
  const auto y = load(out);
  BOOST_TEST(y["outer"]["port"].as<int>() == 1);
  BOOST_TEST(y["ports"].as<int>() == 7);
  BOOST_TEST(y["port"].as<int>() == 3);
}

BOOST_AUTO_TEST_CASE(a_key_only_nested_is_appended_at_the_top_level) {
  const auto out = set("outer:\n  port: 1\n", "port", "3");
  BOOST_TEST(out == "outer:\n  port: 1\nport: 3\n");
  const auto y = load(out);
  BOOST_TEST(y["outer"]["port"].as<int>() == 1);
  BOOST_TEST(y["port"].as<int>() == 3);
}

BOOST_AUTO_TEST_CASE(a_colon_in_the_value_does_not_end_the_key_early) {
  const auto out = set("url: http://host:3333\napi: x\n", "url", "\"u\"");
  BOOST_TEST(out == "url: \"u\"\napi: x\n");
}

BOOST_AUTO_TEST_CASE(blanks_before_the_colon_belong_to_no_key) {
  const auto out = set("port   : 1\n", "port", "2");
  BOOST_TEST(load(out)["port"].as<int>() == 2);
  BOOST_TEST(out == "port   : 2\n");
}

BOOST_AUTO_TEST_CASE(quoted_keys_match_and_keep_their_quotes) {
  const std::string text = "\"port\": 1\n'url': a\n\"my key\": 3\n\"a:b\": 4 # c\n";
  auto out = set(text, "port", "2");
  out = set(out, "url", "\"b\"");
  out = set(out, "my key", "5");
  out = set(out, "a:b", "6");
  BOOST_TEST(out == "\"port\": 2\n'url': \"b\"\n\"my key\": 5\n\"a:b\": 6 # c\n");
  const auto y = load(out);
  BOOST_TEST(y["port"].as<int>() == 2);
  BOOST_TEST(y["url"].as<std::string>() == "b");
  BOOST_TEST(y["my key"].as<int>() == 5);
  BOOST_TEST(y["a:b"].as<int>() == 6);
  BOOST_TEST(y.size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_json_string_value_round_trips_through_yaml) {
  // What pool_edit sends: JSON serialisation of a string with quotes, newlines and a hash.
  const auto out = set("a: 1\n", "a", R"("x\"y\nz: 1 # not a comment\tend")");
  const auto y = load(out);
  BOOST_TEST(y["a"].as<std::string>() == "x\"y\nz: 1 # not a comment\tend");
  BOOST_TEST(y.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_document_start_marker_is_kept) {
  const auto out = set("# c\n---\na: 1\n", "a", "2");
  BOOST_TEST(out == "# c\n---\na: 2\n");
  BOOST_TEST(load(out)["a"].as<int>() == 2);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(append)

BOOST_AUTO_TEST_CASE(appends_a_missing_key_at_the_end) {
  BOOST_TEST(set("a: 1\n# end\n", "b", "\"x\"") == "a: 1\n# end\nb: \"x\"\n");
}

BOOST_AUTO_TEST_CASE(appends_on_a_new_line_when_the_file_has_no_final_newline) {
  const auto out = set("a: 1", "b", "2");
  BOOST_TEST(out == "a: 1\nb: 2\n");
  const auto y = load(out);
  BOOST_TEST(y["a"].as<int>() == 1);
  BOOST_TEST(y["b"].as<int>() == 2);
  BOOST_TEST(set("a: 1\n# trailing comment", "b", "2") == "a: 1\n# trailing comment\nb: 2\n");
}

BOOST_AUTO_TEST_CASE(appends_to_an_empty_or_comment_only_file) {
  BOOST_TEST(set("", "b", "2") == "b: 2\n");
  BOOST_TEST(set("# only a comment\n", "b", "2") == "# only a comment\nb: 2\n");
  BOOST_TEST(set("\n\n", "b", "2") == "\n\nb: 2\n");
}

BOOST_AUTO_TEST_CASE(an_appended_key_that_is_not_a_plain_word_is_quoted) {
  const auto out = set("a: 1\n", "two words", "2");
  BOOST_TEST(out == "a: 1\n\"two words\": 2\n");
  BOOST_TEST(load(out)["two words"].as<int>() == 2);
  BOOST_TEST(set("a: 1\n", "key_1.x-y", "2") == "a: 1\nkey_1.x-y: 2\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(remove_key)

BOOST_AUTO_TEST_CASE(removes_the_key_with_its_block_and_keeps_comments) {
  const std::string text =
      "# header\n"
      "a: 1 # one\n"
      "# about b\n"
      "b:\n"
      "  - x\n"
      "  - y\n"
      "c: 3\n";
  const auto out = remove(text, "b");
  BOOST_TEST(out == "# header\na: 1 # one\n# about b\nc: 3\n");
  const auto y = load(out);
  BOOST_TEST(!y["b"]);
  BOOST_TEST(y["c"].as<int>() == 3);
  BOOST_TEST(remove(out, "a") == "# header\n# about b\nc: 3\n");
}

BOOST_AUTO_TEST_CASE(removing_an_absent_key_changes_nothing) {
  for (const std::string text : {"a: 1\n", "a: 1", "", "# c\n", "outer:\n  b: 1\n"})
    BOOST_TEST(remove(text, "b") == text);
}

BOOST_AUTO_TEST_CASE(removes_the_last_key_of_a_file_without_final_newline) {
  BOOST_TEST(remove("a: 1\nb: |\n  x\n  y", "b") == "a: 1");
  BOOST_TEST(remove("a: 1", "a") == "");
}

BOOST_AUTO_TEST_CASE(removes_a_quoted_key) {
  BOOST_TEST(remove("'a': 1\n\"b\": 2\n", "b") == "'a': 1\n");
  BOOST_TEST(remove("'a': 1\n\"b\": 2\n", "a") == "\"b\": 2\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(crlf)

BOOST_AUTO_TEST_CASE(keeps_crlf_on_a_replaced_line) {
  const std::string text = "a: 1  # c\r\nb: 2\r\n";
  BOOST_TEST(set(text, "a", "9") == "a: 9  # c\r\nb: 2\r\n");
  BOOST_TEST(set(text, "b", "\"x\"") == "a: 1  # c\r\nb: \"x\"\r\n");
  BOOST_TEST(load(set(text, "a", "9"))["a"].as<int>() == 9);
}

BOOST_AUTO_TEST_CASE(replaces_a_crlf_block_and_an_empty_crlf_value) {
  const std::string text = "a: 1\r\nb:\r\n  x: 1\r\n\r\n  y: 2\r\nc: 3\r\n";
  const auto out = set(text, "b", "5");
  BOOST_TEST(out == "a: 1\r\nb: 5\r\nc: 3\r\n");
  const auto y = load(out);
  BOOST_TEST(y["b"].as<int>() == 5);
  BOOST_TEST(y["c"].as<int>() == 3);
  BOOST_TEST(remove(text, "b") == "a: 1\r\nc: 3\r\n");
}

BOOST_AUTO_TEST_CASE(appends_to_a_crlf_file_and_still_parses) {
  const auto out = set("a: 1\r\n", "b", "2");
  BOOST_TEST(out.starts_with("a: 1\r\n"));
  BOOST_TEST(out.find("b: 2") != std::string::npos);
  const auto y = load(out);
  BOOST_TEST(y["a"].as<int>() == 1);
  BOOST_TEST(y["b"].as<int>() == 2);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rewrite_cases)

BOOST_AUTO_TEST_CASE(documents_that_are_not_a_column_0_block_mapping_give_nullopt) {
  const char* cases[] = {
      "{a: 1, b: 2}\n",          // flow mapping
      "[1, 2]\n",                // flow sequence
      "- a\n- b\n",              // block sequence
      "a: 1\n---\nb: 2\n",       // a second document
      "---\na: 1\n---\nb: 2\n",  // two documents, both started
      "a: 1\n...\n",             // document end marker
      "--- {a: 1}\n",            // content on the start marker
      "--- !!map\na: 1\n",       // tag on the start marker
      "  a: 1\n  b: 2\n",        // mapping not at column 0
      "# c\n  a: 1\n",           // the same after a comment
      "&anchor a: 1\n",          // anchor at column 0
      "*alias : 1\n",            // alias at column 0
      "a: 1\n&x b: 2\n",         // anchor on a later key
      "a: 1\n*x : 2\n",          // alias as a later key
      "? complex\n: value\n",    // complex key
      "!tag a: 1\n",             // tag at column 0
      "%YAML 1.2\n---\na: 1\n",  // directive
      "just a scalar\n",         // not a mapping
      "a:1\n",                   // a plain scalar, no mapping
      "|\n  text\n",             // block scalar document
      "\"esc\\\"aped\": 1\n",    // escapes in a quoted key
      "'unterminated: 1\n",      // broken quoted key
      "\"q\" : 1\n",             // blank between a quoted key and its colon
  };
  for (const char* text : cases) {
    BOOST_TEST(!set_top_level_key(text, "a", "1").has_value(), text);
    BOOST_TEST(!remove_top_level_key(text, "a").has_value(), text);
  }
}

BOOST_AUTO_TEST_CASE(anchors_inside_values_make_a_rewrite_case) {
  // An alias ties two values: a line edit could leave it dangling, so the caller rewrites.
  BOOST_TEST(!set_top_level_key("a: &x 1\nb: *x\nc: 0\n", "c", "2"));
  BOOST_TEST(!remove_top_level_key("a: [&x 1]\nc: 0\n", "c"));
  // An ampersand or star inside a word is no anchor.
  BOOST_TEST(set("a: R&D*2\nc: 0\n", "c", "2") == "a: R&D*2\nc: 2\n");
}

BOOST_AUTO_TEST_SUITE_END()

// Bugs these tests found (fixed; kept as regression tests):

// and re-enable each once fixed.
BOOST_AUTO_TEST_SUITE(fixed_bugs)

// A comment at column 0 inside a nested block (an editor's "comment out this line") ends the
// key's block early: the lines after it are left behind. set_top_level_key then gives invalid
// YAML, remove_top_level_key silently moves them under the previous key.
const std::string commented_out_entry =
    "server:\n"
    "  listen: 0.0.0.0:8080\n"
    "wallets:\n"
    "  DGB: dgb1\n"
    "#  LTC: ltc1\n"
    "  BTC: bc1\n"
    "after: 1\n";

BOOST_AUTO_TEST_CASE(set_a_block_with_a_column_0_comment_inside) {
  const auto& text = commented_out_entry;
  const auto set_out = set(text, "wallets", R"({"DGB":"x"})");
  const auto y = load(set_out);
  BOOST_TEST(y["wallets"]["DGB"].as<std::string>() == "x");
  BOOST_TEST(!y["wallets"]["BTC"]);
  BOOST_TEST(y["after"].as<int>() == 1);
}

BOOST_AUTO_TEST_CASE(remove_a_block_with_a_column_0_comment_inside) {
  const auto& text = commented_out_entry;
  const auto removed = remove(text, "wallets");
  const auto z = load(removed);
  BOOST_TEST(!z["wallets"]);
  BOOST_TEST(z["server"].size() == 1u, "server gained: " << removed);
  BOOST_TEST(!z["server"]["BTC"]);
}

// A UTF-8 byte order mark (Windows editors) becomes part of the first key: setting that key
// appends a duplicate instead of replacing it, and YAML readers see the old value.
BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_not_part_of_the_first_key) {
  const auto out = set("\xEF\xBB\xBFport: 1\nb: 2\n", "port", "2");
  BOOST_TEST(out.find("port: 1") == std::string::npos, out);
  BOOST_TEST(load(out)["port"].as<int>() == 2);
}

// The header promises nullopt for anchors; an anchor inside a value is not detected, so
// replacing the anchored key leaves a dangling alias and the result is not YAML.
BOOST_AUTO_TEST_CASE(replacing_an_anchored_value_gives_nullopt_or_valid_yaml) {
  const auto r = set_top_level_key("base: &b 1\nother: *b\n", "base", "2");
  if (r) BOOST_CHECK_NO_THROW(YAML::Load(*r));
}

BOOST_AUTO_TEST_SUITE_END()
