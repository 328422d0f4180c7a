#define BOOST_TEST_MODULE driver sdk helpers
#include <boost/test/unit_test.hpp>
#include <miner_controller/driver_support.hpp>
#include <miner_controller/hash_rate.hpp>

namespace sp = mc::support;

// Found by fuzzing braiins and solopool: two workers with 9e18 shares each overflowed int64.
BOOST_AUTO_TEST_CASE(add_count_sums_known_counts_and_saturates) {
  std::optional<std::int64_t> sum;
  sp::add_count(sum, std::nullopt);
  BOOST_TEST(!sum.has_value());
  sp::add_count(sum, 2);
  sp::add_count(sum, 3);
  BOOST_TEST(*sum == 5);
  sp::add_count(sum, 9'000'000'000'000'000'000);
  sp::add_count(sum, 9'000'000'000'000'000'000);
  BOOST_TEST(*sum == INT64_MAX);
}

// Seen while writing the hash_rate fuzz target (its invariant: a rate is finite): 1e300 Zh/s
// was an infinite rate.
BOOST_AUTO_TEST_CASE(a_rate_that_overflows_its_unit_is_unknown) {
  BOOST_TEST(!mc::hash_rate::from_unit(1e300, "Zh/s").has_value());
  BOOST_TEST(mc::hash_rate::from_unit(2.5, "TH/s")->hs() == 2.5e12);
}
