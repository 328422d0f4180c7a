// The catalogue of every message the actors exchange, and their registration with CAF.
//
//   supervisor ── spawns, monitors ──> pool actor ── poll_result ──> tile cache ── snapshot ──>
//   http actor
//        └──────────── catalog, pool_runtime ─────────────────────────────┘
//   HTTP client (Asio threads) ── fetched ──> pool actor
//   HTTP server (Asio threads) ── write_call ──> http actor ── api_write ──> supervisor
//   supervisor ── server_settings ──> http actor
//
// None of these leaves the process, so they are registered as local-only types
// (CAF_ALLOW_UNSAFE_MESSAGE_TYPE: no serializer needed, never sent over the network).
#pragma once

#include <boost/json/object.hpp>
#include <caf/all.hpp>
#include <cstdint>
#include <functional>
#include <miner_controller/tile.hpp>
#include <string>

#include "config/catalog.hpp"
#include "http/server.hpp"
#include "http/snapshot.hpp"

namespace mc::actors {

// -- atoms --------------------------------------------------------------------

using poll_atom = caf::atom_constant<caf::atom("poll")>;        // pool actor: time to poll
using publish_atom = caf::atom_constant<caf::atom("publish")>;  // cache: send a snapshot
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;      // cache: age out silent pools
using restart_atom = caf::atom_constant<caf::atom("restart")>;  // supervisor: respawn a pool
using reload_atom = caf::atom_constant<caf::atom("reload")>;    // supervisor: re-read the dir
using flush_atom = caf::atom_constant<caf::atom("flush")>;      // cache: publish now, then reply
using drain_atom =
    caf::atom_constant<caf::atom("drain")>;  // supervisor: finish writes, take no more

// -- messages -----------------------------------------------------------------

/// HTTP client → pool actor: the answer to request `index` of poll `poll`.
struct fetched {
  std::uint64_t poll = 0;
  std::size_t index = 0;
  mc::http_response response;
};

/// pool actor → tile cache: the outcome of one poll.
struct poll_result {
  std::string pool_id;
  std::uint64_t generation = 0;  // of the pool actor: a stopped actor's late result is dropped
  mc::tile tile;
  std::int64_t polled_at = 0;  // unix seconds
};

/// supervisor → tile cache: a pool actor's life outside its polls (crashed, restarting, failed).
struct pool_runtime {
  std::string pool_id;
  config::pool_status status = config::pool_status::active;
  std::string message;  // empty when running normally
};

/// HTTP server (an Asio thread) → http actor: a write request and how to answer it.
struct write_call {
  http::api_request request;
  std::function<void(http::api_response)> respond;  // any thread, once
};

/// http actor → supervisor: an authorised, parsed write. Answered with an api_reply.
struct api_write {
  enum class op { create_pool, update_pool, delete_pool, reload, get_settings, put_settings };
  op what = op::reload;
  std::string pool_id;       // update_pool, delete_pool
  boost::json::object body;  // create_pool, update_pool, put_settings
};

struct api_reply {
  int status = 200;
  std::string body;  // JSON
};

/// supervisor → http actor, after every load: what guards the write endpoints, and where
/// writes go.
struct server_settings {
  std::string api_token;  // "" : writes are open
  caf::actor supervisor;
  caf::actor cache;  // flushed before a write is answered, so a GET right after sees it
};

}  // namespace mc::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::fetched)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::poll_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::pool_runtime)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::write_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::api_write)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::api_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::server_settings)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::config::catalog_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::http::snapshot_ptr)
