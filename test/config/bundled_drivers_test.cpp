#define BOOST_TEST_MODULE bundled drivers
#include "config/bundled_drivers.hpp"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "config/config_dir.hpp"

namespace fs = std::filesystem;
using namespace mc::config;

namespace {

void put(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream{file, std::ios::binary} << text;
}

std::string get(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A config dir deployed from a bundled tree whose drivers can be "upgraded".
struct dirs {
  fs::path root = fs::temp_directory_path() / ("mc_bundled_drivers_" + std::to_string(::getpid()));
  fs::path config = root / "config";
  fs::path bundled = root / "bundled";
  dirs() {
    fs::remove_all(root);
    put(bundled / "drivers/solopool_driver.so", "solopool v1");
    put(bundled / "drivers/ckpool_driver.so", "ckpool v1");
    fs::create_directories(config);
  }
  ~dirs() { fs::remove_all(root); }
  std::string deployed(const std::string& name) { return get(config / "drivers" / name); }
  driver_update_result start() { return update_bundled_drivers(config, bundled / "drivers"); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bundled, dirs)

BOOST_AUTO_TEST_CASE(an_upgrade_replaces_the_copies_the_service_installed) {
  auto first = first_run_deploy(config, bundled);
  BOOST_TEST(first.copied.size() == 2u);
  BOOST_TEST(fs::exists(config / "drivers" / bundled_list_name));
  BOOST_TEST(start().updated.empty());  // nothing changed

  put(bundled / "drivers/solopool_driver.so", "solopool v2");
  auto r = start();
  BOOST_TEST(r.updated == std::vector<std::string>{"drivers/solopool_driver.so"},
             boost::test_tools::per_element());
  BOOST_TEST(r.notes.empty());
  BOOST_TEST(r.problems.empty());
  BOOST_TEST(deployed("solopool_driver.so") == "solopool v2");
  BOOST_TEST(deployed("ckpool_driver.so") == "ckpool v1");

  // The list now holds v2's hash: the next upgrade replaces it again.
  put(bundled / "drivers/solopool_driver.so", "solopool v3");
  BOOST_TEST(start().updated.size() == 1u);
  BOOST_TEST(deployed("solopool_driver.so") == "solopool v3");
  BOOST_TEST(start().updated.empty());
}

BOOST_AUTO_TEST_CASE(a_copy_changed_here_is_kept_and_one_removed_here_stays_removed) {
  first_run_deploy(config, bundled);
  put(config / "drivers/solopool_driver.so", "my own build");
  fs::remove(config / "drivers/ckpool_driver.so");
  put(bundled / "drivers/solopool_driver.so", "solopool v2");
  put(bundled / "drivers/ckpool_driver.so", "ckpool v2");
  for (int run = 0; run < 2; ++run) {
    auto r = start();
    BOOST_TEST(r.updated.empty());
    BOOST_TEST(r.installed.empty());
    BOOST_REQUIRE(r.notes.size() == 1u);
    BOOST_TEST(r.notes[0].find("drivers/solopool_driver.so differs from the bundled driver and "
                               "was changed here: kept") == 0u);
    BOOST_TEST(deployed("solopool_driver.so") == "my own build");
    BOOST_TEST(!fs::exists(config / "drivers/ckpool_driver.so"));
  }
}

BOOST_AUTO_TEST_CASE(a_new_bundled_driver_is_installed) {
  first_run_deploy(config, bundled);
  put(bundled / "drivers/mmfp_driver.so", "mmfp v1");
  auto r = start();
  BOOST_TEST(r.installed == std::vector<std::string>{"drivers/mmfp_driver.so"},
             boost::test_tools::per_element());
  BOOST_TEST(deployed("mmfp_driver.so") == "mmfp v1");
  fs::remove(config / "drivers/mmfp_driver.so");
  BOOST_TEST(start().installed.empty());  // listed now: removing it is the user's choice
}

BOOST_AUTO_TEST_CASE(copies_deployed_before_the_list_existed_are_updated_and_the_old_kept) {
  // An older build deployed these, without drivers/.bundled.
  put(config / "drivers/solopool_driver.so", "solopool v0");
  put(config / "drivers/ckpool_driver.so", "ckpool v1");
  put(config / "drivers/own_driver.so", "the user's own driver");
  put(bundled / "drivers/mmfp_driver.so", "mmfp v1");  // bundled, but not deployed here
  auto r = start();
  BOOST_TEST(r.updated == std::vector<std::string>{"drivers/solopool_driver.so"},
             boost::test_tools::per_element());
  BOOST_TEST(deployed("solopool_driver.so") == "solopool v1");
  BOOST_TEST(deployed("own_driver.so") == "the user's own driver");
  BOOST_REQUIRE(r.notes.size() == 1u);
  const auto at = r.notes[0].find("drivers/.solopool_driver.so.");
  BOOST_REQUIRE(at != std::string::npos);
  const auto old = r.notes[0].substr(at);
  BOOST_TEST(get(config / old) == "solopool v0");
  // The old copy is a dot-file: it never loads.
  auto scan = scan_config_dir(config);
  BOOST_TEST(scan.driver_files.size() == 3u);
  for (const auto& f : scan.driver_files) BOOST_TEST(f.filename().string().front() != '.');
  // ckpool's copy matched; mmfp was not there: it stays away on later starts.
  BOOST_TEST(r.installed.empty());
  BOOST_TEST(start().installed.empty());
  BOOST_TEST(!fs::exists(config / "drivers/mmfp_driver.so"));
  // Now listed: a later change here is the user's.
  put(config / "drivers/ckpool_driver.so", "patched");
  auto again = start();
  BOOST_TEST(again.updated.empty());
  BOOST_TEST(deployed("ckpool_driver.so") == "patched");
}

BOOST_AUTO_TEST_CASE(nothing_happens_without_a_bundled_tree_or_a_drivers_dir) {
  BOOST_TEST(update_bundled_drivers(config, {}).updated.empty());
  auto r = start();  // config/drivers does not exist: the first-run deploy's job
  BOOST_TEST(r.installed.empty());
  BOOST_TEST(r.problems.empty());
  BOOST_TEST(!fs::exists(config / "drivers"));
}

BOOST_AUTO_TEST_SUITE_END()
