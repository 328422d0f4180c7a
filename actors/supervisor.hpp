// The supervisor: loads drivers and pool configs from the config dir, spawns one pool actor
// per enabled pool and restarts a crashed one with exponential backoff (1 s .. 5 min); three
// crashes in a row mark the pool failed with the reason. A reload (POST /api/reload, SIGHUP,
// the dir watcher, or an API write) applies only the difference: added pools spawn, removed
// ones stop, changed ones restart, the rest keep polling; an invalid edit of a running pool
// keeps the previous config running. It runs detached (its own thread) because it reads and
// writes files.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "actors/pool_actor.hpp"
#include "config/catalog.hpp"
#include "config/settings.hpp"
#include "drivers/driver_set.hpp"

namespace mc::http {
class client;
}

namespace mc::actors {

struct supervisor_args {
  std::filesystem::path config_dir;
  std::filesystem::path bundled_dir;  // empty: no first-run deploy
  std::shared_ptr<mc::http::client> client;
  caf::actor cache;
  caf::actor http;  // gets server_settings after every load; may be null in tests
  std::filesystem::path bundled_drivers_dir;  // empty: bundled_dir / "drivers"
};

struct running_pool {
  pool_actor_args args;
  caf::actor actor;  // null while it waits for a restart
  std::chrono::steady_clock::time_point started;
  int crashes = 0;
};

// What a pool file's entry depends on besides its text: while it stays the same, a reload
// takes over the entry of a file whose text is unchanged instead of parsing it again.
struct check_inputs {
  std::map<std::string, std::string> wallets;   // config.yaml's
  std::map<std::string, std::string> api_keys;  // config.yaml's
  std::map<std::string, const void*> drivers;   // type -> the loaded instance
  bool operator==(const check_inputs&) const = default;
};

struct supervisor_state {
  supervisor_args args;
  drivers::driver_set drivers;
  config::settings settings;
  bool settings_loaded = false;
  config::catalog_ptr catalog;                // the last one sent to the cache
  std::map<std::string, running_pool> pools;  // by pool_id: every active pool
  std::map<caf::actor_addr, std::string> by_actor;
  std::uint64_t next_generation = 0;
  check_inputs checked_with;                            // of the entries below
  std::map<std::string, std::size_t> pool_text_hashes;  // by pool_id: catalog's, not kept ones
  bool stopping = false;                                // shutting down: no restarts
  bool draining = false;                                // shutting down: no more writes
  static inline const char* name = "supervisor";
};

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self, supervisor_args args);

/// The restart delay after the n-th crash in a row: 1 s, 2 s, 4 s, ... at most 5 min.
std::chrono::seconds restart_backoff(int crashes);

}  // namespace mc::actors
