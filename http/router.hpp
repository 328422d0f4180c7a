// The REST routes (DESIGN §5) as a function of a snapshot and a request line, testable without
// sockets. GETs are answered from the snapshot (the body is shared, never copied); writes are
// only recognised here and handed on by the server; /app/ serves the built web UI.
//
//   auto r = route(snap.get(), "GET", "/api/dashboard/pools?pool_id=x", {});
//   if (!r.is_write) send(r.response);
#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/snapshot.hpp"

namespace mc::http {

inline constexpr const char* json_type = "application/json; charset=utf-8";

struct api_response {
  int status = 200;
  body_ptr body;  // null: empty body. Shared with the snapshot: no copy per request
  std::string content_type = json_type;
  std::string cache_control = "no-store";  // API answers change with every snapshot
  std::vector<std::pair<std::string, std::string>> headers;  // extra: Allow, Location
};

/// {"error": message, "details": [...]} with the status.
api_response error_response(int status, std::string_view message,
                            const std::vector<std::string>& details = {});

/// A JSON (or other) answer from a string, for write handlers.
api_response make_response(int status, std::string body, std::string content_type = json_type);

struct route_options {
  bool writes_enabled = false;        // a write handler is installed
  std::filesystem::path static_root;  // canonical dir of the built UI; empty: no /app/
  // Appended to the snapshot's metrics on GET /metrics: counters that live outside the actors
  // (server, client), rendered at request time. Called on an Asio thread: must not block.
  std::function<std::string()> metrics_tail;
};

/// The route of a request as a metrics label: a fixed, small set whatever a client sends, so
/// label values cannot grow without bound.
inline constexpr std::array<std::string_view, 12> route_templates = {
    "/healthz",     "/readyz",    "/metrics",        "/api/pool-templates", "/api/dashboard/pools",
    "/api/drivers", "/api/pools", "/api/pools/{id}", "/api/reload",         "/api/settings",
    "/app",         "other"};
inline constexpr std::size_t other_route = route_templates.size() - 1;

struct route_result {
  bool is_write = false;            // true: hand the request to the write handler
  api_response response;            // the answer when !is_write
  std::size_t route = other_route;  // index into route_templates
};

/// Routes one request. `s` is null before the first snapshot: API paths answer 503, /healthz
/// still 200. A known path with a wrong method answers 405 with Allow; HEAD works wherever GET
/// does (the server drops the body). Write paths (POST /api/pools, PUT|DELETE /api/pools/{id},
/// POST /api/reload, GET|PUT /api/settings) are writes only with `writes_enabled`; without it
/// they answer 405 (an empty Allow where no GET exists).
route_result route(const snapshot* s, std::string_view method, std::string_view target,
                   const route_options& options = {});

/// Splits "/a/b?x=1" into the raw path and the raw query.
std::pair<std::string_view, std::string_view> split_target(std::string_view target);

/// Percent-decodes; with `plus_is_space` a '+' is a space (query strings). Invalid escapes stay
/// as they are.
std::string percent_decode(std::string_view s, bool plus_is_space);

/// The non-empty path segments, each percent-decoded ("/api//pools/" -> {"api", "pools"}).
std::vector<std::string> path_segments(std::string_view path);

/// Whether the query has `key`; its decoded value goes to `value` ("" for "?key").
bool query_param(std::string_view query, std::string_view key, std::string& value);

}  // namespace mc::http
