#include "config/bundled_drivers.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include "config/atomic_file.hpp"
#include "config/pool_config.hpp"

namespace mc::config {

namespace fs = std::filesystem;

namespace {

// Every start reads each bundled driver and its installed copy (a few MB): one buffer of the
// file's size, no limit.
std::optional<std::string> read_all(const fs::path& p) {
  std::string error;
  return read_small_file(p, std::numeric_limits<std::size_t>::max() - 1, error);
}

// FNV-1a: tells a copy the service installed from one changed since; not a defence against
// someone who can write the config dir anyway.
std::string hash_of(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ull;
  char hex[17];
  for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = "0123456789abcdef"[h & 0xf];
  hex[16] = '\0';
  return hex;
}

using listed = std::map<std::string, std::string>;  // file name -> hash, or not_installed

// A bundled driver known here but not installed by the service (absent, or the user's own
// file when the list was made): it is never installed later, and its file is the user's.
constexpr std::string_view not_installed = "----------------";

std::optional<listed> read_list(const fs::path& file) {
  auto text = read_all(file);
  if (!text) return std::nullopt;
  listed out;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    const auto space = line.find(' ');
    if (line.empty() || line[0] == '#' || space != 16) continue;
    out[line.substr(space + 1)] = line.substr(0, space);
  }
  return out;
}

std::string list_text(const listed& l) {
  std::string out =
      "# Driver files miner-controller installed here from its bundled drivers, with a hash\n"
      "# of each. A file still matching its hash is replaced when the bundled driver changes;\n"
      "# one you changed or removed is left alone.\n";
  for (const auto& [name, hash] : l) out += hash + " " + name + "\n";
  return out;
}

unsigned mode_of(const fs::path& p) {
  std::error_code ec;
  const auto perms = fs::status(p, ec).permissions();
  return ec ? 0644u : static_cast<unsigned>(perms) & 0777u;
}

}  // namespace

driver_update_result update_bundled_drivers(const fs::path& config_dir,
                                            const fs::path& bundled_drivers_dir) {
  driver_update_result r;
  std::error_code ec;
  const fs::path dir = config_dir / "drivers";
  if (bundled_drivers_dir.empty() || !fs::is_directory(bundled_drivers_dir, ec) ||
      !fs::is_directory(dir, ec))
    return r;
  const fs::path list_file = dir / bundled_list_name;
  const auto previous = read_list(list_file);
  listed next = previous.value_or(listed{});
  std::error_code list_ec;
  fs::directory_iterator bundled_files(bundled_drivers_dir, list_ec);
  if (list_ec) {
    r.problems.push_back({"drivers/", 0, "",
                          "cannot list the bundled drivers in " + bundled_drivers_dir.string() +
                              ": " + list_ec.message()});
    return r;
  }
  for (const auto& entry : bundled_files) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with("_driver.so") || !entry.is_regular_file(ec)) continue;
    const std::string rel = "drivers/" + name;
    const auto bundled = read_all(entry.path());
    if (!bundled) {
      r.problems.push_back({rel, 0, "", "cannot read the bundled driver " + entry.path().string()});
      continue;
    }
    const std::string bundled_hash = hash_of(*bundled);
    const fs::path target = dir / name;
    const auto was = previous ? previous->find(name) : listed::const_iterator{};
    const bool was_listed = previous && was != previous->end();
    if (!fs::exists(target, ec)) {
      if (!previous || was_listed) {  // removed here (or before the list): stays removed
        next.emplace(name, not_installed);
        continue;
      }
      if (auto err = write_file_atomic(target, *bundled, mode_of(entry.path()), true);
          !err.empty()) {
        r.problems.push_back({rel, 0, "", "cannot install the bundled driver: " + err});
        continue;
      }
      r.installed.push_back(rel);
      next[name] = bundled_hash;
      continue;
    }
    const auto current = read_all(target);
    if (!current) {
      r.problems.push_back({rel, 0, "", "cannot read it to compare with the bundled driver"});
      continue;
    }
    if (*current == *bundled) {
      next[name] = bundled_hash;
      continue;
    }
    const std::string current_hash = hash_of(*current);
    if (previous && (!was_listed || was->second != current_hash)) {
      r.notes.push_back(rel + " differs from the bundled driver and was changed here: kept (the " +
                        "bundled one is " + entry.path().string() + ")");
      next.emplace(name, not_installed);
      continue;
    }
    if (!previous) {  // deployed before the list existed: keep the old bytes aside
      const auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
      const std::string old = "." + name + "." + std::to_string(stamp) + ".old";
      if (auto err = write_file_atomic(dir / old, *current, mode_of(target), true); !err.empty()) {
        r.problems.push_back({rel, 0, "", "cannot keep the old copy before updating it: " + err});
        continue;
      }
      r.notes.push_back(rel + ": the copy it replaced is kept as drivers/" + old);
    }
    if (auto err = write_file_atomic(target, *bundled); !err.empty()) {
      r.problems.push_back({rel, 0, "", "cannot update to the bundled driver: " + err});
      continue;
    }
    r.updated.push_back(rel);
    next[name] = bundled_hash;
  }
  if (!previous || next != *previous) {
    if (auto err = write_file_atomic(list_file, list_text(next)); !err.empty())
      r.problems.push_back({std::string("drivers/") + bundled_list_name, 0, "", err});
  }
  return r;
}

}  // namespace mc::config
