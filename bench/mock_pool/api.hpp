// One imitated pool API = one class behind this interface, in its own file.
//
// To add an API: write <name>_api.{hpp,cpp} implementing `api`, add
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

// Request headers by name, case-insensitive; the server implements it over its own types so
// that APIs stay free of Beast.
class request_headers {
 public:
  virtual ~request_headers() = default;
  virtual std::string_view find(std::string_view name) const = 0;  // empty when absent
};

struct api_request {
  std::string_view path;  // already percent-decoded, without the query and "/<name>" prefix
  std::string_view query;
  std::int64_t now_ms;  // the (possibly frozen) clock
  std::uint64_t seed;
  const request_headers* headers = nullptr;  // nullptr: no headers at all

  std::string_view header(std::string_view name) const {
    return headers == nullptr ? std::string_view{} : headers->find(name);
  }
};

inline constexpr std::string_view json_type = "application/json";
inline constexpr std::string_view text_type = "text/plain";

struct api_reply {
  unsigned status = 200;
  std::string body;
  std::string_view endpoint;  // kind for /_stats, e.g. "stats"; empty when no route matched
  std::string_view content_type = json_type;
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

// Takes "/segment" off the front of `path` and returns "segment"; empty when path is empty
// or does not start with '/'.
std::string_view next_segment(std::string_view& path);

// The seed of one of many synthetic pools behind the same mock (the {instance} path prefix of
// mmfp and ckpool): no instance keeps the mock's seed.
std::uint64_t instance_seed(std::string_view instance, std::uint64_t seed);

}  // namespace mc::mock_pool
