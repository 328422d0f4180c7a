// Braiins Pool (BTC). API facts and the tile mapping: shared/fixtures/pool-apis/braiins/README.md.
// One request per poll (the profile holds every tile field): the API asks for at most one
// request per 5 s per token, so fetching workers and rewards too would only cost rate budget.
#include <miner_controller/driver.hpp>
#include <miner_controller/driver_support.hpp>

namespace {

namespace js = boost::json;
namespace sp = mc::support;

constexpr const char* default_base = "https://pool.braiins.com";
constexpr const char* token_hint = "check api_token";

class braiins_driver final : public mc::driver {
 public:
  mc::driver_info describe() const override {
    return {"braiins", "Braiins Pool", "1.0.0", {"BTC"}, false};
  }

  std::vector<mc::config_problem> validate(const mc::pool_config& pool) const override {
    std::vector<mc::config_problem> problems;
    if (pool.coin != "BTC")
      problems.push_back({"coin", "braiins supports BTC only, got " + pool.coin});
    if (pool.api_token.empty())
      problems.push_back({"api_token",
                          "required: set api_keys.braiins in config.yaml or "
                          "api_token: in the pool file (a read-only token)"});
    sp::check_api_base_url(pool, problems);
    return problems;
  }

  std::vector<mc::http_request> plan(const mc::poll_context& ctx) const override {
    const std::string base = sp::api_base(ctx.pool, default_base);
    mc::http_request r{"profile", "GET", sp::join_url(base, "accounts/profile/json/btc/"), {}};
    // The API accepts either header name; older deployments know only the second.
    r.headers = {{"Pool-Auth-Token", ctx.pool.api_token},
                 {"SlushPool-Auth-Token", ctx.pool.api_token}};
    return {r};
  }

  mc::tile parse(const mc::poll_context& ctx,
                 const std::vector<mc::http_response>& responses) const override {
    const auto* r = sp::find(responses, "profile");
    if (!r) return sp::failure("poll incomplete: no profile answer", "BTC");
    if (auto problem = sp::response_problem(*r, token_hint)) return sp::failure(*problem, "BTC");
    if (r->body.view().find("Invalid Access Profile token") != std::string::npos)
      return sp::failure(r->host + " rejected the token: " + token_hint, "BTC");
    const auto* v = r->body.json();
    if (!v)
      return sp::failure("unparsable response from " + r->host + " (profile): not JSON", "BTC");
    const auto* btc = sp::member(v, "btc");
    if (!btc || !btc->is_object())
      return sp::failure("unexpected response from " + r->host + " (profile): no btc object",
                         "BTC");
    (void)ctx;

    mc::tile t;
    t.currency = "BTC";
    auto rate = sp::number(sp::member(btc, "hash_rate_5m"));
    const auto* unit = sp::member(btc, "hash_rate_unit");
    if (rate && unit && unit->is_string()) {
      t.user_hashrate = mc::hash_rate::from_unit(*rate, unit->get_string());
      if (!t.user_hashrate)
        return sp::failure(
            "unknown hash_rate_unit \"" + std::string(unit->get_string()) + "\" from " + r->host,
            "BTC");
    }
    auto ok = sp::count(sp::member(btc, "ok_workers"));
    auto low = sp::count(sp::member(btc, "low_workers"));
    sp::add_count(t.active_workers, ok);
    sp::add_count(t.active_workers, low);
    t.shares_valid = sp::count(sp::member(btc, "shares_24h"));
    t.confirmed_balance = sp::number(sp::member(btc, "current_balance"));
    t.pending_balance = sp::number(sp::member(btc, "today_reward"));
    t.estimated_earnings_24h = sp::number(sp::member(btc, "estimated_reward"));
    t.health_status = true;
    t.health_message = sp::workers_message(t.active_workers, "account found");
    return t;
  }
};

}  // namespace

MC_DRIVER_EXPORT(braiins_driver)
