// A plugin whose factory crashes the process (SIGSEGV): the isolation limit of in-process
// plugins. The host cannot survive it; it must not load the same file again at the next start.
#include <csignal>
#include <miner_controller/driver.hpp>

struct crashing_driver : mc::driver {
  crashing_driver() { std::raise(SIGSEGV); }
  mc::driver_info describe() const override { return {}; }
  std::vector<mc::config_problem> validate(const mc::pool_config&) const override { return {}; }
  std::vector<mc::http_request> plan(const mc::poll_context&) const override { return {}; }
  mc::tile parse(const mc::poll_context&, const std::vector<mc::http_response>&) const override {
    return {};
  }
};

MC_DRIVER_EXPORT(crashing_driver)
