#include "actors/http_actor.hpp"

#include "actors/messages.hpp"
#include "http/server.hpp"

namespace mc::actors {

caf::behavior http_actor(caf::event_based_actor*, std::shared_ptr<mc::http::server> server) {
  return {
      [server](http::snapshot_ptr& snap) { server->publish(std::move(snap)); },
  };
}

}  // namespace mc::actors
