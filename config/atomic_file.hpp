// Atomic file replacement: a reader (or a crash) sees the old file or the new one, never a
// half-written one.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace mc::config {

/// Writes a temp file in the same dir, fsyncs it, renames it over `path` and fsyncs the dir.
/// Returns an error message, empty on success; on failure the old file is intact and the temp
/// file removed. The new file keeps the mode of the one it replaces (unless `force_mode`),
/// else gets `mode`.
std::string write_file_atomic(const std::filesystem::path& path, std::string_view content,
                              unsigned mode = 0644, bool force_mode = false);

/// Removes the file and fsyncs its dir; an error message, empty on success.
std::string remove_file_durably(const std::filesystem::path& path);

}  // namespace mc::config
