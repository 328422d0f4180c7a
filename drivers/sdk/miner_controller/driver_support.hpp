// Helpers every driver needs: read JSON leniently (numbers that arrive as strings), map a
// failed response to a failure tile a user can act on, and the "no shares yet" state.
// Header-only so an out-of-tree plugin needs nothing but this SDK and Boost.JSON.
#pragma once

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "driver.hpp"

namespace mc::support {

/// The member `key` of an object value, or nullptr.
inline const boost::json::value* member(const boost::json::value* v, std::string_view key) {
  if (!v || !v->is_object()) return nullptr;
  return v->as_object().if_contains(key);
}

/// Parses a whole string as a finite double ("1.5", " 2e3 "); nullopt otherwise.
inline std::optional<double> number_from_text(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double out = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(out)) return std::nullopt;
  return out;
}

/// A number from a JSON number or a numeric string (pools send both); nullopt for anything else.
inline std::optional<double> number(const boost::json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_double())
    return std::isfinite(v->get_double()) ? std::optional(v->get_double()) : std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_string()) return number_from_text(v->get_string());
  return std::nullopt;
}

/// A whole count (workers, shares) from a number or numeric string; nullopt if it is not a
/// non-negative integer value.
inline std::optional<std::int64_t> count(const boost::json::value* v) {
  auto d = number(v);
  if (!d || *d < 0 || *d > 9.0e18 || std::floor(*d) != *d) return std::nullopt;
  return static_cast<std::int64_t>(*d);
}

/// Adds a count to a running sum (nullopt: none yet). Saturates at INT64_MAX: a pool's
/// nonsense (9e18 shares on two workers) must not overflow.
inline void add_count(std::optional<std::int64_t>& sum, std::optional<std::int64_t> v) {
  if (!v) return;
  std::int64_t out = 0;
  if (__builtin_add_overflow(sum.value_or(0), *v, &out)) out = INT64_MAX;
  sum = out;
}

/// Parses a body as one JSON document; nullopt when it is not valid JSON.
inline std::optional<boost::json::value> parse_json(std::string_view body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) return std::nullopt;
  return v;
}

/// A failure tile: health false with the message, every number unknown.
inline tile failure(std::string message, std::string currency = {}) {
  tile t;
  t.health_status = false;
  t.health_message = std::move(message);
  t.currency = std::move(currency);
  return t;
}

/// The message for a response that is not a usable 2xx answer, or nullopt when it is one.
/// `auth_hint` is added to 401/403 ("check api_token").
inline std::optional<std::string> response_problem(const http_response& r,
                                                   std::string_view auth_hint = {}) {
  if (!r.error.empty()) return r.host.empty() ? r.error : r.host + ": " + r.error;
  if (r.status >= 200 && r.status < 300) return std::nullopt;
  std::string msg = "HTTP " + std::to_string(r.status) + " from " + r.host;
  if ((r.status == 401 || r.status == 403) && !auth_hint.empty()) {
    msg += ": ";
    msg += auth_hint;
  } else if (r.status == 429) {
    msg += ": rate limited";
    if (auto ra = r.header("retry-after"); !ra.empty())
      msg += ", retry after " + std::string(ra) + " s";
  }
  return msg;
}

/// A 2xx response whose body is one JSON object: the object, or the message for the user. The
/// object is the body's shared document (response_body::json): it lives as long as `r`.
inline std::variant<const boost::json::value*, std::string> json_object(
    const http_response& r, std::string_view auth_hint = {}) {
  if (auto problem = response_problem(r, auth_hint)) return *problem;
  const auto* v = r.body.json();
  if (!v) return "unparsable response from " + r.host + " (" + r.id + "): not JSON";
  if (!v->is_object())
    return "unexpected response from " + r.host + " (" + r.id + "): not a JSON object";
  return v;
}

/// "2 workers online" ("1 worker online"), or `otherwise` when the pool does not say how many.
inline std::string workers_message(const std::optional<std::int64_t>& workers,
                                   std::string otherwise) {
  if (!workers) return otherwise;
  return std::to_string(*workers) + (*workers == 1 ? " worker online" : " workers online");
}

/// The "address not known to the pool yet" state: a healthy API with unknown numbers.
inline tile no_shares_yet(const std::string& account, std::string currency) {
  tile t;
  t.health_status = true;
  t.health_message =
      "no shares from " + account + " yet: check the address if this miner is running";
  t.currency = std::move(currency);
  return t;
}

/// The response with this id, or nullptr.
inline const http_response* find(const std::vector<http_response>& rs, std::string_view id) {
  for (const auto& r : rs)
    if (r.id == id) return &r;
  return nullptr;
}

/// True for an http:// or https:// URL with a host.
inline bool is_http_url(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://"))
    rest = url.substr(7);
  else if (url.starts_with("https://"))
    rest = url.substr(8);
  else
    return false;
  return !rest.empty() && rest.front() != '/' && rest.find_first_of(" \t\r\n") == rest.npos;
}

/// Joins a base URL and a path with exactly one slash between them.
inline std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return std::string(base) + "/" + std::string(path);
}

/// The pool's api_base_url, or `fallback` when the config sets none.
inline std::string api_base(const pool_config& pool, std::string fallback) {
  return pool.api_base_url.empty() ? std::move(fallback) : pool.api_base_url;
}

/// The wallet part of the pool's account: pools name a miner "wallet.worker".
inline std::string wallet_of(const pool_config& pool) {
  const std::string& account = pool.account();
  return account.substr(0, account.find('.'));
}

/// The problem every driver reports for a set but unusable api_base_url.
inline void check_api_base_url(const pool_config& pool, std::vector<config_problem>& problems) {
  if (!pool.api_base_url.empty() && !is_http_url(pool.api_base_url))
    problems.push_back({"api_base_url", "must be an http:// or https:// URL"});
}

/// Percent-encodes a path segment (wallets are plain ASCII, but a config may hold anything).
inline std::string encode_segment(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace mc::support
