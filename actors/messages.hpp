// The catalogue of every message the actors exchange, and their registration with CAF.
//
//   supervisor ── spawns, monitors ──> pool actor ── poll_result ──> tile cache ── snapshot ──>
//   http actor
//        └──────────── catalog, pool_runtime ─────────────────────────────┘
//   HTTP client (Asio threads) ── fetched ──> pool actor
//
// None of these leaves the process, so they are registered as local-only types
// (CAF_ALLOW_UNSAFE_MESSAGE_TYPE: no serializer needed, never sent over the network).
#pragma once

#include <caf/all.hpp>
#include <cstdint>
#include <miner_controller/tile.hpp>
#include <string>

#include "config/catalog.hpp"
#include "http/snapshot.hpp"

namespace mc::actors {

// -- atoms --------------------------------------------------------------------

using poll_atom = caf::atom_constant<caf::atom("poll")>;          // pool actor: time to poll
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;  // pool actor: cut the poll
using publish_atom = caf::atom_constant<caf::atom("publish")>;    // cache: send a snapshot
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;        // cache: age out silent pools
using restart_atom = caf::atom_constant<caf::atom("restart")>;    // supervisor: respawn a pool

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
  mc::tile tile;
  std::int64_t polled_at = 0;  // unix seconds
};

/// supervisor → tile cache: a pool actor's life outside its polls (crashed, restarting, failed).
struct pool_runtime {
  std::string pool_id;
  config::pool_status status = config::pool_status::active;
  std::string message;  // empty when running normally
};

}  // namespace mc::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::fetched)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::poll_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::actors::pool_runtime)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::config::catalog_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mc::http::snapshot_ptr)
