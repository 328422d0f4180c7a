#define BOOST_TEST_MODULE http auth
#include "http/auth.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using mc::http::bearer_matches;

namespace {
const std::string token = "s3cret-Token_0123456789";
}

BOOST_AUTO_TEST_CASE(the_exact_token_matches) {
  BOOST_TEST(bearer_matches("Bearer " + token, token));
  BOOST_TEST(bearer_matches("Bearer x", "x"));
}

BOOST_AUTO_TEST_CASE(the_scheme_is_case_insensitive) {
  for (const char* scheme : {"bearer ", "BEARER ", "BeArEr ", "bEARER "})
    BOOST_TEST(bearer_matches(scheme + token, token), scheme);
}

BOOST_AUTO_TEST_CASE(extra_blanks_around_the_token_are_tolerated) {
  BOOST_TEST(bearer_matches("Bearer   " + token, token));
  BOOST_TEST(bearer_matches("Bearer " + token + "   ", token));
  BOOST_TEST(bearer_matches("Bearer " + token + "\t", token));
  BOOST_TEST(bearer_matches("Bearer  " + token + " \t ", token));
}

BOOST_AUTO_TEST_CASE(a_wrong_token_does_not_match) {
  BOOST_TEST(!bearer_matches("Bearer wrong", token));
  BOOST_TEST(!bearer_matches("Bearer " + std::string(token.size(), 'x'), token));
  std::string one_off = token;
  one_off.back() = 'X';
  BOOST_TEST(!bearer_matches("Bearer " + one_off, token));
}

BOOST_AUTO_TEST_CASE(the_token_is_case_sensitive) {
  std::string upper = token;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  BOOST_TEST(!bearer_matches("Bearer " + upper, token));
}

BOOST_AUTO_TEST_CASE(a_prefix_or_an_extension_of_the_token_does_not_match) {
  for (std::size_t n = 0; n < token.size(); ++n)
    BOOST_TEST(!bearer_matches("Bearer " + token.substr(0, n), token), n);
  BOOST_TEST(!bearer_matches("Bearer " + token + "x", token));
  BOOST_TEST(!bearer_matches("Bearer " + token + token, token));
  BOOST_TEST(!bearer_matches("Bearer x" + token, token));
  BOOST_TEST(!bearer_matches("Bearer " + token + " extra", token));
  BOOST_TEST(!bearer_matches("Bearer " + token.substr(1), token));
}

BOOST_AUTO_TEST_CASE(an_empty_configured_token_never_matches) {
  BOOST_TEST(!bearer_matches("Bearer ", ""));
  BOOST_TEST(!bearer_matches("Bearer", ""));
  BOOST_TEST(!bearer_matches("", ""));
  BOOST_TEST(!bearer_matches("Bearer x", ""));
  BOOST_TEST(!bearer_matches("Bearer   ", ""));
}

BOOST_AUTO_TEST_CASE(an_empty_given_token_never_matches) {
  BOOST_TEST(!bearer_matches("Bearer ", token));
  BOOST_TEST(!bearer_matches("Bearer      ", token));
}

BOOST_AUTO_TEST_CASE(a_missing_or_other_scheme_does_not_match) {
  BOOST_TEST(!bearer_matches(token, token));
  BOOST_TEST(!bearer_matches("", token));
  BOOST_TEST(!bearer_matches(" " + token, token));
  BOOST_TEST(!bearer_matches("Basic " + token, token));
  BOOST_TEST(!bearer_matches("Token " + token, token));
  BOOST_TEST(!bearer_matches("Bearer" + token, token));
  BOOST_TEST(!bearer_matches("Bearer:" + token, token));
  BOOST_TEST(!bearer_matches("Bearerx " + token, token));
  BOOST_TEST(!bearer_matches("Beare " + token, token));
  BOOST_TEST(!bearer_matches("Bear", token));
}

BOOST_AUTO_TEST_CASE(a_token_with_blanks_or_binary_bytes_must_match_exactly) {
  const std::string odd = std::string("a b\0c", 5);
  BOOST_TEST(bearer_matches("Bearer " + odd, odd));
  BOOST_TEST(!bearer_matches("Bearer a b", odd));
  BOOST_TEST(!bearer_matches("Bearer a", "a b"));
}
