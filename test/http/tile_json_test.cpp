#define BOOST_TEST_MODULE tile json
#include "http/tile_json.hpp"

#include <boost/test/unit_test.hpp>

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
