// miner-controller: wires the config dir, the actors, the HTTP client and the HTTP server,
// and shuts them down in order on SIGINT/SIGTERM.
#include <malloc.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <caf/all.hpp>
#include <csignal>
#include <functional>
#include <future>
#include <iostream>
#include <optional>
#include <thread>

#include "actors/http_actor.hpp"
#include "actors/io_scheduler.hpp"
#include "actors/log.hpp"
#include "actors/messages.hpp"
#include "actors/supervisor.hpp"
#include "actors/tile_cache.hpp"
#include "app/fd_limit.hpp"
#include "app/options.hpp"
#include "config/dir_watcher.hpp"
#include "config/settings.hpp"
#include "http/client.hpp"
#include "http/metrics.hpp"
#include "http/server.hpp"

namespace {

std::string resolve_listen(const mc::app::options& opts) {
  if (!opts.listen.empty()) return opts.listen;
  auto settings = mc::config::load_settings(opts.config_dir / "config.yaml");
  return settings.value.listen.empty() ? "0.0.0.0:8080" : settings.value.listen;
}

// The client's per-host counters and the process's numbers as metric families. A weak
// reference: the client is let go at shutdown while a last scrape may still run. The actor
// system outlives the io threads that scrape (it is destroyed last in main).
std::function<std::string()> service_metrics(std::weak_ptr<mc::http::client> client,
                                             caf::actor_system& system) {
  return [client = std::move(client), &system] {
    auto process = mc::http::metrics::read_process();
    process.actors_running = system.registry().running();
    auto out = mc::http::metrics::render_process(process);
    auto c = client.lock();
    if (!c) return out;
    std::vector<mc::http::metrics::upstream_sample> hosts;
    for (auto& h : c->host_counters())
      hosts.push_back({std::move(h.host), h.requests, h.shared, h.rate_limited, h.errors});
    return out + mc::http::metrics::render_upstream(hosts);
  };
}

}  // namespace

int main(int argc, char** argv) {
  // glibc gives every thread that allocates its own heap arena (up to 8 per core); our io and
  // scheduler threads all build and free tiles and snapshots, and each arena kept its own
  // freed pages: 40 KB of RSS per pool at 1 000 pools, 28 KB with two arenas (bench/RESULTS.md).
#ifdef M_ARENA_MAX
  mallopt(M_ARENA_MAX, 2);
#endif
  // A config write past RLIMIT_FSIZE must fail with EFBIG (an answer saying so, the old file
  // intact), not kill the service with SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  int exit_code = 0;
  auto opts = mc::app::parse_options(argc, argv, exit_code);
  if (!opts) return exit_code;
  const auto bundled = mc::app::find_bundled(opts->bundled_dir, argv[0]);
  const auto listen = resolve_listen(*opts);
  auto address = mc::app::split_listen(listen);
  if (!address) {
    mc::log::error("server.listen must be HOST:PORT, got " + listen);
    return 2;
  }

  // Actors, their timers and the pool API client share the poll threads: a poll then wakes a
  // thread only for its timer and its answers (actors/io_scheduler.hpp). The API server has
  // its own threads, so serving never waits behind polling. Both io_contexts outlive the actor
  // system, whose shutdown runs the jobs still queued in them.
  boost::asio::io_context poll_io;
  boost::asio::io_context io;
  // Keeps the poll threads running while no actor has anything to do.
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> poll_work{
      poll_io.get_executor()};
  caf::actor_system_config cfg;
  mc::actors::run_actors_on(cfg, poll_io, std::chrono::milliseconds{opts->timer_slack_ms});
  caf::actor_system system{cfg};

  mc::http::client_options client_opts;
  client_opts.extra_ca_file = opts->extra_ca_file;
  client_opts.max_in_flight_per_host = static_cast<std::size_t>(opts->max_in_flight_per_host);
  auto client = std::make_shared<mc::http::client>(poll_io, client_opts);

  mc::http::server_options server_opts;
  server_opts.address = address->first;
  server_opts.port = address->second;
  const auto web_dir = opts->web_dir.empty() ? bundled.web : opts->web_dir;
  server_opts.static_dir = web_dir.string();
  const auto fd_limit = mc::app::raise_fd_limit();
  server_opts.max_connections = mc::app::connection_cap(fd_limit, server_opts.max_connections);
  std::shared_ptr<mc::http::server> server;
  try {
    server = std::make_shared<mc::http::server>(io, server_opts);
  } catch (const std::exception& e) {
    // The message names what failed: the address, or the web UI directory (--web, MC_WEB_DIR).
    mc::log::error("cannot start the HTTP server on " + listen + ": " + e.what());
    return 1;
  }
  // Writes reach the actors only as messages; the handler holds a weak address so the server
  // does not keep the actor alive.
  auto http = system.spawn(mc::actors::http_actor, server);
  server->set_write_handler([addr = http.address()](mc::http::api_request req, auto respond) {
    auto hdl = caf::actor_cast<caf::actor>(addr);
    if (!hdl) return respond(mc::http::error_response(503, "shutting down"));
    caf::anon_send(hdl, mc::actors::write_call{std::move(req), std::move(respond)});
  });
  server->set_metrics_source(service_metrics(client, system));
  server->start();
  mc::log::info("Listening on http://" + address->first + ":" + std::to_string(server->port()));
  if (web_dir.empty())
    mc::log::warn("Web UI not found (build it: bash scripts/build-web.sh): only the API is served");
  else
    mc::log::info("Web UI: " + web_dir.string() + " at http://" + address->first + ":" +
                  std::to_string(server->port()) + "/app/");
  mc::log::info("Open files limit " + std::to_string(fd_limit) + ": at most " +
                std::to_string(server_opts.max_connections) + " API connections");

  std::promise<int> stop_signal;
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (!ec) stop_signal.set_value(sig);
  });

  std::vector<std::thread> io_threads;
  for (int i = 0; i < opts->io_threads; ++i) io_threads.emplace_back([&io] { io.run(); });
  const std::chrono::milliseconds gather{opts->poll_gather_ms};
  for (int i = 0; i < opts->poll_threads; ++i)
    io_threads.emplace_back([&poll_io, gather] { mc::actors::run_gathered(poll_io, gather); });

  auto cache = system.spawn(mc::actors::tile_cache, mc::actors::tile_cache_args{http});
  auto supervisor = system.spawn<caf::detached>(
      mc::actors::supervisor, mc::actors::supervisor_args{opts->config_dir, bundled.dir, client,
                                                          cache, http, bundled.drivers});
  if (bundled.drivers.empty())
    mc::log::warn("No bundled drivers found: first-run deploy of drivers/ is skipped");
  else
    mc::log::info("Bundled drivers: " + bundled.drivers.string());
  if (bundled.dir.empty())
    mc::log::warn("No bundled example pools found: first-run deploy of pools/ is skipped");
  boost::asio::signal_set hangup{io, SIGHUP};
  std::function<void()> on_hangup = [&] {
    hangup.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      mc::log::info("Received SIGHUP: reloading the config dir");
      caf::anon_send(supervisor, mc::actors::reload_atom::value);
      on_hangup();
    });
  };
  on_hangup();
  // Edits of config.yaml, pools/ and drivers/ apply themselves (debounced); the supervisor's
  // own API writes fire it too, and their reload then finds nothing left to change.
  mc::config::dir_watcher watcher{io, opts->config_dir,
                                  [supervisor](std::vector<std::string> changed) {
                                    std::string what;
                                    for (const auto& c : changed)
                                      what += (what.empty() ? "" : ", ") + c;
                                    mc::log::info("Config dir changed (" + what + "): reloading");
                                    caf::anon_send(supervisor, mc::actors::reload_atom::value);
                                  }};
  mc::log::info("Config directory: " + opts->config_dir.string());

  const int sig = stop_signal.get_future().get();
  mc::log::info(std::string("Received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                ": shutting down");
  // Every write the server has read is applied and answered; new connections are refused
  // meanwhile, and writes that still arrive on open ones are refused by the drained supervisor.
  server->stop_accepting();
  signals.cancel();
  hangup.cancel();
  watcher.stop();
  for (int i = 0; i < 1000 && server->writes_in_flight() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  {
    caf::scoped_actor self{system};
    self->request(supervisor, std::chrono::seconds(30), mc::actors::drain_atom::value)
        .receive([](bool) {},
                 [](caf::error& e) {
                   mc::log::warn("Writes did not finish before shutdown: " + to_string(e));
                 });
  }
  for (int i = 0; i < 200 && server->writes_in_flight() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  server->stop();
  caf::anon_send_exit(supervisor, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(cache, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(http, caf::exit_reason::user_shutdown);
  system.await_all_actors_done();
  mc::actors::stop_actor_timers(system);  // delayed messages to actors now gone
  poll_work.reset();
  // The last owner of the client lets go: it answers what is queued and aborts what runs, on
  // the io threads, which then run out of work and return. A request that will not let go is
  // cut by the watchdog after 3 s.
  client.reset();
  server.reset();
  std::promise<void> drained;
  std::thread watchdog([&io, &poll_io, done = drained.get_future()] {
    if (done.wait_for(std::chrono::seconds(3)) == std::future_status::timeout) {
      io.stop();
      poll_io.stop();
    }
  });
  for (auto& t : io_threads) t.join();
  drained.set_value();
  watchdog.join();
  mc::log::info("Stopped");
  return 0;
}
