// The built web UI under /app/: files from one directory, never outside it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "http/router.hpp"

namespace mc::http {

/// Canonical form of the UI directory; throws std::system_error naming it if it is not one.
std::filesystem::path canonical_static_root(const std::filesystem::path& dir);

/// Answers /app/<segments...> from `root` (canonical). Segments are already percent-decoded;
/// one that is "." or "..", or holds '/', '\\' or NUL, answers 400. A file that resolves (through
/// symlinks) outside the root answers 404. Anything else unknown answers index.html, so the
/// UI's client-side routes survive a reload, except under assets/ (Vite's hashed output) and for
/// a name of a known file type (content_type_for), where a missing file is a 404 rather than
/// HTML posing as a script.
api_response serve_static(const std::filesystem::path& root,
                          const std::vector<std::string>& segments);

/// The Content-Type for a file name, by extension ("application/octet-stream" if unknown).
std::string_view content_type_for(std::string_view file_name);

}  // namespace mc::http
