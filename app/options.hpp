// Command-line options of miner-controller.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace mc::app {

struct options {
  std::filesystem::path config_dir = "/config";
  std::string listen;  // empty: $MC_LISTEN, else config.yaml server.listen, else 0.0.0.0:8080
  std::filesystem::path bundled_dir;  // empty: found beside the executable
  std::filesystem::path web_dir;      // empty: $MC_WEB_DIR, else <bundled dir>/web if built
  std::string extra_ca_file;          // PEM trusted besides the system CA store
  int io_threads = 2;
  int poll_threads = 1;
  int poll_gather_ms = 10;         // see actors::run_gathered
  int timer_slack_ms = 1000;       // see actors::run_actors_on
  int max_in_flight_per_host = 4;  // see http::client_options
};

/// Parses argv; on --help, --version or an error it returns nullopt after printing to `out`
/// (stdout for help, stderr for errors) and sets exit_code.
std::optional<options> parse_options(int argc, char** argv, int& exit_code);

/// Splits "host:port" or "[v6]:port"; nullopt when malformed.
std::optional<std::pair<std::string, unsigned short>> split_listen(const std::string& listen);

/// The files the program ships with, copied into the config dir on first run.
struct bundled_paths {
  std::filesystem::path dir;      // pools/*.yaml.example, pools/README.md, config.yaml.example
  std::filesystem::path drivers;  // the bundled *_driver.so
  std::filesystem::path web;      // the built web UI (<dir>/web), empty when not built
};

/// Where the bundled files are, in this order:
///  1. `requested` (--bundled DIR), else $MC_BUNDLED_DIR: DIR, drivers in DIR/drivers (when
///     DIR has none: the installed drivers beside the binary, if any);
///  2. the build tree: <exe dir>/../bundled, holding drivers/ too;
///  3. an installed tree: with prefix = the exe's dir minus `bin`,
///     <prefix>/share/miner-controller and <prefix>/<libdir>/miner-controller/drivers
///     (<libdir> as configured: lib, or lib/<multiarch> for a /usr install on Debian);
///     a drivers/ inside share/miner-controller is taken too.
/// `web` is <dir>/web when it holds an index.html (in the build tree a link to web/dist).
/// A part that is not found is empty (no first-run deploy of it).
bundled_paths find_bundled(const std::filesystem::path& requested, const char* argv0);

/// find_bundled for a given executable path and without the environment (tests).
bundled_paths find_bundled_for(const std::filesystem::path& requested,
                               const std::filesystem::path& exe);

}  // namespace mc::app
