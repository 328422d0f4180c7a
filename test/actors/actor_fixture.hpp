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
  caf::actor_system sys{cfg};
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::shared_ptr<mc::http::client> client = std::make_shared<mc::http::client>(io);
  std::thread io_thread{[this] { io.run(); }};
  caf::scoped_actor cache{sys};

  ~actor_fixture() {
    work.reset();
    io.stop();
    io_thread.join();
  }
};

}  // namespace mc::test
