#include "config/config_dir.hpp"

#include <algorithm>

#include "config/bundled_drivers.hpp"
#include "config/pool_config.hpp"
#include "config/yaml_fields.hpp"

namespace mc::config {

namespace fs = std::filesystem;

namespace {

bool inside(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q)
    if (q == p.end() || *r != *q) return false;
  return true;
}

// A file name as problems and JSON answers show it: bytes that are not UTF-8 become '?'.
std::string shown(std::string name) {
  for (std::size_t i = 0; (i += utf8_valid_prefix(std::string_view(name).substr(i))) < name.size();)
    name[i++] = '?';
  return name;
}

// Lists dir's entries that end in `suffix` and pass the skip rules; symlinks must stay
// inside the config dir.
std::vector<fs::path> list(const fs::path& config_dir, const std::string& sub,
                           const std::string& suffix, std::vector<problem>& reported) {
  std::vector<fs::path> out;
  std::error_code ec;
  const fs::path dir = config_dir / sub;
  if (!fs::is_directory(dir, ec)) return out;
  const fs::path root = fs::weakly_canonical(config_dir, ec);
  fs::directory_iterator it(dir, ec);
  if (ec) {
    reported.push_back({sub + "/", 0, "", "cannot list the directory: " + ec.message()});
    return out;
  }
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    const std::string rel = sub + "/" + shown(name);
    if (name.starts_with('.') || name.starts_with("TEMPLATE_") || name == "README.md") continue;
    if (!name.ends_with(suffix) || name.size() == suffix.size()) continue;
    if (utf8_valid_prefix(name) < name.size()) {  // it would reach JSON answers as it is
      reported.push_back({rel, 0, "", "skipped: the file name is not valid UTF-8"});
      continue;
    }
    if (entry.is_symlink(ec)) {
      const fs::path target = fs::weakly_canonical(entry.path(), ec);
      if (ec || !inside(root, target)) {
        reported.push_back({rel, 0, "", "skipped: a symlink that leaves the config dir"});
        continue;
      }
    }
    if (!entry.is_regular_file(ec)) continue;
    out.push_back(entry.path());
  }
  // All in one dir: the names decide, and comparing them as strings is far cheaper than
  // path's component-wise compare (10 000 pool files).
  std::sort(out.begin(), out.end(),
            [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); });
  return out;
}

void copy_matching(const fs::path& from, const fs::path& to, const std::string& suffix,
                   const std::string& rel, deploy_result& r) {
  std::error_code ec;
  if (!fs::is_directory(from, ec)) return;
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || !(name.ends_with(suffix) || name == "README.md")) continue;
    const fs::path target = to / name;
    if (fs::exists(target, ec)) continue;
    fs::copy_file(entry.path(), target, fs::copy_options::skip_existing, ec);
    if (ec)
      r.problems.push_back({rel + "/" + name, 0, "", "first run: cannot copy: " + ec.message()});
    else
      r.copied.push_back(rel + "/" + name);
  }
}

}  // namespace

scan_result scan_config_dir(const fs::path& config_dir) {
  scan_result r;
  r.driver_files = list(config_dir, "drivers", "_driver.so", r.reported);
  for (auto& p : list(config_dir, "pools", ".yaml", r.reported)) {
    if (valid_pool_id(p.stem().string()))
      r.pool_files.push_back(p);
    else
      r.reported.push_back({"pools/" + p.filename().string(), 0, "",
                            "skipped: file name must be a pool id: [a-z0-9][a-z0-9._-]{0,63}"});
  }
  std::vector<problem> ignored;  // an odd example file is not worth a warning
  for (auto& p : list(config_dir, "pools", ".yaml.example", ignored)) {
    const std::string name = p.filename().string();
    if (valid_pool_id(name.substr(0, name.size() - std::string_view(".yaml.example").size())))
      r.example_files.push_back(p);
  }
  return r;
}

deploy_result first_run_deploy(const fs::path& config_dir, const fs::path& bundled_dir,
                               const fs::path& bundled_drivers_dir) {
  deploy_result r;
  std::error_code ec;
  const fs::path drivers_from = !bundled_drivers_dir.empty() ? bundled_drivers_dir
                                : !bundled_dir.empty()       ? bundled_dir / "drivers"
                                                             : fs::path{};
  const fs::path pools_from = bundled_dir.empty() ? fs::path{} : bundled_dir / "pools";
  for (const auto& [sub, suffix, from] : {std::tuple{"drivers", "_driver.so", drivers_from},
                                          std::tuple{"pools", ".yaml.example", pools_from}}) {
    if (from.empty()) continue;
    const fs::path dir = config_dir / sub;
    if (fs::exists(dir, ec)) continue;
    fs::create_directories(dir, ec);
    if (ec) {
      r.problems.push_back(
          {std::string(sub) + "/", 0, "", "first run: cannot create: " + ec.message()});
      continue;
    }
    copy_matching(from, dir, suffix, sub, r);
  }
  auto drivers = update_bundled_drivers(config_dir, drivers_from);
  r.copied.insert(r.copied.end(), drivers.installed.begin(), drivers.installed.end());
  r.updated = std::move(drivers.updated);
  r.notes = std::move(drivers.notes);
  r.problems.insert(r.problems.end(), drivers.problems.begin(), drivers.problems.end());
  const fs::path example = config_dir / "config.yaml.example";
  if (!bundled_dir.empty() && fs::exists(bundled_dir / "config.yaml.example", ec) &&
      !fs::exists(example, ec)) {
    fs::copy_file(bundled_dir / "config.yaml.example", example, ec);
    if (!ec) r.copied.push_back("config.yaml.example");
  }
  return r;
}

}  // namespace mc::config
