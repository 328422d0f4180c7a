#include "http/poll_error_kind.hpp"

namespace mc::http {

namespace {

bool has(std::string_view s, std::string_view part) { return s.find(part) != s.npos; }

}  // namespace

std::string_view poll_error_kind(std::string_view m) {
  // Order matters: a TLS handshake that times out says "timeout", one that is closed says
  // "TLS: ... closed the connection", and a 429 is an HTTP status too.
  if (has(m, "timeout after")) return "timeout";
  if (m.starts_with("TLS: ") || has(m, ": TLS: ")) return "tls";
  if (has(m, "HTTP 429 from")) return "rate_limited";
  if (m.starts_with("HTTP ") || has(m, "rejected the token")) return "http_status";
  if (has(m, "connection refused") || has(m, "could not resolve host") || has(m, "cannot reach ") ||
      has(m, "could not connect to "))
    return "connect";
  if (has(m, "connection closed before") || has(m, "connection reset by") ||
      has(m, "malformed HTTP response") || has(m, "response body over") ||
      has(m, "response header over") || has(m, "I/O error with"))
    return "transport";
  if (m.starts_with("unparsable response") || m.starts_with("unexpected response") ||
      m.starts_with("unknown hash_rate_unit"))
    return "parse";
  if (m.starts_with("no wallet configured") || has(m, "invalid URL: ") ||
      has(m, "invalid HTTP method") || has(m, "invalid header"))
    return "config";
  if (m.starts_with("driver error: ")) return "driver";
  return "other";
}

}  // namespace mc::http
