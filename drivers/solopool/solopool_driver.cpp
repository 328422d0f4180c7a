// Solopool.org (open-ethereum-pool style API). API facts and the tile mapping:
// shared/fixtures/pool-apis/solopool/README.md.
#include <algorithm>
#include <map>
#include <miner_controller/driver.hpp>
#include <miner_controller/driver_support.hpp>

namespace {

namespace js = boost::json;
namespace sp = mc::support;

const std::map<std::string, std::string>& default_bases() {
  static const std::map<std::string, std::string> bases{
      {"BTC", "https://btc.solopool.org/api"},
      {"BCH", "https://bch.solopool.org/api"},
      {"DGB", "https://dgb-sha.solopool.org/api"},
      {"BC2", "https://bc2.solopool.org/api"},
  };
  return bases;
}

std::string api_base(const mc::pool_config& pool) {
  if (!pool.api_base_url.empty()) return pool.api_base_url;
  auto it = default_bases().find(pool.coin);
  return it == default_bases().end() ? std::string{} : it->second;
}

void fill_network(mc::tile& t, const js::value& stats) {
  const auto* s = sp::member(&stats, "stats");
  t.network_difficulty = sp::number(sp::member(s, "difficulty"));
  if (auto h = sp::number(sp::member(s, "hashrate")))
    t.network_hashrate = mc::hash_rate::from_hs(*h);
}

// Blocks of the last 24 h count as the user's finds: on a solo pool every block is a solo find.
void fill_blocks(mc::tile& t, const js::value& blocks, std::int64_t now) {
  std::int64_t found = 0;
  std::optional<std::int64_t> newest;
  bool any_list = false;
  for (const char* list : {"immature", "matured"}) {
    const auto* l = sp::member(&blocks, list);
    if (!l || !l->is_array()) continue;
    any_list = true;
    for (const auto& b : l->as_array()) {
      auto ts = sp::count(sp::member(&b, "timestamp"));
      if (!ts) continue;
      if (*ts >= now - 86'400) ++found;
      newest = std::max(newest.value_or(*ts), *ts);
    }
  }
  if (!any_list) return;
  t.blocks_found_24h = found;
  t.last_block_found = newest;
}

// Returns false when the account has no workers yet (the "no shares yet" state).
bool fill_account(mc::tile& t, const js::value& account) {
  const auto* workers = sp::member(&account, "workers");
  auto total = sp::count(sp::member(&account, "workersTotal"));
  bool no_workers =
      (workers && workers->is_object() && workers->as_object().empty()) || (total && *total == 0);
  if (no_workers) return false;

  if (auto h = sp::number(sp::member(&account, "currentHashrate")))
    t.user_hashrate = mc::hash_rate::from_hs(*h);
  t.active_workers = sp::count(sp::member(&account, "workersOnline"));
  if (workers && workers->is_object()) {
    std::optional<std::int64_t> valid, invalid, stale;
    for (const auto& [name, w] : workers->as_object()) {
      sp::add_count(valid, sp::count(sp::member(&w, "sharesValid")));
      sp::add_count(invalid, sp::count(sp::member(&w, "sharesInvalid")));
      sp::add_count(stale, sp::count(sp::member(&w, "sharesStale")));
    }
    t.shares_valid = valid;
    t.shares_invalid = invalid;
    t.shares_stale = stale;
  }
  t.health_status = true;
  t.health_message = sp::workers_message(t.active_workers, "account found");
  return true;
}

class solopool_driver final : public mc::driver {
 public:
  mc::driver_info describe() const override {
    return {"solopool", "Solopool.org", "1.0.0", {"BTC", "BCH", "DGB", "BC2"}, true};
  }

  std::vector<mc::config_problem> validate(const mc::pool_config& pool) const override {
    std::vector<mc::config_problem> problems;
    if (pool.api_base_url.empty() && !default_bases().contains(pool.coin))
      problems.push_back({"coin", "solopool supports BTC, BCH, DGB and BC2, got " + pool.coin});
    sp::check_api_base_url(pool, problems);
    return problems;
  }

  std::vector<mc::http_request> plan(const mc::poll_context& ctx) const override {
    const std::string base = api_base(ctx.pool);
    std::vector<mc::http_request> out;
    out.push_back({"stats", "GET", sp::join_url(base, "stats"), {}});
    out.push_back({"blocks", "GET", sp::join_url(base, "blocks"), {}});
    if (auto wallet = sp::wallet_of(ctx.pool); !wallet.empty())
      out.push_back(
          {"account", "GET", sp::join_url(base, "accounts/" + sp::encode_segment(wallet)), {}});
    return out;
  }

  mc::tile parse(const mc::poll_context& ctx,
                 const std::vector<mc::http_response>& responses) const override {
    const std::string& coin = ctx.pool.coin;
    const auto* stats_r = sp::find(responses, "stats");
    const auto* blocks_r = sp::find(responses, "blocks");
    if (!stats_r || !blocks_r)
      return sp::failure("poll incomplete: no stats or blocks answer", coin);

    auto stats = sp::json_object(*stats_r);
    if (auto* msg = std::get_if<std::string>(&stats)) return sp::failure(*msg, coin);
    auto blocks = sp::json_object(*blocks_r);
    if (auto* msg = std::get_if<std::string>(&blocks)) return sp::failure(*msg, coin);

    mc::tile t;
    t.currency = coin;
    fill_network(t, *std::get<const js::value*>(stats));
    fill_blocks(t, *std::get<const js::value*>(blocks), ctx.now);

    const std::string wallet = sp::wallet_of(ctx.pool);
    if (wallet.empty()) {
      t.health_message = "no wallet configured for " + coin;
      return t;
    }
    const auto* account_r = sp::find(responses, "account");
    if (!account_r) return sp::failure("poll incomplete: no account answer", coin);
    if (account_r->error.empty() && account_r->status == 404) return no_shares(t, wallet);
    auto account = sp::json_object(*account_r);
    if (auto* msg = std::get_if<std::string>(&account)) return sp::failure(*msg, coin);
    if (!fill_account(t, *std::get<const js::value*>(account))) return no_shares(t, wallet);
    return t;
  }

 private:
  // The pool answered but does not know the address yet: healthy, the user's numbers unknown;
  // only facts about the network itself stay.
  static mc::tile no_shares(const mc::tile& network, const std::string& wallet) {
    mc::tile t = sp::no_shares_yet(wallet, network.currency);
    t.network_difficulty = network.network_difficulty;
    t.network_hashrate = network.network_hashrate;
    return t;
  }
};

}  // namespace

MC_DRIVER_EXPORT(solopool_driver)
