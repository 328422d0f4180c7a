// TEMPLATE: a complete, minimal driver to copy. It reads a pool API that answers
//   GET {api_base_url}/status  ->  {"hashrate_hs": 1.2e12, "workers": 2, "valid": 10, "invalid": 0}
// Rename the type, the class and the URLs; keep the shape: plan() builds requests, parse()
// reads answers, nothing else. docs/writing-a-driver.md walks through it.
#include <miner_controller/driver.hpp>
#include <miner_controller/driver_support.hpp>

namespace {

namespace sp = mc::support;

class example_driver final : public mc::driver {
 public:
  mc::driver_info describe() const override {
    // type, display name, version, supported coins (empty: any), needs a wallet
    return {"example", "Example Pool", "0.1.0", {"BTC"}, false};
  }

  std::vector<mc::config_problem> validate(const mc::pool_config& pool) const override {
    std::vector<mc::config_problem> problems;
    if (!sp::is_http_url(pool.api_base_url))
      problems.push_back(
          {"api_base_url", "required: the pool's API, e.g. http://192.168.1.10:8080"});
    return problems;
  }

  std::vector<mc::http_request> plan(const mc::poll_context& ctx) const override {
    return {{"status", "GET", sp::join_url(ctx.pool.api_base_url, "status"), {}}};
  }

  mc::tile parse(const mc::poll_context& ctx,
                 const std::vector<mc::http_response>& responses) const override {
    const auto* r = sp::find(responses, "status");
    if (!r) return sp::failure("poll incomplete", ctx.pool.coin);
    if (auto problem = sp::response_problem(*r, "check api_token"))
      return sp::failure(*problem, ctx.pool.coin);
    const auto* body = r->body.json();
    if (!body || !body->is_object())
      return sp::failure("unparsable response from " + r->host, ctx.pool.coin);

    mc::tile t;
    t.currency = ctx.pool.coin;
    if (auto hs = sp::number(sp::member(body, "hashrate_hs")))
      t.user_hashrate = mc::hash_rate::from_hs(*hs);
    t.active_workers = sp::count(sp::member(body, "workers"));
    t.shares_valid = sp::count(sp::member(body, "valid"));
    t.shares_invalid = sp::count(sp::member(body, "invalid"));
    t.health_status = true;
    t.health_message = sp::workers_message(t.active_workers, "online");
    return t;
  }
};

}  // namespace

MC_DRIVER_EXPORT(example_driver)
