// Micro-benchmarks: each bundled driver's parse() of its shared fixture (the CPU a poll costs
// besides the network), the record the tile cache makes after every poll, the tile JSON
// encoding a pool's first reader does, and a snapshot's publish (up to 10 a second) and first
// read at 1 000 and 10 000 pools.
//   build/release/bench/micro_bench [--benchmark_filter=parse]
// The drivers are the bundled plugins, loaded as the service loads them.
#include <benchmark/benchmark.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/pool_record.hpp"
#include "drivers/loader.hpp"
#include "http/api_json.hpp"
#include "http/snapshot.hpp"

namespace {

constexpr std::int64_t clock_now = 1764000000;  // the fixtures' clock
bool failed = false;  // a parse that did not give a healthy tile: the run exits 1

std::string fixture(const std::string& rel) {
  std::ifstream in{std::filesystem::path{MC_FIXTURES_DIR} / rel, std::ios::binary};
  if (!in) throw std::runtime_error("missing fixture " + rel);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One driver against its fixtures: a request whose URL contains `match` gets that file.
struct driver_case {
  std::string driver, coin, wallet, token;
  std::vector<std::pair<std::string, std::string>> routes;  // url substring → fixture file
};

const std::map<std::string, driver_case>& cases() {
  static const std::map<std::string, driver_case> all{
      {"solopool",
       {"solopool",
        "DGB",
        "dgb1qexampleexampleexampleexample0000000",
        "",
        {{"/stats", "solopool/stats.json"},
         {"/blocks", "solopool/blocks.json"},
         {"/accounts/", "solopool/account.json"}}}},
      {"braiins",
       {"braiins", "BTC", "", "read-only-token-123456", {{"/profile/", "braiins/profile.json"}}}},
      {"mmfp",
       {"mmfp",
        "BCH",
        "",
        "",
        {{"/health", "mmfp/health.json"}, {"/metrics/pool", "mmfp/metrics-pool.json"}}}},
      {"ckpool",
       {"ckpool",
        "BTC",
        "bc1qexampleexampleexampleexampleexample00",
        "",
        {{"/pool.status", "ckpool/pool.status"}, {"/users/", "ckpool/user.json"}}}},
  };
  return all;
}

// A loaded driver, its pool and the answers to its plan, ready for parse().
struct prepared {
  mc::drivers::loaded_driver driver;
  mc::pool_config pool;
  std::vector<mc::http_response> responses;
};

prepared prepare(const driver_case& c) {
  auto file = std::filesystem::path{MC_BUNDLED_DIR} / "drivers" / (c.driver + "_driver.so");
  auto loaded = mc::drivers::load_driver(file);
  if (auto* f = std::get_if<mc::drivers::load_failure>(&loaded))
    throw std::runtime_error(f->reason);
  prepared p{std::get<mc::drivers::loaded_driver>(std::move(loaded)), {}, {}};
  p.pool.pool_id = c.driver + "-bench";
  p.pool.driver = c.driver;
  p.pool.display_name = "Bench " + c.driver;
  p.pool.url = "pool.test";
  p.pool.port = 3333;
  p.pool.coin = c.coin;
  p.pool.wallet = c.wallet;
  p.pool.api_token = c.token;
  p.pool.api_base_url = "http://127.0.0.1:1";
  for (const auto& r : p.driver.instance->plan({p.pool, clock_now})) {
    mc::http_response a;
    a.id = r.id;
    a.url = r.url;
    a.host = "127.0.0.1";
    a.status = 404;
    for (const auto& [match, file] : c.routes)
      if (r.url.find(match) != std::string::npos) {
        a.status = 200;
        a.body = fixture(file);
      }
    p.responses.push_back(std::move(a));
  }
  return p;
}

void parse(benchmark::State& state, const std::string& driver) {
  const auto p = prepare(cases().at(driver));
  const mc::poll_context ctx{p.pool, clock_now};
  std::size_t bytes = 0;
  for (const auto& r : p.responses) bytes += r.body.size();
  for (auto _ : state) {
    auto tile = p.driver.instance->parse(ctx, p.responses);
    if (!tile.health_status) {
      failed = true;
      state.SkipWithError(tile.health_message.c_str());
      break;
    }
    benchmark::DoNotOptimize(tile);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

// What a pool's first reader does (the tile cache did it per poll result before the records):
// the dashboard entry, serialized.
void tile_json(benchmark::State& state, const std::string& driver) {
  const auto p = prepare(cases().at(driver));
  const auto tile = p.driver.instance->parse({p.pool, clock_now}, p.responses);
  mc::config::pool_entry entry;
  entry.pool_id = p.pool.pool_id;
  entry.config = p.pool;
  mc::codec::pool_view view;
  view.tile = &tile;
  view.last_updated = view.last_success = clock_now;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto json = boost::json::serialize(mc::codec::dashboard_entry(entry, view));
    bytes += json.size();
    benchmark::DoNotOptimize(json);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

// N pools as the tile cache holds them: each one's record (actors/pool_record.hpp) of an up
// pool, whose ~900-byte dashboard entry and series are encoded on first read.
struct pool_set {
  std::shared_ptr<mc::config::catalog> catalog = std::make_shared<mc::config::catalog>();
  std::shared_ptr<const mc::tile> tile;
  mc::http::pool_index_ptr index;
  explicit pool_set(int n) {
    mc::tile t;
    t.health_status = true;
    t.health_message = "2 workers online";
    t.user_hashrate = mc::hash_rate::from_hs(1.2e12);
    t.active_workers = 2;
    t.shares_valid = 10;
    t.latency_ms = 50;
    t.currency = "DGB";
    tile = std::make_shared<const mc::tile>(std::move(t));
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      ids.push_back("bench-" + std::to_string(i));
      auto& e = catalog->pools.emplace_back();
      e.pool_id = e.config.pool_id = ids.back();
      e.file = "pools/" + ids.back() + ".yaml";
      e.config.driver = "solopool";
      e.config.display_name = "Bench pool " + std::to_string(i);
      e.config.url = "eu1.solopool.org";
      e.config.port = 8004;
      e.config.coin = "DGB";
      e.driver_display_name = "Solopool.org";
    }
    index = std::make_shared<const mc::http::pool_index>(std::move(ids));
  }
  // What the tile cache makes per poll result: no encoding.
  std::shared_ptr<const mc::actors::pool_record> record(std::size_t i) const {
    mc::actors::pool_facts f;
    f.entry = std::shared_ptr<const mc::config::pool_entry>(catalog, &catalog->pools[i]);
    f.shown = tile;
    f.last_updated = f.last_success = clock_now;
    f.polls = 100;
    return std::make_shared<const mc::actors::pool_record>(std::move(f));
  }
  // Every pool changed since the last publish.
  std::vector<mc::http::pool_part_ptr> records() const {
    std::vector<mc::http::pool_part_ptr> parts;
    for (std::size_t i = 0; i < catalog->pools.size(); ++i) parts.push_back(record(i));
    return parts;
  }
};

std::shared_ptr<mc::http::snapshot> publish(const pool_set& pools,
                                            std::vector<mc::http::pool_part_ptr> parts) {
  auto s = std::make_shared<mc::http::snapshot>();
  s->set_pools(pools.index, std::move(parts));
  return s;
}

// What the tile cache does per poll result (encode_dashboard and encode_metrics used to run
// here; tile_json is most of their cost).
void pool_record_per_poll(benchmark::State& state) {
  const pool_set pools(1);
  for (auto _ : state) benchmark::DoNotOptimize(pools.record(0));
}

// What the tile cache does per publish.
void snapshot_publish(benchmark::State& state) {
  const pool_set pools(static_cast<int>(state.range(0)));
  const auto parts = pools.records();
  for (auto _ : state) benchmark::DoNotOptimize(publish(pools, parts));
}

// A publish after every pool changed whose dashboard and metrics are then read: each pool's
// entry and series encoded, then the joins (the records are made outside the timing).
void snapshot_publish_and_read(benchmark::State& state) {
  const pool_set pools(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    auto parts = pools.records();
    state.ResumeTiming();
    auto s = publish(pools, std::move(parts));
    benchmark::DoNotOptimize(s->dashboard());
    benchmark::DoNotOptimize(s->metrics());
  }
}

// A second read of what the first built, as a later snapshot of unchanged pools: the joins only.
void snapshot_publish_and_read_unchanged(benchmark::State& state) {
  const pool_set pools(static_cast<int>(state.range(0)));
  const auto parts = pools.records();
  for (const auto& p : parts) (void)p->dashboard(), (void)p->metrics();
  for (auto _ : state) {
    auto s = publish(pools, parts);
    benchmark::DoNotOptimize(s->dashboard());
    benchmark::DoNotOptimize(s->metrics());
  }
}

}  // namespace

BENCHMARK(snapshot_publish)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(snapshot_publish_and_read)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(snapshot_publish_and_read_unchanged)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(pool_record_per_poll);
BENCHMARK_CAPTURE(parse, solopool, std::string("solopool"));
BENCHMARK_CAPTURE(parse, braiins, std::string("braiins"));
BENCHMARK_CAPTURE(parse, mmfp, std::string("mmfp"));
BENCHMARK_CAPTURE(parse, ckpool, std::string("ckpool"));
BENCHMARK_CAPTURE(tile_json, solopool, std::string("solopool"));
BENCHMARK_CAPTURE(tile_json, braiins, std::string("braiins"));
BENCHMARK_CAPTURE(tile_json, mmfp, std::string("mmfp"));
BENCHMARK_CAPTURE(tile_json, ckpool, std::string("ckpool"));

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  try {
    benchmark::RunSpecifiedBenchmarks();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "micro_bench: %s\n", e.what());
    return 1;
  }
  benchmark::Shutdown();
  return failed ? 1 : 0;
}
