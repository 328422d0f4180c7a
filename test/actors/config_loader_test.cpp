#define BOOST_TEST_MODULE config_loader
#include "actors/config_loader.hpp"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace mc::actors;

namespace {

// A pools/ dir with good, disabled and broken files of every kind the loader tells apart.
struct pools_dir {
  fs::path dir =
      fs::temp_directory_path() / ("mc_config_loader_test_" + std::to_string(::getpid()));
  std::vector<fs::path> files;
  mc::config::settings settings;
  mc::drivers::driver_set drivers;

  explicit pools_dir(int n) {
    fs::remove_all(dir);
    fs::create_directories(dir / "pools");
    drivers.update({fs::path{MC_BUNDLED_DIR} / "drivers/solopool_driver.so"});
    settings.wallets["BCH"] = "bch-wallet-from-config";
    for (int i = 0; i < n; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "p%04d.yaml", i);
      files.push_back(dir / "pools" / name);
      std::ofstream{files.back()} << text(i);
    }
    files.push_back(dir / "pools/missing.yaml");  // gone between the scan and the read
  }
  ~pools_dir() { fs::remove_all(dir); }

  static std::string text(int i) {
    const std::string good = "driver: solopool\ndisplay_name: P" + std::to_string(i) +
                             "\nurl: eu1.solopool.org\nport: " + std::to_string(3000 + i) + "\n";
    switch (i % 7) {
      case 0:
        return good + "coin: DGB\nwallet: w" + std::to_string(i) + "\n";
      case 1:
        return good + "coin: BCH\nenabled: false\n";  // wallet from config.yaml
      case 2:
        return good + "coin: DGB\nport: 1\n";  // duplicate key
      case 3:
        return "driver: braiins\ndisplay_name: B\nurl: x\nport: 70000\ncoin: BTC\n";
      case 4:
        return "driver: [solopool\n";  // not YAML
      case 5:
        return good + "coin: LTC\n";  // no wallet: a warning
      default:
        return good + "coin: DGB\nwallet: w\nextra_field: {a: [1, 2]}\n";
    }
  }
};

void check_same(const checked_pool& a, const checked_pool& b) {
  BOOST_TEST(a.entry.pool_id == b.entry.pool_id);
  BOOST_TEST(a.entry.file == b.entry.file);
  BOOST_TEST(to_string(a.entry.status) == to_string(b.entry.status));
  BOOST_TEST(a.entry.reasons == b.entry.reasons);
  BOOST_TEST(a.entry.warnings == b.entry.warnings);
  BOOST_TEST(a.entry.driver_display_name == b.entry.driver_display_name);
  BOOST_TEST(same_config(a.entry.config, b.entry.config));
  BOOST_REQUIRE(a.problems.size() == b.problems.size());
  for (std::size_t i = 0; i < a.problems.size(); ++i)
    BOOST_TEST(a.problems[i].to_string() == b.problems[i].to_string());
}

}  // namespace

BOOST_AUTO_TEST_CASE(checking_on_several_threads_gives_the_files_order_and_the_same_results) {
  pools_dir d(500);
  std::vector<checked_pool> one_by_one;
  for (const auto& f : d.files) one_by_one.push_back(check_pool_file(f, d.settings, d.drivers));
  // Every outcome is there, or the comparison below would prove little.
  std::map<mc::config::pool_status, int> statuses;
  for (const auto& c : one_by_one) ++statuses[c.entry.status];
  BOOST_TEST(statuses[mc::config::pool_status::active] > 100);
  BOOST_TEST(statuses[mc::config::pool_status::disabled] > 50);
  BOOST_TEST(statuses[mc::config::pool_status::rejected] > 200);
  BOOST_TEST(one_by_one[1].entry.config.wallet == "bch-wallet-from-config");
  BOOST_TEST(one_by_one[5].entry.warnings.size() == 1u);
  BOOST_TEST(one_by_one.back().problems.at(0).to_string() ==
             "pools/missing.yaml: cannot read the file");

  for (unsigned threads : {0u, 1u, 2u, 7u}) {
    BOOST_TEST_CONTEXT("threads " << threads) {
      const auto all = check_pool_files(d.files, d.settings, d.drivers, {}, threads);
      BOOST_REQUIRE(all.size() == one_by_one.size());
      for (std::size_t i = 0; i < all.size(); ++i) check_same(all[i], one_by_one[i]);
    }
  }
}

BOOST_AUTO_TEST_CASE(fewer_files_than_threads_and_no_files_at_all) {
  pools_dir d(3);
  const auto few = check_pool_files(d.files, d.settings, d.drivers, {}, 8);
  BOOST_REQUIRE(few.size() == 4u);
  BOOST_TEST(few[0].entry.pool_id == "p0000");
  BOOST_TEST(few[3].entry.pool_id == "missing");
  BOOST_TEST(check_pool_files({}, d.settings, d.drivers, {}, 8).empty());
}

BOOST_AUTO_TEST_CASE(a_file_whose_text_hash_reuse_knows_takes_the_entry_it_gives) {
  pools_dir d(70);
  const auto first = check_pool_files(d.files, d.settings, d.drivers, {}, 2);
  BOOST_TEST(first[3].text_hash.value() == std::hash<std::string>{}(pools_dir::text(3)));
  BOOST_TEST(!first.back().text_hash.has_value());  // unreadable
  std::atomic<int> asked{0};
  auto reuse = [&](const std::string& id,
                   std::size_t hash) -> std::optional<mc::config::pool_entry> {
    ++asked;
    if (id != "p0003" || hash != *first[3].text_hash) return std::nullopt;
    auto e = first[3].entry;
    e.driver_display_name = "taken over";
    return e;
  };
  const auto again = check_pool_files(d.files, d.settings, d.drivers, reuse, 2);
  BOOST_TEST(asked == 70);  // every readable file, once
  BOOST_TEST(again[3].entry.driver_display_name == "taken over");
  BOOST_TEST((again[3].text_hash == first[3].text_hash));
  for (std::size_t i = 0; i < again.size(); ++i)
    if (i != 3) check_same(again[i], first[i]);
}
