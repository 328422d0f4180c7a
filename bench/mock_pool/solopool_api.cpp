#include "bench/mock_pool/solopool_api.hpp"

#include <array>
#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "bench/mock_pool/synthetic.hpp"

namespace mc::mock_pool {
namespace {

namespace json = boost::json;

constexpr std::size_t max_matured_listed = 50;

double whole(double v) { return std::round(v); }

json::object block_json(const pool_block& b, const coin_model& coin, json::storage_ptr sp) {
  json::object o(sp);
  o["height"] = b.height;
  o["timestamp"] = b.timestamp;
  o["difficulty"] = whole(b.difficulty);
  o["shareDifficulty"] = whole(b.share_difficulty);
  o["reward"] = std::to_string(coin.reward_sats);
  o["hash"] = b.hash;
  o["orphan"] = false;
  o["worker"] = b.worker;
  return o;
}

std::string stats(const coin_model& coin, const api_request& r, json::storage_ptr sp) {
  const std::int64_t now = r.now_ms / 1000;
  const auto net = network_at(coin, r.seed, now);
  const auto blocks = blocks_at(coin, r.seed, now, 0);
  json::object o(sp);
  o["now"] = r.now_ms;
  o["candidatesTotal"] = 0;
  o["immatureTotal"] = blocks.immature_total;
  o["maturedTotal"] = blocks.matured_total;
  o["minersTotal"] = net.pool_miners;
  o["poolHashrate"] = whole(net.pool_hashrate_hs);
  o["poolFee"] = 1.0;
  json::object s(sp);
  s["difficulty"] = whole(net.difficulty);
  s["hashrate"] = whole(net.hashrate_hs);
  s["lastBlockFound"] = blocks.last_found;
  // Round shares grow from the last block on, roughly with the number of miners.
  s["roundShares"] = blocks.last_found == 0 ? 0 : (now - blocks.last_found) * net.pool_miners / 4;
  o["stats"] = std::move(s);
  json::object node(sp);
  node["name"] = "main";
  node["height"] = std::to_string(net.height);
  node["difficulty"] = std::to_string(static_cast<std::int64_t>(net.difficulty));
  node["lastBeat"] = std::to_string(now - now % 3);
  json::array nodes(sp);
  nodes.push_back(std::move(node));
  o["nodes"] = std::move(nodes);
  return json::serialize(o);
}

std::string blocks(const coin_model& coin, const api_request& r, json::storage_ptr sp) {
  const auto found = blocks_at(coin, r.seed, r.now_ms / 1000, max_matured_listed);
  json::object o(sp);
  o["candidates"] = json::array(sp);
  o["candidatesTotal"] = 0;
  json::array immature(sp);
  for (const auto& b : found.immature) immature.push_back(block_json(b, coin, sp));
  o["immature"] = std::move(immature);
  o["immatureTotal"] = found.immature_total;
  json::array matured(sp);
  matured.reserve(found.matured.size());
  for (const auto& b : found.matured) matured.push_back(block_json(b, coin, sp));
  o["matured"] = std::move(matured);
  o["maturedTotal"] = found.matured_total;
  o["luck"] = json::object(sp);
  return json::serialize(o);
}

std::string account(const coin_model& coin, std::string_view wallet, const api_request& r,
                    json::storage_ptr sp) {
  const std::int64_t now = r.now_ms / 1000;
  wallet_profile profile;
  if (!wallet.starts_with("empty")) profile = profile_for(r.seed, coin.symbol, wallet);
  double current = 0;
  double average = 0;
  int online = 0;
  std::uint64_t round_shares = 0;
  std::int64_t last_share = 0;
  json::object workers(sp);
  for (const auto& w : profile.workers) {
    const auto s = worker_at(w, now);
    json::object o(sp);
    o["hr"] = whole(s.hashrate_hs);
    o["hr2"] = whole(s.hashrate_long_hs);
    o["lastBeat"] = s.last_beat;
    o["offline"] = w.offline;
    o["sharesValid"] = s.shares_valid;
    o["sharesInvalid"] = s.shares_invalid;
    o["sharesStale"] = s.shares_stale;
    workers[w.name] = std::move(o);
    if (w.offline) continue;
    ++online;
    current += whole(s.hashrate_hs);
    average += whole(s.hashrate_long_hs);
    round_shares += s.shares_valid;
    last_share = std::max(last_share, s.last_beat);
  }
  json::object o(sp);
  o["currentHashrate"] = current;
  o["hashrate"] = average;
  o["workersOnline"] = online;
  o["workersOffline"] = static_cast<int>(profile.workers.size()) - online;
  o["workersTotal"] = profile.workers.size();
  o["workers"] = std::move(workers);
  json::object st(sp);
  st["balance"] = 0;
  st["blocksFound"] = profile.blocks_found;
  st["immature"] = 0;
  st["lastShare"] = last_share;
  st["paid"] = 0;
  st["pending"] = false;
  o["stats"] = std::move(st);
  o["payments"] = json::array(sp);
  o["paymentsTotal"] = 0;
  o["roundShares"] = round_shares;
  return json::serialize(o);
}

}  // namespace

api_reply solopool_api::handle(const api_request& r) const {
  std::string_view rest = r.path;
  const auto coin_symbol = next_segment(rest);
  const coin_model* coin = find_coin(coin_symbol);
  if (coin == nullptr || next_segment(rest) != "api") return {404, error_body("not found"), {}};
  const auto kind = next_segment(rest);

  // Enough for a whole blocks answer, so building the JSON rarely touches the heap.
  std::array<unsigned char, 16384> buffer;
  json::monotonic_resource resource(buffer.data(), buffer.size());
  json::storage_ptr sp(&resource);

  if (kind == "stats" && rest.empty()) return {200, stats(*coin, r, sp), "stats"};
  if (kind == "blocks" && rest.empty()) return {200, blocks(*coin, r, sp), "blocks"};
  if (kind == "accounts") {
    const auto wallet = next_segment(rest);
    if (wallet.empty() || !rest.empty()) return {404, error_body("not found"), {}};
    if (wallet.starts_with("unknown")) return {404, error_body("not found"), "account"};
    return {200, account(*coin, wallet, r, sp), "account"};
  }
  return {404, error_body("not found"), {}};
}

}  // namespace mc::mock_pool
