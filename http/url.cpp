#include "http/url.hpp"

#include <cctype>

namespace mc::http {
namespace {

std::optional<url_parts> reject(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return std::nullopt;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (ascii_lower(s[i]) != prefix[i]) return false;
  return true;
}

bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

}  // namespace

std::string url_parts::host_header() const {
  std::string h = host_is_ipv6() ? "[" + host + "]" : host;
  if (!default_port()) h += ":" + std::to_string(port);
  return h;
}

std::string url_parts::origin() const {
  return std::string(tls ? "https://" : "http://") + (host_is_ipv6() ? "[" + host + "]" : host) +
         ":" + std::to_string(port);
}

std::optional<url_parts> parse_url(std::string_view url, std::string* why) {
  url_parts u;
  if (starts_with_nocase(url, "http://")) {
    url.remove_prefix(7);
    u.port = 80;
  } else if (starts_with_nocase(url, "https://")) {
    url.remove_prefix(8);
    u.tls = true;
    u.port = 443;
  } else {
    return reject(why, "scheme must be http:// or https://");
  }

  const auto end = url.find_first_of("/?#");
  std::string_view authority = url.substr(0, end);
  std::string_view rest = end == std::string_view::npos ? std::string_view{} : url.substr(end);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  u.target = rest.empty() || rest.front() != '/' ? "/" + std::string(rest) : std::string(rest);
  for (char c : u.target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return reject(why, "spaces or control characters in the path");

  if (authority.find('@') != std::string_view::npos)
    return reject(why, "credentials in the URL are not supported");
  std::string_view host = authority, port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return reject(why, "unclosed [ in the host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return reject(why, "junk after the IPv6 address");
      port = after.substr(1);
      if (port.empty()) return reject(why, "empty port");
    }
    for (char c : host)
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.')
        return reject(why, "bad IPv6 address");
  } else {
    if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      if (port.empty()) return reject(why, "empty port");
    }
    for (char c : host)
      if (!host_char(c)) return reject(why, "bad character in the host name");
  }
  if (host.empty()) return reject(why, "no host");
  for (char c : host) u.host += ascii_lower(c);

  if (!port.empty()) {
    unsigned long n = 0;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || port.size() > 5)
        return reject(why, "bad port");
      n = n * 10 + static_cast<unsigned long>(c - '0');
    }
    if (n == 0 || n > 65535) return reject(why, "port must be 1..65535");
    u.port = static_cast<std::uint16_t>(n);
  }
  return u;
}

}  // namespace mc::http
