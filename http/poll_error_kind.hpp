// Why a poll failed, as one word for metrics (mc_pool_poll_errors_total{kind}). A failure tile
// carries only its message for the user, so the kind is read from the messages the HTTP client
// (http/client.hpp) and the driver SDK (driver_support.hpp) write, in this one place: a new
// message shape there needs a line here, else it counts as "other".
#pragma once

#include <array>
#include <string_view>

namespace mc::http {

/// Every kind poll_error_kind returns.
inline constexpr std::array<std::string_view, 10> poll_error_kinds = {
    "timeout",       // "timeout after 10 s", also a poll cut at its deadline
    "connect",       // refused, unresolvable or unreachable host
    "tls",           // handshake or certificate verification failed
    "transport",     // connection closed or reset mid-answer, malformed or oversized answer
    "rate_limited",  // HTTP 429
    "http_status",   // any other non-2xx answer, or a rejected token
    "parse",         // unparsable or unexpectedly shaped body
    "config",        // no wallet for the coin, invalid URL: the user's config, not the pool
    "driver",        // the driver threw
    "other",         // anything else ("poll incomplete", a pool reporting a bad status)
};

/// The kind of a failed poll from its tile's health_message.
std::string_view poll_error_kind(std::string_view health_message);

}  // namespace mc::http
