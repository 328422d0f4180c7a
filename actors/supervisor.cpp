#include "actors/supervisor.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <unordered_map>

#include "actors/config_loader.hpp"
#include "actors/log.hpp"
#include "actors/messages.hpp"
#include "actors/pool_actor.hpp"
#include "actors/pool_writes.hpp"
#include "config/config_dir.hpp"
#include "config/settings.hpp"

namespace mc::actors {

namespace fs = std::filesystem;
namespace js = boost::json;
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

using self_ptr = caf::stateful_actor<supervisor_state>*;

js::array strings(const std::vector<std::string>& v) {
  js::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void spawn_pool(self_ptr self, running_pool& p) {
  p.actor = self->spawn<caf::linked + caf::monitored>(pool_actor, p.args);
  p.started = steady_clock::now();
  self->state.by_actor[p.actor.address()] = p.args.pool.pool_id;
}

// Unlinked and unmonitored first: its exit is not a crash to restart from.
void stop_pool(self_ptr self, running_pool& p) {
  if (!p.actor) return;
  self->state.by_actor.erase(p.actor.address());
  self->demonitor(p.actor);
  self->unlink_from(p.actor);
  self->send_exit(p.actor, caf::exit_reason::user_shutdown);
  p.actor = nullptr;
}

// config.yaml: a file that is no longer YAML keeps the settings that were loaded before.
void load_settings(self_ptr self, config::catalog& cat, js::array& problems) {
  auto& st = self->state;
  auto loaded = config::load_settings(st.args.config_dir / "config.yaml");
  for (auto& p : loaded.problems) cat.problems.push_back(p.to_string());
  if (!loaded.readable && st.settings_loaded) {
    const std::string kept = "config.yaml: kept the settings loaded before until it is fixed";
    cat.problems.push_back(kept);
    problems.emplace_back(kept);
    return;
  }
  const bool token_changed = !st.settings_loaded || loaded.value.api_token != st.settings.api_token;
  st.settings = std::move(loaded.value);
  st.settings_loaded = true;
  if (token_changed && st.settings.api_token.empty())
    log::warn(
        "Write API is open: server.api_token is not set in config.yaml, so anyone who can "
        "reach this port can change pools and settings. Fine on a trusted LAN only.");
  else if (token_changed)
    log::info("Write API needs Authorization: Bearer <server.api_token>");
  if (st.args.http)
    self->send(st.args.http, server_settings{st.settings.api_token, self, st.args.cache});
}

js::object load_drivers(self_ptr self, const config::scan_result& scan, config::catalog& cat) {
  auto& st = self->state;
  auto changes = st.drivers.update(scan.driver_files);
  for (const auto& t : changes.loaded)
    log::info("Loaded driver: " + t + " from " + st.drivers.find(t)->file.filename().string());
  for (const auto& t : changes.replaced) log::info("Replaced driver: " + t + " (new file loaded)");
  for (const auto& t : changes.removed) log::warn("Removed driver: " + t + " (file gone)");
  for (const auto& [type, d] : st.drivers.by_type())
    cat.drivers.push_back({d->info, d->file.filename().string()});
  for (const auto& f : changes.rejected) {
    const std::string rel = "drivers/" + f.file.filename().string();
    log::error("Rejected driver file " + rel + ": " + f.reason);
    cat.rejected_drivers.push_back({rel, {f.reason}});
  }
  return {{"loaded", strings(changes.loaded)},
          {"replaced", strings(changes.replaced)},
          {"removed", strings(changes.removed)}};
}

// A pool file that no longer loads while its last good version runs: the old one goes on, and
// the user hears why the edit did not take.
std::optional<config::pool_entry> keep_previous(self_ptr self, const checked_pool& now) {
  auto& st = self->state;
  if (!st.catalog || now.entry.status != config::pool_status::rejected) return std::nullopt;
  for (const auto& old : st.catalog->pools) {
    if (old.pool_id != now.entry.pool_id || old.status == config::pool_status::rejected) continue;
    if (!st.drivers.find(old.config.driver)) return std::nullopt;  // its driver is gone
    auto kept = old;
    kept.warnings.push_back("edit rejected, still running the previous config: " +
                            joined(now.entry.reasons));
    return kept;
  }
  return std::nullopt;
}

struct pool_diff {
  std::vector<std::string> added, removed, restarted, kept_previous, rejected;
  std::size_t unchanged = 0;
};

// Stops what went or changed; returns the pools to spawn once the cache knows the catalog.
std::vector<std::string> diff_pools(self_ptr self, config::catalog& cat, pool_diff& d) {
  auto& st = self->state;
  std::map<std::string, config::pool_entry*> active;
  for (auto& e : cat.pools)
    if (e.status == config::pool_status::active) active.emplace(e.pool_id, &e);
  for (auto it = st.pools.begin(); it != st.pools.end();) {
    if (active.count(it->first)) {
      ++it;
      continue;
    }
    stop_pool(self, it->second);
    d.removed.push_back(it->first);
    it = st.pools.erase(it);
  }
  std::vector<std::string> spawn;
  for (auto& [id, e] : active) {
    const auto* driver = st.drivers.find(e->config.driver);
    auto it = st.pools.find(id);
    if (it != st.pools.end() && same_config(it->second.args.pool, e->config) &&
        it->second.args.driver == driver->instance) {
      e->generation = it->second.args.generation;
      ++d.unchanged;
      continue;
    }
    const bool known = it != st.pools.end();
    if (known) stop_pool(self, it->second);
    (known ? d.restarted : d.added).push_back(id);
    running_pool p;
    // At start a thousand pools spread their first polls; a pool added or changed later
    // polls at once, so the user sees its tile without waiting.
    const auto delay = st.catalog ? milliseconds{0} : first_poll_jitter(e->config.poll_interval_s);
    e->generation = ++st.next_generation;
    p.args = {e->config, driver->instance, st.args.client, st.args.cache, delay, e->generation};
    st.pools.insert_or_assign(id, std::move(p));
    spawn.push_back(id);
  }
  return spawn;
}

std::string summary(const pool_diff& d, std::size_t drivers, std::size_t rejected) {
  std::string out = std::to_string(d.added.size()) + " added, " + std::to_string(d.removed.size()) +
                    " removed, " + std::to_string(d.restarted.size()) + " restarted, " +
                    std::to_string(d.unchanged) + " unchanged";
  if (!d.kept_previous.empty()) out += ", " + std::to_string(d.kept_previous.size()) + " kept";
  out += "; " + std::to_string(drivers) + " driver(s), " + std::to_string(rejected) + " rejected";
  if (!d.added.empty()) out += "; added: " + joined(d.added);
  if (!d.removed.empty()) out += "; removed: " + joined(d.removed);
  if (!d.restarted.empty()) out += "; restarted: " + joined(d.restarted);
  if (!d.kept_previous.empty()) out += "; kept previous: " + joined(d.kept_previous);
  return out;
}

// Takes over the last catalog's entry of a pool file whose text is unchanged (by its hash),
// when nothing else it depends on changed. A reload of 10 000 unchanged files (the dir
// watcher's after the first-run deploy, SIGHUP, an API write of one pool) then reads them
// without parsing them again. The workers only read the state while it runs.
reuse_entry reuse(supervisor_state& st) {
  check_inputs now{st.settings.wallets, st.settings.api_keys, {}};
  for (const auto& [type, d] : st.drivers.by_type()) now.drivers[type] = d->instance.get();
  if (!st.catalog || now != st.checked_with) {
    st.checked_with = std::move(now);
    st.pool_text_hashes.clear();
    return {};
  }
  auto previous = std::make_shared<std::unordered_map<std::string, const config::pool_entry*>>();
  for (const auto& e : st.catalog->pools)
    if (st.pool_text_hashes.count(e.pool_id)) previous->emplace(e.pool_id, &e);
  return [&st, previous](const std::string& id,
                         std::size_t hash) -> std::optional<config::pool_entry> {
    auto h = st.pool_text_hashes.find(id);
    auto e = previous->find(id);
    if (h == st.pool_text_hashes.end() || h->second != hash || e == previous->end())
      return std::nullopt;
    auto entry = *e->second;
    entry.generation = 0;  // diff_pools gives the running one's
    return entry;
  };
}

// The start-up line: one for all pools, however many (a line per pool was 10 000 lines, and
// the rejected ones have their own lines already).
std::string loaded_summary(const config::catalog& cat, std::size_t rejected) {
  std::map<std::string, std::size_t> by_driver;
  std::size_t disabled = 0;
  for (const auto& e : cat.pools) {
    if (e.status == config::pool_status::rejected) continue;
    ++by_driver[e.config.driver];
    if (e.status == config::pool_status::disabled) ++disabled;
  }
  std::string drivers;
  std::size_t loaded = 0;
  for (const auto& [driver, n] : by_driver) {
    drivers += (drivers.empty() ? "" : ", ") + driver + " " + std::to_string(n);
    loaded += n;
  }
  std::string out = "Loaded " + std::to_string(cat.drivers.size()) + " driver(s) and " +
                    std::to_string(loaded) + " pool config(s)";
  if (loaded > 0)
    out += " (" + drivers + (disabled ? "; " + std::to_string(disabled) + " disabled" : "") + ")";
  if (rejected > 0) out += ", rejected " + std::to_string(rejected) + " pool config(s)";
  return out;
}

// Reads the config dir and applies the difference to what runs. Returns what changed.
js::object reload(self_ptr self) {
  auto& st = self->state;
  const bool initial = !st.catalog;
  config::catalog cat;
  js::array problems;
  if (initial && (!st.args.bundled_dir.empty() || !st.args.bundled_drivers_dir.empty())) {
    auto deployed = config::first_run_deploy(st.args.config_dir, st.args.bundled_dir,
                                             st.args.bundled_drivers_dir);
    for (auto& f : deployed.copied) log::info("Installed " + f);
    for (auto& f : deployed.updated) log::info("Updated " + f + " to the bundled version");
    for (auto& n : deployed.notes) log::warn(n);
    for (auto& p : deployed.problems) cat.problems.push_back(p.to_string());
  }
  load_settings(self, cat, problems);
  auto scan = config::scan_config_dir(st.args.config_dir);
  for (auto& p : scan.reported) cat.problems.push_back(p.to_string());
  for (auto& p : cat.problems) log::warn(p);
  auto drivers = load_drivers(self, scan, cat);

  pool_diff d;
  // Read and checked on every core; what follows (logs, keeping previous configs) runs in the
  // files' order, so the outcome is the same as one file after the other.
  std::map<std::string, std::size_t> hashes;
  cat.pools.reserve(scan.pool_files.size());
  for (auto& checked : check_pool_files(scan.pool_files, st.settings, st.drivers, reuse(st))) {
    auto& e = checked.entry;
    if (auto kept = keep_previous(self, checked)) {
      log::error("Pool config " + e.pool_id + ": edit rejected, still running the previous " +
                 "config: " + joined(e.reasons));
      d.kept_previous.push_back(e.pool_id);
      cat.pools.push_back(std::move(*kept));
      continue;
    }
    if (e.status == config::pool_status::rejected) {
      for (auto& reason : e.reasons) log::error("Rejected pool config " + reason);
      d.rejected.push_back(e.pool_id);
    }
    if (checked.text_hash) hashes.emplace(e.pool_id, *checked.text_hash);
    cat.pools.push_back(std::move(e));
  }
  st.pool_text_hashes = std::move(hashes);
  for (const auto& file : scan.example_files) {
    auto e = load_example(file, st.drivers);
    if (!e) continue;
    auto taken = std::find_if(cat.pools.begin(), cat.pools.end(),
                              [&](const auto& p) { return p.pool_id == e->pool_id; });
    if (taken == cat.pools.end()) cat.examples.push_back(std::move(*e));
  }
  const auto spawn = diff_pools(self, cat, d);
  // A reload that changed nothing (the dir watcher also fires for the first-run deploy's own
  // copies) keeps the catalog the cache has: re-encoding 10 000 pools costs it a second.
  if (!st.catalog || !same_catalog(*st.catalog, cat)) {
    st.catalog = std::make_shared<const config::catalog>(std::move(cat));
    // The cache learns the new generations before any new actor can report.
    self->send(st.args.cache, st.catalog);
  }
  const auto& shared = st.catalog;
  for (const auto& id : spawn) spawn_pool(self, st.pools.at(id));

  if (initial)
    log::info(loaded_summary(*shared, d.rejected.size()));
  else
    log::info("Reloaded: " + summary(d, shared->drivers.size(), d.rejected.size()));
  return {{"added", strings(d.added)},
          {"removed", strings(d.removed)},
          {"restarted", strings(d.restarted)},
          {"unchanged", d.unchanged},
          {"kept_previous", strings(d.kept_previous)},
          {"rejected", strings(d.rejected)},
          {"drivers", std::move(drivers)},
          {"problems", std::move(problems)}};
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
  self->delayed_send(self, delay, restart_atom::value, pool_id, p.args.generation);
}

api_reply write(self_ptr self, const api_write& w) {
  auto& st = self->state;
  if (st.draining) return {503, R"({"error":"shutting down: the write was not applied"})"};
  write_context ctx{st.args.config_dir, st.settings, st.drivers, [self] { return reload(self); },
                    [self](const std::string& id) -> const config::pool_entry* {
                      for (const auto& e : self->state.catalog->pools)
                        if (e.pool_id == id) return &e;
                      return nullptr;
                    }};
  return handle_write(w, ctx);
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
  reload(self);
  return {
      // The running actor of a pool (invalid while it waits for a restart).
      [=](caf::get_atom, const std::string& pool_id) -> caf::actor {
        auto it = self->state.pools.find(pool_id);
        return it == self->state.pools.end() ? caf::actor{} : it->second.actor;
      },
      [=](restart_atom, const std::string& pool_id, std::uint64_t generation) {
        auto it = self->state.pools.find(pool_id);
        if (self->state.stopping || it == self->state.pools.end() || it->second.actor ||
            it->second.args.generation != generation)
          return;
        log::info("Restarting pool " + pool_id);
        it->second.args.first_poll_delay = milliseconds{0};
        spawn_pool(self, it->second);
      },
      [=](reload_atom) -> std::string { return js::serialize(reload(self)); },
      [=](api_write& w) -> api_reply { return write(self, w); },
      // Replies once every write queued before it is done; later writes are refused.
      [=](drain_atom) -> bool {
        self->state.draining = true;
        return true;
      },
  };
}

}  // namespace mc::actors
