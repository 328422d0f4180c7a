// Maps one HTTP request to an answer, without any networking (server.cpp does that).
//
//   GET  /_stats            request counters (see control::stats_json)
//   POST /_stats/reset      zero the counters
//   GET  /_control          current fault settings
//   POST /_control          change them (JSON body, see control::update)
//   POST /_control/reset    back to the command-line settings
//   GET  /<api>/...         the imitated pool APIs; latency and faults apply only here
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/mock_pool/api.hpp"
#include "bench/mock_pool/control.hpp"

namespace mc::mock_pool {

struct reply {
  reply() = default;
  reply(unsigned status, std::string body, std::string_view allow = {})
      : status(status), body(std::move(body)), allow(allow) {}

  unsigned status = 200;
  std::string body;
  std::string_view content_type = json_type;
  std::chrono::milliseconds delay{0};  // hold the answer back this long
  std::string_view allow;              // Allow header for 405
};

class router {
 public:
  router(control& control, std::uint64_t seed);
  reply handle(std::string_view method, std::string_view target, std::string_view body,
               const request_headers* headers = nullptr) const;

 private:
  reply handle_internal(std::string_view method, std::string_view path,
                        std::string_view body) const;

  control& control_;
  std::uint64_t seed_;
  std::vector<std::unique_ptr<api>> apis_;
};

// Decodes %XX escapes; false on a malformed escape or an encoded NUL.
bool percent_decode(std::string_view in, std::string& out);

}  // namespace mc::mock_pool
