#define BOOST_TEST_MODULE app options
#include "app/options.hpp"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using mc::app::find_bundled_for;

namespace {

struct tree {
  fs::path root = fs::temp_directory_path() / ("mc_options_test_" + std::to_string(::getpid()));
  tree() { fs::remove_all(root); }
  ~tree() { fs::remove_all(root); }
  fs::path mkdir(const fs::path& rel) {
    fs::create_directories(root / rel);
    return fs::canonical(root / rel);
  }
};

std::optional<mc::app::options> parse(std::vector<std::string> args, int& code) {
  args.insert(args.begin(), "miner-controller");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return mc::app::parse_options(static_cast<int>(argv.size()), argv.data(), code);
}

// What parsing these arguments printed on stderr.
std::string errors_of(std::vector<std::string> args, int& code) {
  std::ostringstream captured;
  auto* old = std::cerr.rdbuf(captured.rdbuf());
  parse(std::move(args), code);
  std::cerr.rdbuf(old);
  return captured.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_build_tree_keeps_drivers_inside_the_bundled_dir) {
  tree t;
  const auto bundled = t.mkdir("build/bundled");
  t.mkdir("build/bundled/drivers");
  t.mkdir("build/app");  // the binary's dir: "app/../bundled" resolves through it
  const auto found = find_bundled_for({}, t.root / "build/app/miner-controller");
  BOOST_TEST(found.dir == bundled);
  BOOST_TEST(found.drivers == bundled / "drivers");
}

BOOST_AUTO_TEST_CASE(an_installed_tree_keeps_drivers_under_libdir) {
  tree t;
  const auto share = t.mkdir(fs::path("usr") / MC_INSTALL_SHARE_DIR);
  const auto drivers = t.mkdir(fs::path("usr") / MC_INSTALL_DRIVERS_DIR);
  const fs::path exe = t.root / "usr" / MC_INSTALL_BINDIR / "miner-controller";
  auto found = find_bundled_for({}, exe);
  BOOST_TEST(found.dir == share);
  BOOST_TEST(found.drivers == drivers);

  // --bundled DIR without a drivers/ of its own: the installed drivers still deploy.
  const auto mine = t.mkdir("my-bundle");
  found = find_bundled_for(mine, exe);
  BOOST_TEST(found.dir == mine);
  BOOST_TEST(found.drivers == drivers);
  // ... and with one, that one.
  t.mkdir("my-bundle/drivers");
  found = find_bundled_for(mine, exe);
  BOOST_TEST(found.drivers == mine / "drivers");
}

BOOST_AUTO_TEST_CASE(a_single_installed_tree_with_drivers_inside_works_too) {
  tree t;
  const auto share = t.mkdir(fs::path("opt/mc") / MC_INSTALL_SHARE_DIR);
  t.mkdir(fs::path("opt/mc") / MC_INSTALL_SHARE_DIR / "drivers");
  const auto found =
      find_bundled_for({}, t.root / "opt/mc" / MC_INSTALL_BINDIR / "miner-controller");
  BOOST_TEST(found.dir == share);
  BOOST_TEST(found.drivers == share / "drivers");
}

BOOST_AUTO_TEST_CASE(the_web_ui_is_found_once_built) {
  tree t;
  const auto bundled = t.mkdir("build/bundled");
  t.mkdir("build/bundled/drivers");
  t.mkdir("build/app");
  // The build tree's bundled/web links to web/dist, which exists only after the UI is built.
  const auto dist = t.mkdir("src/web/dist");
  fs::create_directory_symlink(dist, bundled / "web");
  const fs::path exe = t.root / "build/app/miner-controller";
  BOOST_TEST(find_bundled_for({}, exe).web.empty());  // no index.html yet
  std::ofstream(dist / "index.html") << "<html></html>";
  BOOST_TEST(find_bundled_for({}, exe).web == dist);
  fs::remove_all(dist);
  BOOST_TEST(find_bundled_for({}, exe).web.empty());  // a dangling link is no UI
}

BOOST_AUTO_TEST_CASE(web_comes_from_the_option_then_mc_web_dir) {
  int code = 0;
  ::setenv("MC_WEB_DIR", "/srv/ui", 1);
  auto o = parse({}, code);
  BOOST_REQUIRE(o);
  BOOST_TEST(o->web_dir == "/srv/ui");
  o = parse({"--web", "/opt/ui"}, code);
  BOOST_REQUIRE(o);
  BOOST_TEST(o->web_dir == "/opt/ui");
  ::unsetenv("MC_WEB_DIR");
  o = parse({}, code);
  BOOST_REQUIRE(o);
  BOOST_TEST(o->web_dir.empty());
}

BOOST_AUTO_TEST_CASE(nothing_found_is_empty) {
  tree t;
  t.mkdir("bin");
  const auto found = find_bundled_for({}, t.root / "bin/miner-controller");
  BOOST_TEST(found.dir.empty());
  BOOST_TEST(found.drivers.empty());
  BOOST_TEST(found.web.empty());
}

BOOST_AUTO_TEST_CASE(listen_comes_from_the_option_then_mc_listen) {
  int code = 0;
  ::setenv("MC_LISTEN", "0.0.0.0:8080", 1);
  auto o = parse({}, code);
  BOOST_REQUIRE(o);
  BOOST_TEST(o->listen == "0.0.0.0:8080");
  o = parse({"--listen", "127.0.0.1:0"}, code);
  BOOST_REQUIRE(o);
  BOOST_TEST(o->listen == "127.0.0.1:0");
  ::setenv("MC_LISTEN", "no-port", 1);
  BOOST_TEST(!parse({}, code));
  BOOST_TEST(code == 2);
  ::unsetenv("MC_LISTEN");
  o = parse({}, code);
  BOOST_REQUIRE(o);
  BOOST_TEST(o->listen.empty());
}

BOOST_AUTO_TEST_CASE(thread_counts_the_gather_pause_and_the_timer_slack_are_checked) {
  int code = -1;
  auto o = parse({"--poll-threads", "2", "--poll-gather-ms", "0"}, code);
  BOOST_REQUIRE(o.has_value());
  BOOST_TEST(o->poll_threads == 2);
  BOOST_TEST(o->poll_gather_ms == 0);
  BOOST_TEST(parse({}, code)->poll_gather_ms == 10);
  BOOST_TEST(parse({}, code)->timer_slack_ms == 1000);
  BOOST_TEST(parse({"--timer-slack-ms", "0"}, code)->timer_slack_ms == 0);
  for (const char* bad : {"-1", "1001", "5ms", ""}) {
    for (const char* option : {"--poll-gather-ms", "--timer-slack-ms"}) {
      BOOST_TEST(!parse({option, bad}, code).has_value());
      BOOST_TEST(code == 2);
    }
  }
  BOOST_TEST(!parse({"--poll-threads", "0"}, code).has_value());
  BOOST_TEST(code == 2);
}

BOOST_AUTO_TEST_CASE(requests_in_flight_per_pool_origin_are_1_to_64) {
  int code = -1;
  BOOST_TEST(parse({}, code)->max_in_flight_per_host == 4);
  auto o = parse({"--max-in-flight-per-host", "16"}, code);
  BOOST_REQUIRE(o.has_value());
  BOOST_TEST(o->max_in_flight_per_host == 16);
  BOOST_TEST(parse({"--max-in-flight-per-host", "64"}, code)->max_in_flight_per_host == 64);
  for (const char* bad : {"0", "65", "-4", "4x", ""}) {
    code = -1;
    BOOST_TEST(!parse({"--max-in-flight-per-host", bad}, code).has_value());
    BOOST_TEST(code == 2);
  }
}

BOOST_AUTO_TEST_CASE(an_option_without_its_value_says_only_that) {
  for (const char* option : {"--config", "--listen", "--io-threads", "--max-in-flight-per-host"}) {
    int code = -1;
    const std::string err = errors_of({option}, code);
    BOOST_TEST(code == 2);
    BOOST_TEST(err == "miner-controller: " + std::string(option) + " needs a value\n");
  }
  int code = -1;
  const std::string err = errors_of({"--bogus"}, code);
  BOOST_TEST(code == 2);
  BOOST_TEST(err.starts_with("miner-controller: unknown option --bogus\n"), err);
  BOOST_TEST(err.find("Usage: miner-controller [options]") != std::string::npos, err);
}
