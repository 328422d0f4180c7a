// What every actor test needs: an actor system, the production HTTP client on its own io
// thread, and a scoped actor that stands in for the tile cache and receives what is sent to it.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>
#include <memory>
#include <thread>

#include "http/client.hpp"

namespace mc::test {

struct actor_fixture {
  caf::actor_system_config cfg;
  // Declared before the actor system, so destroyed after it: the system's destructor waits for
  // the actors, and an actor holding the client's last reference destroys it then, which posts
  // to the io_context (TSan saw that post hit a destroyed strand mutex when io went first).
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::shared_ptr<mc::http::client> client = std::make_shared<mc::http::client>(io);
  caf::actor_system sys{cfg};
  std::thread io_thread{[this] { io.run(); }};
  caf::scoped_actor cache{sys};

  ~actor_fixture() {
    work.reset();
    io.stop();
    io_thread.join();
  }
};

}  // namespace mc::test
