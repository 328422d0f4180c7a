#define BOOST_TEST_MODULE driver loader
#include "drivers/loader.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace mc::drivers;

namespace {

const fs::path plugins{MC_TEST_PLUGIN_DIR};
const fs::path solopool = fs::path{MC_BUNDLED_DIR} / "drivers" / "solopool_driver.so";

std::string reason_of(const fs::path& file) {
  auto r = load_driver(file);
  BOOST_REQUIRE(std::holds_alternative<load_failure>(r));
  auto& f = std::get<load_failure>(r);
  BOOST_TEST(f.file == file);
  return f.reason;
}

}  // namespace

BOOST_AUTO_TEST_CASE(loads_the_bundled_solopool_driver) {
  auto r = load_driver(solopool);
  BOOST_REQUIRE(std::holds_alternative<loaded_driver>(r));
  const auto& d = std::get<loaded_driver>(r);
  BOOST_TEST(d.info.type == "solopool");
  BOOST_TEST(d.info.display_name == "Solopool.org");
  BOOST_TEST(d.info.supported_coins.size() == 4u);
  BOOST_TEST(d.instance->describe().version == d.info.version);
}

BOOST_AUTO_TEST_CASE(rejects_a_file_that_is_not_a_shared_object) {
  auto tmp = fs::temp_directory_path() / "mc_loader_test_text_driver.so";
  std::ofstream{tmp} << "not an ELF file\n";
  BOOST_TEST(reason_of(tmp).find("not a loadable shared object") != std::string::npos);
  fs::remove(tmp);
}

BOOST_AUTO_TEST_CASE(rejects_a_missing_file) {
  BOOST_TEST(reason_of(plugins / "absent_driver.so").find("not a loadable") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rejects_a_library_without_the_entry_point) {
  BOOST_TEST(reason_of(plugins / "no_entry_driver.so").find("missing entry point mc_driver_abi") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(rejects_another_abi_version_before_calling_the_factory) {
  // The factory of this plugin traps: reaching it would abort the test.
  auto reason = reason_of(plugins / "bad_abi_driver.so");
  BOOST_TEST(reason.find("driver ABI version 4, this program needs 3") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(turns_a_throwing_factory_into_a_load_failure) {
  BOOST_TEST(reason_of(plugins / "throwing_driver.so") ==
             "driver factory threw: cannot open its data file");
}

BOOST_AUTO_TEST_CASE(rejects_a_duplicate_type_and_keeps_the_rest) {
  auto copy = fs::temp_directory_path() / "mc_loader_test_copy_driver.so";
  fs::copy_file(solopool, copy, fs::copy_options::overwrite_existing);
  auto r = load_drivers({solopool, plugins / "throwing_driver.so", copy});
  BOOST_REQUIRE(r.loaded.size() == 1u);
  BOOST_TEST(r.loaded[0].info.type == "solopool");
  BOOST_REQUIRE(r.rejected.size() == 2u);
  BOOST_TEST(r.rejected[1].file == copy);
  BOOST_TEST(r.rejected[1].reason ==
             "duplicate driver type \"solopool\": already loaded from solopool_driver.so");
  fs::remove(copy);
}

BOOST_AUTO_TEST_CASE(the_library_stays_loaded_while_a_driver_is_held) {
  std::shared_ptr<const mc::driver> held;
  {
    auto r = load_drivers({solopool});
    held = r.loaded.at(0).instance;
  }
  BOOST_TEST(held->describe().type == "solopool");
}
