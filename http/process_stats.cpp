// The process part of GET /metrics, read from /proc/self at scrape time: cheap (one directory
// listing and one small file), so fd and memory leaks show on a dashboard and in the fault tests.
#include <dirent.h>
#include <unistd.h>

#include <fstream>

#include "http/metrics.hpp"

namespace mc::http::metrics {

namespace {

std::optional<std::uint64_t> count_open_fds() {
  DIR* d = ::opendir("/proc/self/fd");
  if (!d) return std::nullopt;
  std::uint64_t n = 0;
  while (const auto* e = ::readdir(d))
    if (e->d_name[0] != '.') ++n;
  ::closedir(d);
  return n > 0 ? n - 1 : 0;  // the directory's own fd is not the process's
}

std::optional<std::uint64_t> resident_bytes() {
  // statm: size resident shared text lib data dt, in pages.
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return std::nullopt;
  const long page = ::sysconf(_SC_PAGESIZE);
  return resident * static_cast<std::uint64_t>(page > 0 ? page : 4096);
}

}  // namespace

process_sample read_process() { return {std::nullopt, count_open_fds(), resident_bytes()}; }

std::string render_process(const process_sample& p) {
  std::string out;
  auto gauge = [&](std::string_view name, std::string_view help,
                   const std::optional<std::uint64_t>& v) {
    if (!v) return;
    prom::append_header(out, name, "gauge", help);
    prom::append_sample(out, name, {}, static_cast<double>(*v));
  };
  gauge("mc_actors_running", "Actors alive in the service (pollers, cache, supervisor, ...)",
        p.actors_running);
  gauge("process_open_fds", "Open file descriptors", p.open_fds);
  gauge("process_resident_memory_bytes", "Resident memory size in bytes", p.resident_bytes);
  return out;
}

}  // namespace mc::http::metrics
