#include "app/options.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <string_view>

namespace mc::app {

namespace fs = std::filesystem;

namespace {

constexpr const char* usage = R"(miner-controller: polls mining-pool APIs and serves dashboard tiles

Usage: miner-controller [options]
  --config DIR        config directory (default /config): config.yaml, drivers/, pools/
  --listen HOST:PORT  HTTP address (default: $MC_LISTEN, else server.listen of config.yaml,
                      else 0.0.0.0:8080); port 0 picks a free port, printed as
                      "Listening on http://HOST:PORT"
  --bundled DIR       bundled drivers and example pools copied in on first run (default:
                      $MC_BUNDLED_DIR, else found beside the binary)
  --web DIR           the built web UI served at /app/ (default: $MC_WEB_DIR, else the
                      bundled dir's web/, when it is built)
  --ca-file FILE      PEM certificates trusted besides the system store (local pools with
                      their own CA)
  --io-threads N      threads of the HTTP server (default 2)
  --poll-threads N    threads of the actors and the pool API client (default 1: a poll then
                      never wakes a second thread; 1 000 pools at 30 s use ~1 % of one)
  --poll-gather-ms N  after handling what is ready, a poll thread lets events gather for N ms
                      (default 10) and handles them with one wake-up, while most such
                      pauses catch an event; 0 wakes per event
  --timer-slack-ms N  actor timers (polls, publishes) fire on the next multiple of N ms, so
                      many pools' timers share one wake-up (default 1000; 0: exact)
  --max-in-flight-per-host N
                      requests at once to one pool API origin (scheme://host:port; default
                      4, 1..64); more wait in a queue for that origin
  --help, --version
)";

// A whole number in lo..hi; otherwise says so on stderr and returns false.
bool parse_int(const std::string& arg, const std::string& v, int lo, int hi, int& out) {
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec == std::errc{} && p == v.data() + v.size() && out >= lo && out <= hi) return true;
  std::cerr << "miner-controller: " << arg << " must be " << lo << ".." << hi << "\n";
  return false;
}

// The whole-number options and their ranges.
struct int_option {
  std::string_view name;
  int lo;
  int hi;
  int options::*field;
};
constexpr int_option int_options[] = {
    {"--io-threads", 1, 64, &options::io_threads},
    {"--poll-threads", 1, 64, &options::poll_threads},
    {"--poll-gather-ms", 0, 1000, &options::poll_gather_ms},
    {"--timer-slack-ms", 0, 1000, &options::timer_slack_ms},
    {"--max-in-flight-per-host", 1, 64, &options::max_in_flight_per_host},
};

const int_option* int_option_named(std::string_view name) {
  for (const auto& n : int_options)
    if (n.name == name) return &n;
  return nullptr;
}

}  // namespace

std::optional<options> parse_options(int argc, char** argv, int& exit_code) {
  options o;
  exit_code = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool value_missing = false;
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 < argc) return std::string(argv[++i]);
      std::cerr << "miner-controller: " << arg << " needs a value\n";
      value_missing = true;
      return std::nullopt;
    };
    std::optional<std::string> v;
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return std::nullopt;
    } else if (arg == "--version") {
      std::cout << "miner-controller 0.1.0\n";
      return std::nullopt;
    } else if (arg == "--config" && (v = value())) {
      o.config_dir = *v;
    } else if (arg == "--listen" && (v = value())) {
      o.listen = *v;
    } else if (arg == "--bundled" && (v = value())) {
      o.bundled_dir = *v;
    } else if (arg == "--web" && (v = value())) {
      o.web_dir = *v;
    } else if (arg == "--ca-file" && (v = value())) {
      o.extra_ca_file = *v;
    } else if (const auto* n = int_option_named(arg); n && (v = value())) {
      if (!parse_int(arg, *v, n->lo, n->hi, o.*(n->field))) {
        exit_code = 2;
        return std::nullopt;
      }
    } else {
      if (!value_missing) std::cerr << "miner-controller: unknown option " << arg << "\n" << usage;
      exit_code = 2;
      return std::nullopt;
    }
  }
  const bool from_env = o.listen.empty();
  if (const char* env = std::getenv("MC_LISTEN"); from_env && env) o.listen = env;
  if (const char* env = std::getenv("MC_WEB_DIR"); o.web_dir.empty() && env) o.web_dir = env;
  if (!o.listen.empty() && !split_listen(o.listen)) {
    std::cerr << "miner-controller: " << (from_env ? "MC_LISTEN" : "--listen")
              << " must be HOST:PORT, got " << o.listen << "\n";
    exit_code = 2;
    return std::nullopt;
  }
  return o;
}

std::optional<std::pair<std::string, unsigned short>> split_listen(const std::string& listen) {
  std::string host;
  std::string port;
  if (!listen.empty() && listen.front() == '[') {
    auto close = listen.find("]:");
    if (close == std::string::npos) return std::nullopt;
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  unsigned p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (host.empty() || ec != std::errc{} || end != port.data() + port.size() || p > 65535)
    return std::nullopt;
  return std::pair{host, static_cast<unsigned short>(p)};
}

namespace {

// The install prefix of an installed binary: its dir minus the components of bindir.
fs::path install_prefix(const fs::path& exe) {
  fs::path prefix = exe.parent_path();
  for (const auto& part : fs::path(MC_INSTALL_BINDIR)) {
    if (part.empty() || part == ".") continue;
    prefix = prefix.parent_path();
  }
  return prefix;
}

fs::path under(const fs::path& prefix, const fs::path& rel) {
  return rel.is_absolute() ? rel : prefix / rel;
}

fs::path existing_dir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec) ? fs::weakly_canonical(dir, ec) : fs::path{};
}

fs::path installed_drivers(const fs::path& exe) {
  const fs::path prefix = install_prefix(exe);
  for (const auto& dir :
       {under(prefix, MC_INSTALL_DRIVERS_DIR), under(prefix, MC_INSTALL_SHARE_DIR) / "drivers"})
    if (auto found = existing_dir(dir); !found.empty()) return found;
  return {};
}

bundled_paths find_dirs(const fs::path& requested, const fs::path& exe) {
  if (!requested.empty()) {
    auto drivers = existing_dir(requested / "drivers");
    if (drivers.empty()) drivers = installed_drivers(exe);
    return {requested, drivers, {}};
  }
  if (auto build_tree = existing_dir(exe.parent_path() / "../bundled");
      !build_tree.empty() && fs::is_directory(build_tree / "drivers"))
    return {build_tree, build_tree / "drivers", {}};
  return {
      existing_dir(under(install_prefix(exe), MC_INSTALL_SHARE_DIR)), installed_drivers(exe), {}};
}

}  // namespace

bundled_paths find_bundled_for(const fs::path& requested, const fs::path& exe) {
  auto found = find_dirs(requested, exe);
  // In the build tree bundled/web is a symlink to web/dist, a directory once the UI is built.
  std::error_code ec;
  if (!found.dir.empty() && fs::is_regular_file(found.dir / "web" / "index.html", ec))
    found.web = existing_dir(found.dir / "web");
  return found;
}

bundled_paths find_bundled(const fs::path& requested, const char* argv0) {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) exe = fs::absolute(argv0, ec);
  if (requested.empty())
    if (const char* env = std::getenv("MC_BUNDLED_DIR"); env && *env)
      return find_bundled_for(env, exe);
  return find_bundled_for(requested, exe);
}

}  // namespace mc::app
