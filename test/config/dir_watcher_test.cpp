#define BOOST_TEST_MODULE config dir watcher
#include "config/dir_watcher.hpp"

#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "config/atomic_file.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using mc::config::dir_watcher;
using mc::config::dir_watcher_options;
using paths = std::vector<std::string>;

namespace {

// A real temp config dir, a real io_context run by `threads` threads, and a recorder of the
// watcher's callbacks.
struct watch_fixture {
  explicit watch_fixture(bool with_folders = true, int threads = 1) {
    static int n = 0;
    dir = fs::temp_directory_path() /
          ("mc_watch_" + std::to_string(::getpid()) + "_" + std::to_string(++n));
    fs::remove_all(dir);
    fs::create_directories(dir);
    if (with_folders) {
      fs::create_directories(dir / "pools");
      fs::create_directories(dir / "drivers");
    }
    for (int i = 0; i < threads; ++i) runners.emplace_back([this] { io.run(); });
  }

  ~watch_fixture() {
    watcher.reset();
    work.reset();
    io.stop();
    for (auto& t : runners) t.join();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  void watch(dir_watcher_options o = fast()) {
    watcher.emplace(
        io, dir,
        [this](paths changed) {
          std::lock_guard lock(mutex);
          calls.push_back(std::move(changed));
          call_times.push_back(std::chrono::steady_clock::now());
          cv.notify_all();
        },
        [this](const std::string& message) {
          std::lock_guard lock(mutex);
          errors.push_back(message);
          cv.notify_all();
        },
        o);
  }

  static dir_watcher_options fast() { return {150ms, 1000ms}; }

  // Waits until `n` callbacks in all have arrived (false after `within`).
  bool wait_calls(std::size_t n, std::chrono::milliseconds within = 2000ms) {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, within, [&] { return calls.size() >= n; });
  }

  // The next callback, checking that exactly one more arrives for this burst: none follows
  // within `settle`.
  paths next_call(std::chrono::milliseconds settle = 250ms) {
    const std::size_t before = call_count();
    BOOST_REQUIRE_MESSAGE(wait_calls(before + 1), "no on_change within 2 s");
    std::this_thread::sleep_for(settle);
    std::lock_guard lock(mutex);
    BOOST_TEST(calls.size() == before + 1);
    return calls[before];
  }

  std::size_t call_count() {
    std::lock_guard lock(mutex);
    return calls.size();
  }

  void write(const fs::path& rel, const std::string& text, bool append = false) {
    std::ofstream out(dir / rel, append ? std::ios::app : std::ios::trunc);
    out << text;
  }

  fs::path dir;
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{
      boost::asio::make_work_guard(io)};
  std::vector<std::thread> runners;
  std::optional<dir_watcher> watcher;

  std::mutex mutex;
  std::condition_variable cv;
  std::vector<paths> calls;
  std::vector<std::chrono::steady_clock::time_point> call_times;
  std::vector<std::string> errors;
};

// Create, modify in place, rename in (atomic write and a move from outside the dir), chmod and
// delete one relevant file: each step is one callback naming exactly that file.
void exercise(watch_fixture& f, const std::string& rel) {
  const fs::path outside = f.dir.string() + "_outside";
  f.write(rel, "a: 1\n");
  BOOST_TEST(f.next_call() == paths{rel});
  f.write(rel, "b: 2\n", true);
  BOOST_TEST(f.next_call() == paths{rel});
  BOOST_TEST(mc::config::write_file_atomic(f.dir / rel, "c: 3\n").empty());
  BOOST_TEST(f.next_call() == paths{rel});
  std::ofstream(outside) << "d: 4\n";
  fs::rename(outside, f.dir / rel);
  BOOST_TEST(f.next_call() == paths{rel});
  fs::permissions(f.dir / rel, fs::perms::owner_read);
  BOOST_TEST(f.next_call() == paths{rel});
  fs::remove(f.dir / rel);
  BOOST_TEST(f.next_call() == paths{rel});
}

}  // namespace

BOOST_AUTO_TEST_CASE(relevant_names_are_the_files_that_load) {
  BOOST_TEST(dir_watcher::relevant("", "config.yaml"));
  BOOST_TEST(dir_watcher::relevant("pools", "solopool-dgb-eu1.yaml"));
  BOOST_TEST(dir_watcher::relevant("drivers", "solopool_driver.so"));
  for (const char* name : {".config.yaml.tmp-AbC123", "config.yaml.example", "config.yaml~",
                           ".config.yaml.swp", "README.md"})
    BOOST_TEST(!dir_watcher::relevant("", name), name);
  for (const char* name : {".x.yaml.tmp-AbC123", "x.yaml.swp", ".x.yaml.swx", "x.yaml~", ".#x.yaml",
                           "4913", ".hidden.yaml", "x.yaml.example", "README.md"})
    BOOST_TEST(!dir_watcher::relevant("pools", name), name);
  for (const char* name : {"x.so", "x_driver.so~", ".x_driver.so", "README.md"})
    BOOST_TEST(!dir_watcher::relevant("drivers", name), name);
  BOOST_TEST(!dir_watcher::relevant("other", "x.yaml"));
}

BOOST_AUTO_TEST_CASE(config_yaml_changes_fire_once_each) {
  watch_fixture f;
  f.watch();
  exercise(f, "config.yaml");
  BOOST_TEST(f.errors.empty());
}

BOOST_AUTO_TEST_CASE(pool_file_changes_fire_once_each) {
  watch_fixture f;
  f.watch();
  exercise(f, "pools/solopool-dgb-eu1.yaml");
}

BOOST_AUTO_TEST_CASE(driver_file_changes_fire_once_each) {
  watch_fixture f(true, 2);  // handlers on two threads: the strand keeps them apart
  f.watch();
  exercise(f, "drivers/solopool_driver.so");
}

BOOST_AUTO_TEST_CASE(a_burst_of_fifty_writes_fires_once_with_every_path) {
  watch_fixture f;
  f.watch({200ms, 3000ms});
  paths expected;
  for (int i = 0; i < 50; ++i) {
    const std::string rel = "pools/pool-" + std::to_string(100 + i) + ".yaml";
    BOOST_TEST(mc::config::write_file_atomic(f.dir / rel, "x: 1\n").empty());
    expected.push_back(rel);
    std::this_thread::sleep_for(2ms);
  }
  f.write("config.yaml", "wallets: {}\n");
  expected.insert(expected.begin(), "config.yaml");
  BOOST_TEST(f.next_call(400ms) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_burst_that_never_goes_quiet_fires_after_max_delay) {
  watch_fixture f;
  f.watch({300ms, 500ms});
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < 1300ms) {
    f.write("pools/busy.yaml", "x\n", true);
    std::this_thread::sleep_for(50ms);
  }
  BOOST_REQUIRE(f.wait_calls(2));
  std::lock_guard lock(f.mutex);
  const auto first = f.call_times[0] - start;
  BOOST_TEST(first >= 450ms);
  BOOST_TEST(first < 900ms,
             "first callback after "
                 << std::chrono::duration_cast<std::chrono::milliseconds>(first).count() << " ms");
  BOOST_TEST(f.calls[0] == paths{"pools/busy.yaml"});
}

BOOST_AUTO_TEST_CASE(temp_swap_backup_and_other_files_do_not_fire) {
  watch_fixture f;
  f.watch();
  for (const char* rel :
       {"pools/.a.yaml.tmp-AbC123", "pools/a.yaml.swp", "pools/.a.yaml.swx", "pools/a.yaml~",
        "pools/.#a.yaml", "pools/4913", "pools/.hidden.yaml", "pools/README.md",
        "pools/b.yaml.example", "config.yaml.example", "config.yaml~", ".config.yaml.swp",
        "drivers/README.md", "drivers/helper.so", "notes.txt"})
    f.write(rel, "x\n");
  fs::create_directories(f.dir / "pools" / "sub.yaml");  // a directory, not a pool file
  fs::create_directories(f.dir / "other");
  fs::remove(f.dir / "pools" / "4913");
  std::this_thread::sleep_for(400ms);
  BOOST_TEST(f.call_count() == 0u);
  // Our own atomic writer: its hidden temp file is ignored, the rename is seen.
  BOOST_TEST(mc::config::write_file_atomic(f.dir / "pools" / "a.yaml", "x: 1\n").empty());
  BOOST_TEST(f.next_call() == paths{"pools/a.yaml"});
}

BOOST_AUTO_TEST_CASE(folders_created_after_start_are_watched) {
  watch_fixture f(false);
  f.watch();
  BOOST_TEST(f.watcher->watching());
  fs::create_directory(f.dir / "pools");
  BOOST_TEST(f.next_call() == paths{"pools/"});
  f.write("pools/a.yaml", "x\n");
  BOOST_TEST(f.next_call() == paths{"pools/a.yaml"});

  // Deleted and created again: watched again.
  fs::remove_all(f.dir / "pools");
  BOOST_TEST(f.next_call() == (paths{"pools/", "pools/a.yaml"}));
  fs::create_directory(f.dir / "pools");
  BOOST_TEST(f.next_call() == paths{"pools/"});
  f.write("pools/b.yaml", "x\n");
  BOOST_TEST(f.next_call() == paths{"pools/b.yaml"});

  // drivers/ arrives by a rename (how a whole folder is swapped in); moved away, it is no
  // longer watched.
  fs::create_directory(f.dir / "staging");
  f.write("staging/x_driver.so", "x");
  fs::rename(f.dir / "staging", f.dir / "drivers");
  BOOST_TEST(f.next_call() == paths{"drivers/"});
  f.write("drivers/x_driver.so", "y");
  BOOST_TEST(f.next_call() == paths{"drivers/x_driver.so"});
  fs::rename(f.dir / "drivers", f.dir / "drivers.old");
  BOOST_TEST(f.next_call() == paths{"drivers/"});
  f.write("drivers.old/x_driver.so", "z");
  std::this_thread::sleep_for(300ms);
  BOOST_TEST(f.call_count() == 8u);
  BOOST_TEST(f.errors.empty());
}

BOOST_AUTO_TEST_CASE(stop_prevents_further_callbacks) {
  watch_fixture f(true, 2);
  f.watch();
  f.write("pools/a.yaml", "x\n");
  std::this_thread::sleep_for(20ms);              // the event is read, the burst pending
  std::thread other([&] { f.watcher->stop(); });  // from another thread
  other.join();
  f.watcher->stop();  // idempotent
  BOOST_TEST(!f.watcher->watching());
  f.write("pools/b.yaml", "x\n");
  f.write("config.yaml", "x\n");
  std::this_thread::sleep_for(400ms);
  BOOST_TEST(f.call_count() == 0u);
  f.watcher.reset();  // destroying a stopped watcher is fine too
}

BOOST_AUTO_TEST_CASE(stop_from_inside_the_callback_does_not_deadlock) {
  watch_fixture f;
  std::atomic<int> calls{0};
  std::optional<dir_watcher> w;
  w.emplace(
      f.io, f.dir,
      [&](paths) {
        ++calls;
        w->stop();
      },
      nullptr, watch_fixture::fast());
  f.write("pools/a.yaml", "x\n");
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (calls == 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
  BOOST_TEST(calls == 1);
  f.write("pools/b.yaml", "x\n");
  std::this_thread::sleep_for(300ms);
  BOOST_TEST(calls == 1);
  BOOST_TEST(!w->watching());
}

BOOST_AUTO_TEST_CASE(destroying_the_watcher_with_handlers_pending_is_safe) {
  // The io_context is not running: the read and timer handlers stay queued past the watcher.
  boost::asio::io_context io;
  watch_fixture f;
  int calls = 0;
  {
    dir_watcher w(
        io, f.dir, [&](paths) { ++calls; }, nullptr, watch_fixture::fast());
    f.write("pools/a.yaml", "x\n");
    io.run_for(30ms);  // reads the event, arms the timer
  }
  io.run_for(300ms);
  BOOST_TEST(calls == 0);
  {
    dir_watcher w(
        io, f.dir, [&](paths) { ++calls; }, nullptr, watch_fixture::fast());
    f.write("pools/b.yaml", "x\n");
  }  // never run at all: destroyed with its handlers queued
}

BOOST_AUTO_TEST_CASE(a_missing_config_dir_is_reported_not_thrown) {
  watch_fixture f;
  fs::remove_all(f.dir);
  f.watch();
  BOOST_TEST(!f.watcher->watching());
  std::lock_guard lock(f.mutex);
  BOOST_REQUIRE(f.errors.size() == 1u);
  BOOST_TEST(f.errors[0].find(f.dir.string()) != std::string::npos, f.errors[0]);
  BOOST_TEST(f.errors[0].find("no such directory") != std::string::npos, f.errors[0]);
}

BOOST_AUTO_TEST_CASE(a_deleted_config_dir_is_reported_and_watching_ends) {
  watch_fixture f;
  f.watch();
  fs::remove_all(f.dir);
  const auto until = std::chrono::steady_clock::now() + 2s;
  while (f.watcher->watching() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(10ms);
  BOOST_TEST(!f.watcher->watching());
  std::lock_guard lock(f.mutex);
  BOOST_REQUIRE(f.errors.size() == 1u);
  BOOST_TEST(f.errors[0].find("deleted") != std::string::npos, f.errors[0]);
}
