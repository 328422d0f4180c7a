// The driver SDK: the whole contract between miner-controller and a pool driver plugin.
//
// A driver knows one pool API and is pure: plan() says which HTTP requests a poll needs,
// parse() turns their responses into a tile. It never does I/O, sleeps or keeps mutable global
// state; the host owns networking, timing and retries. The same driver object is called from
// many pool actors at once, so every method is const and must be thread-safe.
//
// A plugin is a shared library `<type>_driver.so` built with MC_DRIVER_EXPORT(YourDriver).
// C++ types cross the library boundary, so a plugin must be built with the same compiler
// family and this same SDK; the loader checks the ABI version and the layout of every SDK type
// before it calls anything else, and rejects a plugin that differs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "http_types.hpp"
#include "pool_config.hpp"
#include "tile.hpp"

namespace mc {

/// Bump on every change of the types in this SDK or of the driver interface.
inline constexpr std::uint32_t driver_abi_version = 3;  // 2: response_body; 3: its parse lock

struct driver_info {
  std::string type;                          // "solopool": the `driver:` of pool configs
  std::string display_name;                  // "Solopool.org"
  std::string version;                       // the driver's own version, "1.0.0"
  std::vector<std::string> supported_coins;  // upper case; empty = any coin
  bool needs_wallet = true;                  // false for token-based APIs (braiins)
};

/// One problem a driver finds in a pool config: the field and what is wrong with it.
struct config_problem {
  std::string field;
  std::string reason;
};

/// What plan() and parse() get: the pool's config and the poll's clock.
struct poll_context {
  const pool_config& pool;
  std::int64_t now = 0;  // unix seconds, UTC; injected so tests run on a fixed clock
};

class driver {
 public:
  virtual ~driver() = default;

  virtual driver_info describe() const = 0;

  /// Problems that make this config unusable with this driver (unsupported coin, missing
  /// token, bad api_base_url). An empty list accepts it.
  virtual std::vector<config_problem> validate(const pool_config& pool) const = 0;

  /// The requests of one poll. May be empty (e.g. no wallet configured): parse still runs.
  virtual std::vector<http_request> plan(const poll_context& ctx) const = 0;

  /// Builds the tile from the responses, in the order plan() returned the requests. A response
  /// whose transport failed has a non-empty `error`; a request cut at the poll's deadline has
  /// error "timeout after N s". Must not throw for any input; the host catches it if it does.
  virtual tile parse(const poll_context& ctx,
                     const std::vector<http_response>& responses) const = 0;
};

/// Layout fingerprint of the SDK types, compared by the loader before anything else runs.
struct driver_abi {
  std::uint32_t version;
  std::uint32_t size_of_tile;
  std::uint32_t size_of_pool_config;
  std::uint32_t size_of_http_request;
  std::uint32_t size_of_http_response;
  std::uint32_t size_of_driver_info;
};

inline constexpr driver_abi current_driver_abi() {
  return {driver_abi_version,   sizeof(tile),          sizeof(pool_config),
          sizeof(http_request), sizeof(http_response), sizeof(driver_info)};
}

}  // namespace mc

// The versioned C entry points every plugin exports. The loader resolves
// mc_driver_abi first and calls nothing else from a plugin whose answer differs from its own.
extern "C" {
using mc_driver_abi_fn = mc::driver_abi (*)();
using mc_driver_create_fn = mc::driver* (*)();
using mc_driver_destroy_fn = void (*)(mc::driver*);
}

#define MC_DRIVER_EXPORT(driver_class)                                                      \
  extern "C" __attribute__((visibility("default"))) mc::driver_abi mc_driver_abi() {        \
    return mc::current_driver_abi();                                                        \
  }                                                                                         \
  extern "C" __attribute__((visibility("default"))) mc::driver* mc_driver_create() {        \
    return new driver_class();                                                              \
  }                                                                                         \
  extern "C" __attribute__((visibility("default"))) void mc_driver_destroy(mc::driver* d) { \
    delete d;                                                                               \
  }
