// ckpool web statistics (a local ckpool stack, or public sites such as solo.ckpool.org and
// pool.nerdminers.org). API facts and the tile mapping: shared/fixtures/pool-apis/ckpool/README.md.
#include <miner_controller/driver.hpp>
#include <miner_controller/driver_support.hpp>

namespace {

namespace js = boost::json;
namespace sp = mc::support;

// pool.status is three JSON objects, one per line, rewritten in place by ckpool: a read that
// lacks one is a torn snapshot, never a pool with zeros.
std::optional<std::string> check_pool_status(const mc::http_response& r) {
  if (auto problem = sp::response_problem(r)) return problem;
  std::string_view rest = r.body;
  int objects = 0;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const auto line = rest.substr(0, end);
    rest.remove_prefix(end == rest.npos ? rest.size() : end + 1);
    if (line.find_first_not_of(" \t\r") == line.npos) continue;
    auto v = sp::parse_json(line);
    if (!v || !v->is_object()) break;
    ++objects;
  }
  if (objects < 3)
    return "incomplete pool.status from " + r.host + " (" + std::to_string(objects) +
           " of 3 lines): the pool was rewriting it, will retry";
  return std::nullopt;
}

class ckpool_driver final : public mc::driver {
 public:
  mc::driver_info describe() const override { return {"ckpool", "ckpool", "1.0.0", {}, true}; }

  std::vector<mc::config_problem> validate(const mc::pool_config& pool) const override {
    std::vector<mc::config_problem> problems;
    sp::check_api_base_url(pool, problems);
    return problems;
  }

  std::vector<mc::http_request> plan(const mc::poll_context& ctx) const override {
    const std::string base = sp::api_base(ctx.pool, "http://" + ctx.pool.url + ":3001");
    std::vector<mc::http_request> out{{"pool", "GET", sp::join_url(base, "pool/pool.status"), {}}};
    if (auto wallet = sp::wallet_of(ctx.pool); !wallet.empty())
      out.push_back({"user", "GET", sp::join_url(base, "users/" + sp::encode_segment(wallet)), {}});
    return out;
  }

  mc::tile parse(const mc::poll_context& ctx,
                 const std::vector<mc::http_response>& responses) const override {
    const std::string& coin = ctx.pool.coin;
    const auto* pool_r = sp::find(responses, "pool");
    if (!pool_r) return sp::failure("poll incomplete: no pool.status answer", coin);
    if (auto problem = check_pool_status(*pool_r)) return sp::failure(*problem, coin);

    const std::string wallet = sp::wallet_of(ctx.pool);
    if (wallet.empty()) return sp::failure("no wallet configured for " + coin, coin);
    const auto* user_r = sp::find(responses, "user");
    if (!user_r) return sp::failure("poll incomplete: no user answer", coin);
    // ckpool answers 404 until the address's first accepted share.
    if (user_r->error.empty() && user_r->status == 404) return sp::no_shares_yet(wallet, coin);
    if (auto problem = sp::response_problem(*user_r)) return sp::failure(*problem, coin);
    const auto* user = user_r->body.json();
    if (!user)
      return sp::failure("unparsable response from " + user_r->host + " (user): not JSON", coin);
    if (!user->is_object())
      return sp::failure("unexpected response from " + user_r->host + " (user): not a JSON object",
                         coin);

    mc::tile t;
    t.currency = coin;
    if (const auto* h = sp::member(user, "hashrate5m")) {
      if (h->is_string())
        t.user_hashrate = mc::hash_rate::from_si_text(h->get_string());
      else if (auto n = sp::number(h))
        t.user_hashrate = mc::hash_rate::from_hs(*n);
    }
    t.active_workers = sp::count(sp::member(user, "workers"));
    t.accepted_difficulty = sp::number(sp::member(user, "shares"));
    t.best_share = sp::number(sp::member(user, "bestshare"));
    t.health_status = true;
    t.health_message = sp::workers_message(t.active_workers, "account found");
    return t;
  }
};

}  // namespace

MC_DRIVER_EXPORT(ckpool_driver)
