// One log voice for the whole program: "2026-11-25T10:00:00Z info  Loaded driver: ...".
// Each line is written with a single call so lines from different threads never interleave.
// Secrets are never passed here; callers log masked values (config::mask_secret).
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

namespace mc::log {

inline void line(std::string_view level, std::string_view text) {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string out;
  out.reserve(text.size() + 40);
  out.append(stamp).append(" ").append(level).append(" ").append(text).append("\n");
  std::fwrite(out.data(), 1, out.size(), stderr);
}

inline void info(std::string_view text) { line("info ", text); }
inline void warn(std::string_view text) { line("warn ", text); }
inline void error(std::string_view text) { line("error", text); }

}  // namespace mc::log
