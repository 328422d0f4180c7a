#include "actors/config_loader.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <system_error>
#include <thread>

#include "config/pool_config.hpp"

namespace mc::actors {

namespace fs = std::filesystem;

namespace {

int line_of(const config::pool_file_result& r, const std::string& field) {
  auto it = r.field_lines.find(field);
  return it == r.field_lines.end() ? 1 : it->second;
}

checked_pool check(const std::string& pool_id, const std::string& rel, config::pool_file_result r,
                   const config::settings& settings, const drivers::driver_set& drivers) {
  checked_pool out;
  auto& e = out.entry;
  e.pool_id = pool_id;
  e.file = rel;
  out.problems = std::move(r.problems);
  if (r.config) {
    e.config = std::move(*r.config);
    config::resolve_pool_secrets(e.config, settings);
    if (const auto* d = drivers.find(e.config.driver)) {
      e.driver_display_name = d->info.display_name;
      std::vector<config_problem> found;
      try {
        found = d->instance->validate(e.config);
      } catch (const std::exception& ex) {
        found.push_back({"driver", std::string("validate() threw: ") + ex.what()});
      } catch (...) {  // a plugin may throw anything; it must not take the supervisor down
        found.push_back({"driver", "validate() threw an unknown exception"});
      }
      for (auto& p : found)
        out.problems.push_back({rel, line_of(r, p.field), p.field, std::move(p.reason)});
      if (d->info.needs_wallet && e.config.account().empty())
        e.warnings.push_back("no wallet configured for " + e.config.coin + ": set wallets." +
                             e.config.coin + " in config.yaml or wallet: in " + rel);
    } else {
      out.problems.push_back(
          {rel, line_of(r, "driver"), "driver", "unknown driver: " + e.config.driver});
    }
  }
  for (const auto& p : out.problems) e.reasons.push_back(p.to_string());
  if (!out.problems.empty())
    e.status = config::pool_status::rejected;
  else
    e.status = e.config.enabled ? config::pool_status::active : config::pool_status::disabled;
  return out;
}

}  // namespace

checked_pool check_pool_text(const std::string& pool_id, std::string_view yaml_text,
                             const config::settings& settings, const drivers::driver_set& drivers) {
  const std::string rel = "pools/" + pool_id + ".yaml";
  return check(pool_id, rel, config::parse_pool_config(pool_id, rel, yaml_text), settings, drivers);
}

namespace {

checked_pool check_file(const fs::path& file, const config::settings& settings,
                        const drivers::driver_set& drivers, const reuse_entry& reuse) {
  const std::string id = file.stem().string();
  const std::string rel = "pools/" + file.filename().string();
  config::pool_file_result r;
  auto text = config::read_pool_file(file, rel, r);
  if (!text) return check(id, rel, std::move(r), settings, drivers);
  const std::size_t hash = std::hash<std::string>{}(*text);
  checked_pool out;
  if (auto e = reuse ? reuse(id, hash) : std::nullopt)
    out.entry = std::move(*e);
  else
    out = check(id, rel, config::parse_pool_config(id, rel, *text), settings, drivers);
  out.text_hash = hash;
  return out;
}

}  // namespace

checked_pool check_pool_file(const fs::path& file, const config::settings& settings,
                             const drivers::driver_set& drivers) {
  return check_file(file, settings, drivers, {});
}

std::vector<checked_pool> check_pool_files(const std::vector<fs::path>& files,
                                           const config::settings& settings,
                                           const drivers::driver_set& drivers,
                                           const reuse_entry& reuse, unsigned threads) {
  // Fewer than this many files per thread are not worth a thread's start.
  constexpr std::size_t files_per_thread = 64;
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  threads = static_cast<unsigned>(
      std::min<std::size_t>(threads, (files.size() + files_per_thread - 1) / files_per_thread));
  std::vector<checked_pool> out(files.size());
  // Each worker takes the next index and writes only its own slot: the order is the files'.
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&](std::exception_ptr& error) {
    try {
      for (std::size_t i; !stop && (i = next++) < files.size();)
        out[i] = check_file(files[i], settings, drivers, reuse);
    } catch (...) {  // bad_alloc and the like: rethrown on the caller's thread
      error = std::current_exception();
      stop = true;
    }
  };
  std::vector<std::exception_ptr> errors(std::max(threads, 1u));
  std::vector<std::thread> workers;
  workers.reserve(errors.size());
  for (unsigned t = 1; t < threads; ++t) {
    try {
      workers.emplace_back(work, std::ref(errors[t]));
    } catch (const std::system_error&) {  // no thread to be had: the ones running do it all
      break;
    }
  }
  work(errors[0]);  // the caller's thread is one of the workers
  for (auto& w : workers) w.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return out;
}

std::optional<config::pool_entry> load_example(const fs::path& file,
                                               const drivers::driver_set& drivers) {
  const std::string name = file.filename().string();
  const std::string id = name.substr(0, name.size() - std::string_view(".yaml.example").size());
  auto r = config::load_pool_file(file, "pools/" + name);
  if (!r.config) return std::nullopt;
  const auto* d = drivers.find(r.config->driver);
  if (!d) return std::nullopt;
  config::pool_entry e;
  e.pool_id = id;
  e.file = "pools/" + name;
  e.status = config::pool_status::disabled;
  e.config = std::move(*r.config);
  e.config.pool_id = id;
  e.driver_display_name = d->info.display_name;
  return e;
}

bool same_config(const mc::pool_config& a, const mc::pool_config& b) {
  auto key = [](const mc::pool_config& c) {
    return std::tie(c.pool_id, c.driver, c.display_name, c.url, c.port, c.coin, c.region,
                    c.mining_model, c.fee_percent, c.requires_auth, c.supports_shares,
                    c.supports_earnings, c.supports_balance, c.description, c.enabled,
                    c.poll_interval_s, c.api_base_url, c.wallet, c.username, c.api_token);
  };
  return key(a) == key(b) && a.extra == b.extra;
}

namespace {

bool same_entries(const std::vector<config::pool_entry>& a,
                  const std::vector<config::pool_entry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return std::tie(x.pool_id, x.file, x.status, x.reasons, x.warnings, x.driver_display_name,
                    x.generation) == std::tie(y.pool_id, y.file, y.status, y.reasons, y.warnings,
                                              y.driver_display_name, y.generation) &&
           same_config(x.config, y.config);
  });
}

}  // namespace

bool same_catalog(const config::catalog& a, const config::catalog& b) {
  auto driver = [](const config::driver_entry& d) {
    return std::tie(d.file, d.info.type, d.info.display_name, d.info.version,
                    d.info.supported_coins, d.info.needs_wallet);
  };
  auto rejected = [](const config::rejected_file& f) { return std::tie(f.file, f.reasons); };
  return std::equal(a.drivers.begin(), a.drivers.end(), b.drivers.begin(), b.drivers.end(),
                    [&](const auto& x, const auto& y) { return driver(x) == driver(y); }) &&
         std::equal(a.rejected_drivers.begin(), a.rejected_drivers.end(),
                    b.rejected_drivers.begin(), b.rejected_drivers.end(),
                    [&](const auto& x, const auto& y) { return rejected(x) == rejected(y); }) &&
         same_entries(a.pools, b.pools) && same_entries(a.examples, b.examples) &&
         a.problems == b.problems;
}

}  // namespace mc::actors
