// The supervisor: loads drivers and pool configs from the config dir, spawns one pool actor
// per enabled pool and restarts a crashed one with exponential backoff (1 s .. 5 min); three
// crashes in a row mark the pool failed with the reason. It runs detached (its own thread)
// because loading reads files.
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
#include "drivers/loader.hpp"

namespace mc::http {
class client;
}

namespace mc::actors {

struct supervisor_args {
  std::filesystem::path config_dir;
  std::filesystem::path bundled_dir;  // empty: no first-run deploy
  std::shared_ptr<mc::http::client> client;
  caf::actor cache;
  std::filesystem::path bundled_drivers_dir;  // empty: bundled_dir / "drivers"
};

struct running_pool {
  pool_actor_args args;
  caf::actor actor;
  std::chrono::steady_clock::time_point started;
  int crashes = 0;
};

struct supervisor_state {
  supervisor_args args;
  std::map<std::string, drivers::loaded_driver> drivers;  // by type
  std::map<std::string, running_pool> pools;              // by pool_id
  std::map<caf::actor_addr, std::string> by_actor;
  bool stopping = false;
  static inline const char* name = "supervisor";
};

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self, supervisor_args args);

/// The restart delay after the n-th crash in a row: 1 s, 2 s, 4 s, ... at most 5 min.
std::chrono::seconds restart_backoff(int crashes);

}  // namespace mc::actors
