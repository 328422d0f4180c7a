#define BOOST_TEST_MODULE fd limit
#include "app/fd_limit.hpp"

#include <sys/resource.h>

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_CASE(the_soft_limit_is_raised_to_the_hard_one) {
  rlimit rl{};
  BOOST_REQUIRE(::getrlimit(RLIMIT_NOFILE, &rl) == 0);
  rlimit low = rl;
  low.rlim_cur = std::min<rlim_t>(rl.rlim_max, 64);
  BOOST_REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
  const auto now = mc::app::raise_fd_limit();
  BOOST_REQUIRE(::getrlimit(RLIMIT_NOFILE, &rl) == 0);
  BOOST_TEST(now == rl.rlim_cur);
  BOOST_TEST(rl.rlim_cur == std::min<rlim_t>(rl.rlim_max, rlim_t{1} << 20));
}

BOOST_AUTO_TEST_CASE(half_the_descriptors_go_to_api_connections) {
  BOOST_TEST(mc::app::connection_cap(1024, 4096) == 512u);
  BOOST_TEST(mc::app::connection_cap(1 << 20, 4096) == 4096u);
  BOOST_TEST(mc::app::connection_cap(1, 4096) == 1u);  // never 0: the server must answer someone
}
