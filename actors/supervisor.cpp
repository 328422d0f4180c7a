#include "actors/supervisor.hpp"

#include <map>

#include "actors/log.hpp"
#include "actors/messages.hpp"
#include "actors/pool_actor.hpp"
#include "config/config_dir.hpp"
#include "config/pool_config.hpp"
#include "config/settings.hpp"
#include "drivers/loader.hpp"

namespace mc::actors {

namespace fs = std::filesystem;
using namespace std::chrono;

std::chrono::seconds restart_backoff(int crashes) {
  if (crashes <= 1) return seconds{1};
  if (crashes > 9) return minutes{5};
  return std::min<seconds>(seconds{1 << (crashes - 1)}, minutes{5});
}

namespace {

constexpr int crashes_until_failed = 3;
// An actor that ran this long before crashing starts a fresh count: it was not crash-looping.
constexpr auto stable_after = minutes{10};

}  // namespace

namespace {

using self_ptr = caf::stateful_actor<supervisor_state>*;

std::string line_prefix(const config::pool_file_result& r, const std::string& file,
                        const std::string& field) {
  auto it = r.field_lines.find(field);
  int line = it == r.field_lines.end() ? 1 : it->second;
  return file + ":" + std::to_string(line) + ": " + field + ": ";
}

void load_drivers(self_ptr self, const config::scan_result& scan, config::catalog& cat) {
  auto result = drivers::load_drivers(scan.driver_files);
  for (auto& d : result.loaded) {
    log::info("Loaded driver: " + d.info.type + " from " + d.file.filename().string());
    cat.drivers.push_back({d.info, d.file.filename().string()});
    self->state.drivers.emplace(d.info.type, std::move(d));
  }
  for (auto& f : result.rejected) {
    log::error("Rejected driver file drivers/" + f.file.filename().string() + ": " + f.reason);
    cat.rejected_drivers.push_back({"drivers/" + f.file.filename().string(), {f.reason}});
  }
}

// Parses, resolves secrets and validates one pool file against its driver.
config::pool_entry load_pool(self_ptr self, const fs::path& file,
                             const config::settings& settings) {
  const std::string rel = "pools/" + file.filename().string();
  config::pool_entry e;
  e.pool_id = file.stem().string();
  e.file = rel;
  auto r = config::load_pool_file(file, rel);
  for (auto& p : r.problems) e.reasons.push_back(p.to_string());
  if (!r.config) {
    e.status = config::pool_status::rejected;
    return e;
  }
  e.config = std::move(*r.config);
  config::resolve_pool_secrets(e.config, settings);
  auto d = self->state.drivers.find(e.config.driver);
  if (d == self->state.drivers.end()) {
    e.reasons.push_back(line_prefix(r, rel, "driver") + "unknown driver: " + e.config.driver);
    log::error("Pool config " + e.pool_id + " references unknown driver: " + e.config.driver);
  } else {
    e.driver_display_name = d->second.info.display_name;
    std::vector<config_problem> problems;
    try {
      problems = d->second.instance->validate(e.config);
    } catch (const std::exception& ex) {
      problems.push_back({"driver", std::string("validate() threw: ") + ex.what()});
    }
    for (auto& p : problems) e.reasons.push_back(line_prefix(r, rel, p.field) + p.reason);
    if (d->second.info.needs_wallet && e.config.account().empty())
      e.warnings.push_back("no wallet configured for " + e.config.coin + ": set wallets." +
                           e.config.coin + " in config.yaml or wallet: in " + rel);
  }
  if (!e.reasons.empty()) {
    e.status = config::pool_status::rejected;
    for (auto& reason : e.reasons) log::error("Rejected pool config " + reason);
  } else {
    e.status = e.config.enabled ? config::pool_status::active : config::pool_status::disabled;
    log::info("Loaded pool config: " + e.pool_id + " (driver: " + e.config.driver + ")" +
              (e.config.enabled ? "" : ", disabled"));
  }
  return e;
}

void spawn_pool(self_ptr self, running_pool& p) {
  p.actor = self->spawn<caf::linked + caf::monitored>(pool_actor, p.args);
  p.started = steady_clock::now();
  self->state.by_actor[p.actor.address()] = p.args.pool.pool_id;
}

config::catalog load_all(self_ptr self) {
  auto& st = self->state;
  config::catalog cat;
  if (!st.args.bundled_dir.empty() || !st.args.bundled_drivers_dir.empty()) {
    auto deployed = config::first_run_deploy(st.args.config_dir, st.args.bundled_dir,
                                             st.args.bundled_drivers_dir);
    for (auto& f : deployed.copied) log::info("First run: installed " + f);
    for (auto& p : deployed.problems) cat.problems.push_back(p.to_string());
  }
  auto settings = config::load_settings(st.args.config_dir / "config.yaml");
  for (auto& p : settings.problems) cat.problems.push_back(p.to_string());
  auto scan = config::scan_config_dir(st.args.config_dir);
  for (auto& p : scan.reported) cat.problems.push_back(p.to_string());
  for (auto& p : cat.problems) log::warn(p);

  load_drivers(self, scan, cat);
  for (const auto& file : scan.pool_files)
    cat.pools.push_back(load_pool(self, file, settings.value));

  std::size_t loaded = 0;
  for (const auto& e : cat.pools) {
    if (e.status == config::pool_status::rejected) continue;
    ++loaded;
    if (e.status != config::pool_status::active) continue;
    running_pool p;
    p.args = {e.config, st.drivers.at(e.config.driver).instance, st.args.client, st.args.cache,
              first_poll_jitter(e.config.poll_interval_s)};
    auto [it, _] = st.pools.emplace(e.pool_id, std::move(p));
    spawn_pool(self, it->second);
  }
  log::info("Loaded " + std::to_string(cat.drivers.size()) + " driver(s) and " +
            std::to_string(loaded) + " pool config(s)" +
            (cat.pools.size() > loaded
                 ? ", rejected " + std::to_string(cat.pools.size() - loaded) + " pool config(s)"
                 : ""));
  return cat;
}

void on_down(self_ptr self, const caf::down_msg& m) {
  auto& st = self->state;
  auto id = st.by_actor.find(m.source);
  if (id == st.by_actor.end()) return;
  const std::string pool_id = id->second;
  st.by_actor.erase(id);
  auto it = st.pools.find(pool_id);
  if (st.stopping || it == st.pools.end()) return;
  auto& p = it->second;
  p.actor = nullptr;
  if (steady_clock::now() - p.started > stable_after) p.crashes = 0;
  p.crashes += 1;
  const auto delay = restart_backoff(p.crashes);
  const std::string reason = self->system().render(m.reason);
  const bool failed = p.crashes >= crashes_until_failed;
  std::string message = "pool actor crashed (" + reason + ")";
  if (failed) message += " " + std::to_string(p.crashes) + " times in a row";
  message += "; restarting in " + std::to_string(delay.count()) + " s";
  log::error("Pool " + pool_id + ": " + message);
  self->send(
      st.args.cache,
      pool_runtime{pool_id, failed ? config::pool_status::failed : config::pool_status::active,
                   message});
  self->delayed_send(self, delay, restart_atom::value, pool_id);
}

}  // namespace

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self, supervisor_args args) {
  self->state.args = std::move(args);
  self->set_down_handler([=](caf::down_msg& m) { on_down(self, m); });
  // A crashing child must not take the supervisor down; only a shutdown request does.
  self->set_exit_handler([=](caf::exit_msg& m) {
    if (m.reason == caf::exit_reason::user_shutdown || m.reason == caf::exit_reason::kill) {
      self->state.stopping = true;
      self->quit(m.reason);
    }
  });
  auto cat = std::make_shared<const config::catalog>(load_all(self));
  self->send(self->state.args.cache, config::catalog_ptr{cat});
  return {
      // The running actor of a pool (invalid while it waits for a restart).
      [=](caf::get_atom, const std::string& pool_id) -> caf::actor {
        auto it = self->state.pools.find(pool_id);
        return it == self->state.pools.end() ? caf::actor{} : it->second.actor;
      },
      [=](restart_atom, const std::string& pool_id) {
        auto it = self->state.pools.find(pool_id);
        if (self->state.stopping || it == self->state.pools.end() || it->second.actor) return;
        log::info("Restarting pool " + pool_id);
        it->second.args.first_poll_delay = milliseconds{0};
        spawn_pool(self, it->second);
      },
  };
}

}  // namespace mc::actors
