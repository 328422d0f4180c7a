#define BOOST_TEST_MODULE install layout
// `cmake --install` into a temp prefix, then the INSTALLED binary on an empty config dir: the
// first-run deploy takes the bundled files from the installed share/ and lib/ trees, the API
// lists the bundled drivers, and SIGTERM stops it with exit code 0.
#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <set>
#include <thread>

#include "test/bench/http_client.hpp"
#include "test/bench/process.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using mc::test::child_process;

namespace {

const std::set<std::string> bundled_drivers{"braiins", "ckpool", "mmfp", "solopool"};

// Runs a command to its end, its output shown in the test log; returns the exit code.
int run(const std::vector<std::string>& command) {
  std::vector<std::string> args{"-c", "exec \"$@\" 2>&1", "sh"};
  args.insert(args.end(), command.begin(), command.end());
  auto p = child_process::start("/bin/sh", args);
  try {
    for (;;) BOOST_TEST_MESSAGE(p.read_line(60s));
  } catch (const std::exception&) {
    // output closed
  }
  return p.wait(60s);
}

std::set<std::string> names(const fs::path& dir, const std::string& suffix) {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const auto name = e.path().filename().string();
    if (name.size() >= suffix.size() && name.ends_with(suffix)) out.insert(name);
  }
  return out;
}

struct temp_prefix {
  fs::path root = fs::temp_directory_path() / ("mc_install_" + std::to_string(::getpid()));
  temp_prefix() { fs::remove_all(root); }
  ~temp_prefix() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(installed_binary_deploys_bundled_files_serves_and_stops_on_sigterm) {
  temp_prefix tmp;
  const fs::path prefix = tmp.root / "usr";
  BOOST_REQUIRE(run({MC_CMAKE_COMMAND, "--install", MC_BINARY_DIR, "--prefix", prefix}) == 0);
  BOOST_REQUIRE(run({MC_CMAKE_COMMAND, "--install", MC_BINARY_DIR, "--prefix", prefix,
                     "--component", "mock"}) == 0);

  // The layout.
  const fs::path bin = prefix / MC_INSTALL_BINDIR / "miner-controller";
  const fs::path share = prefix / MC_INSTALL_SHARE_DIR;
  const fs::path drivers = prefix / MC_INSTALL_DRIVERS_DIR;
  BOOST_TEST(::access(bin.c_str(), X_OK) == 0, bin);
  std::set<std::string> expected_drivers;
  for (const auto& d : bundled_drivers) expected_drivers.insert(d + "_driver.so");
  BOOST_TEST(names(drivers, "_driver.so") == expected_drivers);
  const auto examples = names(fs::path(MC_SOURCE_DIR) / "config/bundled/pools", ".yaml.example");
  BOOST_TEST(examples.size() >= 4u);
  BOOST_TEST(names(share / "pools", ".yaml.example") == examples);
  for (const fs::path& f : {share / "pools/README.md", share / "config.yaml.example",
                            prefix / MC_INSTALL_INCLUDEDIR / "miner_controller/driver.hpp",
                            prefix / MC_INSTALL_DOCDIR / "writing-a-driver.md",
                            prefix / MC_INSTALL_DOCDIR / "README.md",
                            prefix / MC_INSTALL_DOCDIR / "TEMPLATE/template_driver.cpp",
                            prefix / MC_INSTALL_LIBEXECDIR / "miner-controller/mock_pool"})
    BOOST_TEST(fs::is_regular_file(f), f);
  BOOST_TEST(!fs::exists(share / "drivers"));  // drivers are arch-specific: lib/, not share/

  // The installed binary on an empty config dir, nothing pointing it at the build tree.
  const fs::path config = tmp.root / "config";
  fs::create_directories(config);
  auto service = child_process::start(
      "/bin/sh", {"-c", "exec env -u MC_BUNDLED_DIR -u MC_LISTEN \"$0\" \"$@\" 2>&1", bin.string(),
                  "--config", config.string(), "--listen", "127.0.0.1:0", "--io-threads", "1"});
  std::vector<std::string> log;
  std::uint16_t port = 0;
  while (port == 0) {
    log.push_back(service.read_line(20s));
    BOOST_TEST_MESSAGE("service: " << log.back());
    if (log.back().find("Listening on http://") != std::string::npos)
      port = mc::test::port_from_line(log.back());
  }
  bool ready = false;
  for (auto until = std::chrono::steady_clock::now() + 15s;
       !ready && std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(100ms))
    ready = mc::test::http_get("127.0.0.1", port, "/readyz").status == 200;
  BOOST_REQUIRE_MESSAGE(ready, "/readyz not 200 within 15 s");

  // First-run deploy (DESIGN §1): the drivers, every example pool as *.yaml.example and
  // config.yaml.example; no pool is active.
  BOOST_TEST(names(config / "drivers", "_driver.so") == expected_drivers);
  BOOST_TEST(names(config / "pools", ".yaml.example") == examples);
  BOOST_TEST(names(config / "pools", ".yaml").empty());
  BOOST_TEST(fs::is_regular_file(config / "pools/README.md"));
  BOOST_TEST(fs::is_regular_file(config / "config.yaml.example"));

  auto health = mc::test::http_get("127.0.0.1", port, "/healthz");
  BOOST_TEST(health.status == 200u);
  BOOST_TEST(boost::json::parse(health.body).at("status") == "ok");
  auto listed = mc::test::http_get("127.0.0.1", port, "/api/drivers");
  BOOST_REQUIRE(listed.status == 200u);
  const auto body = boost::json::parse(listed.body);
  std::set<std::string> loaded;
  for (const auto& d : body.at("loaded").as_array())
    loaded.insert(std::string(d.at("type").as_string()));
  BOOST_TEST(loaded == bundled_drivers);
  BOOST_TEST(body.at("rejected").as_array().empty(), listed.body);

  service.terminate();
  try {
    for (;;) {
      log.push_back(service.read_line(10s));
      BOOST_TEST_MESSAGE("service: " << log.back());
    }
  } catch (const std::exception&) {
    // output closed: the process is gone
  }
  BOOST_TEST(service.wait() == 0);
  bool from_install = false;
  for (const auto& line : log)
    from_install |=
        line.find("Bundled drivers: " + fs::canonical(drivers).string()) != std::string::npos;
  BOOST_TEST(from_install, "the drivers were not taken from the installed tree");
}
