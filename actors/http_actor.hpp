// The HTTP actor: owns the bridge between the actor world and the Beast server. It installs
// every snapshot the tile cache sends, so Beast sessions answer GETs without asking an actor.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <memory>

namespace mc::http {
class server;
}

namespace mc::actors {

caf::behavior http_actor(caf::event_based_actor* self, std::shared_ptr<mc::http::server> server);

}  // namespace mc::actors
