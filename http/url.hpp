// The parts of an absolute http(s) URL the client needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mc::http {

/// ASCII lower case, for header and host names: std::tolower is a libc call per character
/// that consults the locale, and these names are ASCII by their RFCs.
constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

struct url_parts {
  bool tls = false;
  std::string host;        // lower case, without brackets for IPv6
  std::uint16_t port = 0;  // always set: the scheme's default when absent
  std::string target;      // path and query, at least "/"; the fragment is dropped

  bool default_port() const { return port == (tls ? 443 : 80); }
  bool host_is_ipv6() const { return host.find(':') != std::string::npos; }
  /// The Host header: the port only when it is not the scheme's default.
  std::string host_header() const;
  /// scheme://host:port, the key connections are pooled by.
  std::string origin() const;
};

/// Accepts http:// and https:// URLs with a host (name, IPv4 or [IPv6]) and an optional port.
/// Rejects credentials in the URL, empty hosts, bad ports and characters that would break the
/// request line. On failure returns nullopt and, if `why` is given, a short reason.
std::optional<url_parts> parse_url(std::string_view url, std::string* why = nullptr);

}  // namespace mc::http
