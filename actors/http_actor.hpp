// The HTTP actor: the bridge between the actor world and the Beast server. It installs every
// snapshot the tile cache sends, so sessions answer GETs without asking an actor; and it takes
// the write requests the server hands over (write_call), checks the write token, parses the
// JSON body and asks the supervisor, answering within the server's request timeout.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <chrono>
#include <memory>
#include <string>

namespace mc::http {
class server;
}

namespace mc::actors {

struct http_state {
  std::shared_ptr<mc::http::server> server;
  caf::actor supervisor;  // null until the first server_settings: writes answer 503
  caf::actor cache;
  std::string api_token;
  std::chrono::milliseconds write_timeout{25'000};
  static inline const char* name = "http";
};

caf::behavior http_actor(caf::stateful_actor<http_state>* self,
                         std::shared_ptr<mc::http::server> server);

}  // namespace mc::actors
