// A plugin that misbehaves at run time, per pool: `fault:` in the pool file picks what throws.
//   parse_std     parse() throws std::runtime_error("parse exploded")
//   parse_other   parse() throws an int (not a std::exception)
//   plan_other    plan() throws an int
//   validate_other validate() throws an int (the pool is rejected with a reason)
//   none          a healthy tile "faulty driver: fine" without any request
// The host must turn each into a failure tile or a rejected pool and keep running.
#include <miner_controller/driver.hpp>
#include <stdexcept>

namespace {

std::string fault_of(const mc::pool_config& pool) {
  const auto* v = pool.extra.if_contains("fault");
  return v && v->is_string() ? std::string(v->as_string()) : std::string("none");
}

}  // namespace

struct faulty_driver : mc::driver {
  mc::driver_info describe() const override {
    return {"faulty", "Faulty test driver", "0.0.1", {}, false};
  }
  std::vector<mc::config_problem> validate(const mc::pool_config& pool) const override {
    if (fault_of(pool) == "validate_other") throw 7;
    return {};
  }
  std::vector<mc::http_request> plan(const mc::poll_context& ctx) const override {
    if (fault_of(ctx.pool) == "plan_other") throw 7;
    return {};
  }
  mc::tile parse(const mc::poll_context& ctx,
                 const std::vector<mc::http_response>&) const override {
    const auto fault = fault_of(ctx.pool);
    if (fault == "parse_std") throw std::runtime_error("parse exploded");
    if (fault == "parse_other") throw 7;
    mc::tile t;
    t.health_status = true;
    t.health_message = "faulty driver: fine";
    return t;
  }
};

MC_DRIVER_EXPORT(faulty_driver)
