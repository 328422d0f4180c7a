// The requests a driver plans and the responses the host hands back. The host's HTTP client
// (http/client.hpp) executes exactly these.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "response_body.hpp"

namespace mc {

struct http_header {
  std::string name;
  std::string value;
  friend bool operator==(const http_header&, const http_header&) = default;
};
using http_headers = std::vector<http_header>;

struct http_request {
  std::string id;  // the driver's name for it ("stats", "account")
  std::string method = "GET";
  std::string url;  // absolute: http://host[:port]/path or https://...
  http_headers headers;
  std::chrono::milliseconds timeout{10'000};  // one deadline over connect, TLS, write and read
};

struct http_response {
  std::string id;        // the request's id
  std::string url;       // the request's url
  std::string host;      // host of the url, for messages ("HTTP 401 from pool.braiins.com")
  int status = 0;        // 0 when no HTTP answer arrived (see error)
  http_headers headers;  // header names in lower case
  response_body body;    // shared by every caller of a coalesced GET
  std::chrono::milliseconds elapsed{0};
  std::string error;  // why no usable answer arrived: "connection refused",
                      // "timeout after 10 s", "TLS: certificate verify failed",
                      // "response body over 4194304 bytes"; empty when status is set

  bool ok() const { return error.empty() && status >= 200 && status < 300; }

  /// The first header with this (lower-case) name, or an empty view.
  std::string_view header(std::string_view name) const {
    for (const auto& h : headers)
      if (h.name == name) return h.value;
    return {};
  }
};

}  // namespace mc
