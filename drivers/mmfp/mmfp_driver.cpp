// MMFP Solutions local solo pool. API facts and the tile mapping:
// shared/fixtures/pool-apis/mmfp/README.md. The API's own percentage and time-to-block strings
// are ignored: the host computes them with the same formulas as for every other pool.
#include <miner_controller/driver.hpp>
#include <miner_controller/driver_support.hpp>

namespace {

namespace js = boost::json;
namespace sp = mc::support;

class mmfp_driver final : public mc::driver {
 public:
  mc::driver_info describe() const override {
    return {"mmfp", "MMFP Solutions", "1.0.0", {}, false};
  }

  std::vector<mc::config_problem> validate(const mc::pool_config& pool) const override {
    std::vector<mc::config_problem> problems;
    sp::check_api_base_url(pool, problems);
    return problems;
  }

  std::vector<mc::http_request> plan(const mc::poll_context& ctx) const override {
    const std::string base = sp::api_base(ctx.pool, "http://" + ctx.pool.url + ":4004");
    return {{"health", "GET", sp::join_url(base, "api/v1/health"), {}},
            {"pool", "GET", sp::join_url(base, "api/v1/" + ctx.pool.coin + "/metrics/pool"), {}}};
  }

  mc::tile parse(const mc::poll_context& ctx,
                 const std::vector<mc::http_response>& responses) const override {
    const std::string& coin = ctx.pool.coin;
    const auto* health_r = sp::find(responses, "health");
    const auto* pool_r = sp::find(responses, "pool");
    if (!health_r || !pool_r) return sp::failure("poll incomplete: no health or pool answer", coin);
    auto health = sp::json_object(*health_r);
    if (auto* msg = std::get_if<std::string>(&health)) return sp::failure(*msg, coin);
    const auto* status = sp::member(std::get<const js::value*>(health), "status");
    if (!status || !status->is_string() || status->get_string() != "ok")
      return sp::failure("pool at " + health_r->host + " reports status " +
                             (status ? js::serialize(*status) : std::string("(none)")),
                         coin);
    auto metrics = sp::json_object(*pool_r);
    if (auto* msg = std::get_if<std::string>(&metrics)) return sp::failure(*msg, coin);
    const auto& m = *std::get<const js::value*>(metrics);

    mc::tile t;
    t.currency = coin;
    const auto* rates = sp::member(&m, "hashrate");
    auto rate = sp::number(sp::member(rates, "5m"));
    if (!rate) rate = sp::number(sp::member(rates, "1m"));
    if (rate) t.user_hashrate = mc::hash_rate::from_hs(*rate);
    t.active_workers = sp::count(sp::member(&m, "active_miners"));
    const auto* shares = sp::member(&m, "shares");
    t.shares_valid = sp::count(sp::member(shares, "valid"));
    t.shares_invalid = sp::count(sp::member(shares, "invalid"));
    t.shares_stale = sp::count(sp::member(shares, "stale"));
    const auto* net = sp::member(&m, "network_comparison");
    t.network_difficulty = sp::number(sp::member(net, "network_difficulty"));
    if (auto h = sp::number(sp::member(net, "network_hashrate")))
      t.network_hashrate = mc::hash_rate::from_hs(*h);
    t.health_status = true;
    t.health_message = sp::workers_message(t.active_workers, "pool online");
    return t;
  }
};

}  // namespace

MC_DRIVER_EXPORT(mmfp_driver)
