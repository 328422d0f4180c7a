// The supervisor's write endpoints: POST/PUT/DELETE /api/pools, GET/PUT /api/settings and
// POST /api/reload. A write is checked with the same code that loads files, written atomically,
// then applied through a reload, so the answer reports the pool as it now runs. Nothing is
// written when a request is rejected.
#pragma once

#include <filesystem>
#include <functional>

#include "actors/messages.hpp"
#include "config/settings.hpp"
#include "drivers/driver_set.hpp"

namespace mc::actors {

struct write_context {
  const std::filesystem::path& config_dir;
  const config::settings& settings;  // as loaded
  const drivers::driver_set& drivers;
  std::function<boost::json::object()> reload;  // applies the dir; what changed
  std::function<const config::pool_entry*(const std::string&)> find;  // in the current catalog
};

api_reply handle_write(const api_write& w, write_context& ctx);

}  // namespace mc::actors
