// Atomic file replacement: a reader (or a crash) sees the old file or the new one, never a
// half-written one.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace mc::config {

/// Writes a temp file in the same dir, fsyncs it, renames it over `path` and fsyncs the dir.
/// Returns an error message, empty on success; on failure the old file is intact and the temp
/// file removed.
std::string write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace mc::config
