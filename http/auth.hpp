// The write token check (server.api_token): "Authorization: Bearer <token>", compared in
// constant time so response timing tells nothing about how much of a guess was right.
#pragma once

#include <string_view>

namespace mc::http {

/// Whether `authorization` (the header's value) is "Bearer <token>" for exactly `token`.
/// The scheme is case-insensitive; the time taken depends on neither token's content.
bool bearer_matches(std::string_view authorization, std::string_view token);

}  // namespace mc::http
