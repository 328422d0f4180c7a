// A plugin whose factory throws: a load failure, never a crash.
#include <miner_controller/driver.hpp>
#include <stdexcept>

struct throwing_driver : mc::driver {
  throwing_driver() { throw std::runtime_error("cannot open its data file"); }
  mc::driver_info describe() const override { return {}; }
  std::vector<mc::config_problem> validate(const mc::pool_config&) const override { return {}; }
  std::vector<mc::http_request> plan(const mc::poll_context&) const override { return {}; }
  mc::tile parse(const mc::poll_context&, const std::vector<mc::http_response>&) const override {
    return {};
  }
};

MC_DRIVER_EXPORT(throwing_driver)
