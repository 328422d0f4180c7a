#include "app/fd_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace mc::app {

std::size_t raise_fd_limit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  const rlim_t want = std::min<rlim_t>(rl.rlim_max, rlim_t{1} << 20);
  if (rl.rlim_cur < want) {
    rlimit raised = rl;
    raised.rlim_cur = want;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
  }
  return rl.rlim_cur == RLIM_INFINITY ? std::size_t{1} << 20
                                      : static_cast<std::size_t>(rl.rlim_cur);
}

std::size_t connection_cap(std::size_t fd_limit, std::size_t cap) {
  return std::max<std::size_t>(1, std::min(cap, fd_limit / 2));
}

}  // namespace mc::app
