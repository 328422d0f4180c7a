#define BOOST_TEST_MODULE config dir
#include "config/config_dir.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "config/atomic_file.hpp"

namespace fs = std::filesystem;
using namespace mc::config;

namespace {

struct temp_dir {
  fs::path path = fs::temp_directory_path() / ("mc_config_dir_test_" + std::to_string(::getpid()));
  temp_dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() { fs::remove_all(path); }
  void write(const std::string& rel, const std::string& text = "x") {
    fs::create_directories((path / rel).parent_path());
    std::ofstream{path / rel} << text;
  }
  std::string read(const std::string& rel) {
    std::ifstream in(path / rel);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

std::vector<std::string> names(const std::vector<fs::path>& v) {
  std::vector<std::string> out;
  for (auto& p : v) out.push_back(p.filename().string());
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(dir, temp_dir)

BOOST_AUTO_TEST_CASE(only_yaml_pools_and_driver_plugins_load) {
  for (auto f :
       {"pools/b.yaml", "pools/a.yaml", "pools/README.md", "pools/TEMPLATE_x.yaml",
        "pools/c.yaml.example", "pools/.hidden.yaml", "pools/notes.txt", "pools/Bad Name.yaml",
        "drivers/solopool_driver.so", "drivers/readme.txt", "drivers/other.so"})
    write(f);
  fs::create_directories(path / "pools/sub.yaml");
  fs::create_symlink(path / "pools/a.yaml", path / "pools/inside.yaml");
  write("../mc_outside_target.yaml");
  fs::create_symlink(path.parent_path() / "mc_outside_target.yaml", path / "pools/outside.yaml");
  auto r = scan_config_dir(path);
  BOOST_TEST(names(r.pool_files) == (std::vector<std::string>{"a.yaml", "b.yaml", "inside.yaml"}),
             boost::test_tools::per_element());
  BOOST_TEST(names(r.driver_files) == std::vector<std::string>{"solopool_driver.so"},
             boost::test_tools::per_element());
  BOOST_REQUIRE(r.reported.size() == 2u);
  std::vector<std::string> reported{r.reported[0].to_string(), r.reported[1].to_string()};
  std::sort(reported.begin(), reported.end());
  BOOST_TEST(
      reported[0] ==
      "pools/Bad Name.yaml: skipped: file name must be a pool id: [a-z0-9][a-z0-9._-]{0,63}");
  BOOST_TEST(reported[1] == "pools/outside.yaml: skipped: a symlink that leaves the config dir");
  fs::remove(path.parent_path() / "mc_outside_target.yaml");
}

// Issue 7: a file name that is not UTF-8 would reach JSON answers (GET /api/drivers) as it is.
BOOST_AUTO_TEST_CASE(file_names_that_are_not_utf8_are_skipped_and_shown_with_question_marks) {
  write("pools/caf\xe9.yaml");
  write("drivers/\xff_driver.so");
  write("pools/ok.yaml");
  auto r = scan_config_dir(path);
  BOOST_TEST(names(r.pool_files) == std::vector<std::string>{"ok.yaml"},
             boost::test_tools::per_element());
  BOOST_TEST(r.driver_files.empty());
  std::vector<std::string> reported;
  for (const auto& p : r.reported) reported.push_back(p.to_string());
  std::sort(reported.begin(), reported.end());
  BOOST_TEST(reported == (std::vector<std::string>{
                             "drivers/?_driver.so: skipped: the file name is not valid UTF-8",
                             "pools/caf?.yaml: skipped: the file name is not valid UTF-8"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(first_run_copies_bundled_files_and_never_overwrites) {
  temp_dir bundled;
  bundled.path += "_bundled";
  fs::create_directories(bundled.path);
  bundled.write("drivers/solopool_driver.so", "plugin");
  bundled.write("pools/solopool-dgb-eu1.yaml.example", "example");
  bundled.write("pools/README.md", "readme");
  bundled.write("config.yaml.example", "settings");
  auto r = first_run_deploy(path, bundled.path);
  BOOST_TEST(r.problems.empty());
  BOOST_TEST(r.copied.size() == 4u);
  BOOST_TEST(read("pools/solopool-dgb-eu1.yaml.example") == "example");
  BOOST_TEST(read("drivers/solopool_driver.so") == "plugin");

  // Second run, with user files: nothing is touched.
  write("pools/solopool-dgb-eu1.yaml.example", "edited by the user");
  fs::remove(path / "drivers/solopool_driver.so");
  r = first_run_deploy(path, bundled.path);
  BOOST_TEST(r.copied.empty());  // drivers/ exists: the user removed the file on purpose
  BOOST_TEST(read("pools/solopool-dgb-eu1.yaml.example") == "edited by the user");
  fs::remove_all(bundled.path);
}

BOOST_AUTO_TEST_CASE(first_run_takes_drivers_from_their_own_dir_when_installed_apart) {
  // Installed: share/miner-controller holds pools/ and config.yaml.example, the drivers live
  // under lib/.../miner-controller/drivers.
  const fs::path share = path.string() + "_share";
  const fs::path lib = path.string() + "_lib";
  fs::create_directories(share / "pools");
  fs::create_directories(lib);
  std::ofstream{share / "pools" / "ckpool-btc-local.yaml.example"} << "example";
  std::ofstream{share / "config.yaml.example"} << "settings";
  std::ofstream{lib / "ckpool_driver.so"} << "plugin";
  auto r = first_run_deploy(path, share, lib);
  BOOST_TEST(r.problems.empty());
  std::sort(r.copied.begin(), r.copied.end());
  BOOST_TEST(
      r.copied == (std::vector<std::string>{"config.yaml.example", "drivers/ckpool_driver.so",
                                            "pools/ckpool-btc-local.yaml.example"}),
      boost::test_tools::per_element());
  fs::remove_all(share);

  // Only drivers known: pools/ stays as it is (nothing is read relative to the working dir).
  temp_dir other;
  other.path += "_2";
  fs::create_directories(other.path);
  r = first_run_deploy(other.path, {}, lib);
  BOOST_TEST(r.copied == std::vector<std::string>{"drivers/ckpool_driver.so"},
             boost::test_tools::per_element());
  BOOST_TEST(!fs::exists(other.path / "pools"));
  fs::remove_all(other.path);
  fs::remove_all(lib);
}

BOOST_AUTO_TEST_CASE(atomic_writes_replace_whole_files_and_leave_no_temp_files) {
  write("pools/a.yaml", "old");
  BOOST_TEST(write_file_atomic(path / "pools/a.yaml", "new content") == "");
  BOOST_TEST(read("pools/a.yaml") == "new content");
  int files = 0;
  for (auto& e : fs::directory_iterator(path / "pools")) files += e.is_regular_file();
  BOOST_TEST(files == 1);
}

BOOST_AUTO_TEST_CASE(a_failed_atomic_write_keeps_the_old_file) {
  write("pools/a.yaml", "old");
  write("blocker", "a regular file where a directory should be");
  auto err = write_file_atomic(path / "blocker/a.yaml", "new");
  BOOST_TEST(!err.empty());
  BOOST_TEST(err.find("cannot create a temp file") != std::string::npos, err);
  // Renaming a file over a directory fails after the temp file exists: it is removed again.
  fs::create_directories(path / "pools/dir.yaml");
  err = write_file_atomic(path / "pools/dir.yaml", "new");
  BOOST_TEST(err.find("cannot replace") != std::string::npos, err);
  int files = 0;
  for (auto& e : fs::directory_iterator(path / "pools")) files += e.is_regular_file();
  BOOST_TEST(files == 1);
  BOOST_TEST(read("pools/a.yaml") == "old");
}

BOOST_AUTO_TEST_SUITE_END()
