// Command-line options of miner-controller.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace mc::app {

struct options {
  std::filesystem::path config_dir = "/config";
  std::string listen;                 // empty: config.yaml server.listen, else 0.0.0.0:8080
  std::filesystem::path bundled_dir;  // empty: found beside the executable
  std::string extra_ca_file;          // PEM trusted besides the system CA store
  int io_threads = 2;
};

/// Parses argv; on --help, --version or an error it returns nullopt after printing to `out`
/// (stdout for help, stderr for errors) and sets exit_code.
std::optional<options> parse_options(int argc, char** argv, int& exit_code);

/// Splits "host:port" or "[v6]:port"; nullopt when malformed.
std::optional<std::pair<std::string, unsigned short>> split_listen(const std::string& listen);

/// The bundled drivers/pools tree: --bundled, $MC_BUNDLED_DIR, <exe>/../bundled (build tree),
/// <exe>/../share/miner-controller (installed). Empty when none exists.
std::filesystem::path find_bundled_dir(const std::filesystem::path& requested, const char* argv0);

}  // namespace mc::app
