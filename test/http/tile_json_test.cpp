#define BOOST_TEST_MODULE tile json
#include "http/tile_json.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <limits>

using mc::codec::derive;
using mc::codec::format_time_to_block;

BOOST_AUTO_TEST_CASE(time_to_block_uses_the_largest_fitting_unit_floored) {
  BOOST_TEST(format_time_to_block(0) == "0 minutes");
  BOOST_TEST(format_time_to_block(59 * 60 + 59) == "59 minutes");
  BOOST_TEST(format_time_to_block(3600) == "1 hours");
  BOOST_TEST(format_time_to_block(86'399) == "23 hours");
  BOOST_TEST(format_time_to_block(86'400 * 82.9) == "82 days");
  BOOST_TEST(format_time_to_block(86'400 * 364.99) == "364 days");
  BOOST_TEST(format_time_to_block(86'400 * 365) == "1.0 years");
  BOOST_TEST(format_time_to_block(586978863.7866666) == "18.6 years");
  BOOST_TEST(format_time_to_block(86'400 * 365 * 18.69) == "18.6 years");  // truncated
}

BOOST_AUTO_TEST_CASE(iso8601_is_utc_with_z) {
  BOOST_TEST(mc::codec::iso8601(1763996400) == "2025-11-24T15:00:00Z");
  BOOST_TEST(mc::codec::iso8601(0) == "1970-01-01T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(expected_time_and_share_of_network_follow_the_design_formulas) {
  mc::tile t;
  t.network_difficulty = 2e9;
  t.user_hashrate = mc::hash_rate::from_hs(1.2e12);
  t.network_hashrate = mc::hash_rate::from_hs(1.4e16);
  auto d = derive(t);
  BOOST_TEST(d.seconds_to_block.value() == 7158278.826666667);
  BOOST_TEST(d.time_to_block.value() == "82 days");
  BOOST_TEST(d.pool_percentage.value() == 0.008571428571428572);
}

BOOST_AUTO_TEST_CASE(zero_or_unknown_hash_rate_gives_no_time_to_block) {
  mc::tile t;
  t.network_difficulty = 2e9;
  BOOST_TEST(!derive(t).seconds_to_block.has_value());
  t.user_hashrate = mc::hash_rate::from_hs(0);
  BOOST_TEST(!derive(t).seconds_to_block.has_value());
  BOOST_TEST(!derive(t).pool_percentage.has_value());
}

BOOST_AUTO_TEST_CASE(reject_rate_rules) {
  mc::tile t;
  BOOST_TEST(!derive(t).reject_rate.has_value());  // valid unknown
  t.shares_valid = 2400;
  t.shares_invalid = 5;
  t.shares_stale = 1;
  BOOST_TEST(derive(t).reject_rate.value() == 0.24937655860349128);
  t.shares_stale.reset();  // stale unknown counts as 0
  BOOST_TEST(derive(t).reject_rate.value() == 100.0 * 5 / 2405);
  t.shares_invalid.reset();  // invalid unknown: the rate is unknown, not 0 %
  BOOST_TEST(!derive(t).reject_rate.has_value());
  t.shares_valid = 0;
  t.shares_invalid = 0;
  BOOST_TEST(!derive(t).reject_rate.has_value());  // nothing submitted
}

BOOST_AUTO_TEST_CASE(units_convert_once_from_any_reported_unit) {
  BOOST_TEST(mc::hash_rate::from_unit(2400.5, "Gh/s")->hs() == 2400.5e9);
  BOOST_TEST(mc::hash_rate::from_unit(1, "TH/s")->ths() == 1.0);
  BOOST_TEST(mc::hash_rate::from_unit(3, "h/s")->hs() == 3.0);
  BOOST_TEST(mc::hash_rate::from_unit(2, "Eh/s")->hs() == 2e18);
  BOOST_TEST(!mc::hash_rate::from_unit(2, "sol/s").has_value());
}

BOOST_AUTO_TEST_CASE(groups_hold_every_field_once_and_unknown_is_null) {
  mc::tile t;
  t.health_status = true;
  t.health_message = "2 workers online";
  t.currency = "DGB";
  auto g = mc::codec::tile_groups(t);
  BOOST_TEST(g.size() == 4u);
  BOOST_TEST(g["tile_1_health"].as_object().at("health_message") == "2 workers online");
  BOOST_TEST(g["tile_2_network"].as_object().at("pool_hashrate").is_null());
  BOOST_TEST(g["tile_3_shares"].as_object().at("reject_rate").is_null());
  BOOST_TEST(g["tile_4_blocks"].as_object().at("currency") == "DGB");
  std::size_t n = 0;
  for (auto& [k, v] : g) n += v.as_object().size();
  BOOST_TEST(n == mc::codec::tile_fields(t).size());
}

// Found by fuzzing the drivers (docs/reliability/fuzzing.md): a pool's nonsense reached the
// tile as inf, NaN, an overflowing sum or bytes that are not UTF-8, and made the JSON invalid.
BOOST_AUTO_TEST_CASE(the_tile_json_stays_valid_json_whatever_a_driver_fills_in) {
  mc::tile t;
  t.health_message = "HTTP 429 from pool.test: rate limited, retry after \xff\xfe 5 s";
  t.currency = "B\xc3";
  t.network_difficulty = -5;
  t.user_hashrate = mc::hash_rate::from_hs(1e-300);
  t.network_hashrate = mc::hash_rate::from_hs(1e-320);
  t.confirmed_balance = std::numeric_limits<double>::infinity();
  t.shares_valid = INT64_MAX;
  t.shares_invalid = INT64_MAX;
  t.shares_stale = INT64_MAX;
  const auto fields = mc::codec::tile_fields(t);
  const auto text = boost::json::serialize(fields);
  boost::system::error_code ec;
  const auto back = boost::json::parse(text, ec);
  BOOST_TEST(!ec);
  BOOST_TEST(fields.at("health_message").as_string() ==
             "HTTP 429 from pool.test: rate limited, retry after \xEF\xBF\xBD\xEF\xBF\xBD 5 s");
  BOOST_TEST(fields.at("currency").as_string() == "B\xEF\xBF\xBD");
  BOOST_TEST(fields.at("estimated_seconds_to_block").is_null());  // negative difficulty
  BOOST_TEST(fields.at("confirmed_balance").is_null());           // inf
  BOOST_TEST(fields.at("reject_rate").as_double() == 100.0 * 2 / 3);
  t.network_difficulty = 1e300;  // finite, but the time to block overflows to inf
  BOOST_TEST(mc::codec::tile_fields(t).at("estimated_seconds_to_block").is_null());
}
