// One imitated pool API = one class behind this interface, in its own file.
//
// To add an API (braiins, mmfp, ckpool): write <name>_api.{hpp,cpp} implementing `api`, add
// it to make_apis() in api.cpp and to the source list in bench/CMakeLists.txt. The router
// hands an API every GET whose path starts with "/<name>/"; the API answers from the
// synthetic model (synthetic.hpp) and never does I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mc::mock_pool {

struct api_request {
  std::string_view path;  // already percent-decoded, without the query and "/<name>" prefix
  std::string_view query;
  std::int64_t now_ms;  // the (possibly frozen) clock
  std::uint64_t seed;
};

struct api_reply {
  unsigned status = 200;
  std::string body;           // JSON
  std::string_view endpoint;  // kind for /_stats, e.g. "stats"; empty when no route matched
};

class api {
 public:
  virtual ~api() = default;
  // First path segment and prefix of the endpoint kinds in /_stats, e.g. "solopool".
  virtual std::string_view name() const = 0;
  virtual api_reply handle(const api_request& request) const = 0;
};

std::vector<std::unique_ptr<api>> make_apis();

// The common JSON error body {"error": message}.
std::string error_body(std::string_view message);

}  // namespace mc::mock_pool
