#define BOOST_TEST_MODULE driver set
#include "drivers/driver_set.hpp"

#include <dlfcn.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

namespace fs = std::filesystem;
using namespace mc::drivers;
using strings = std::vector<std::string>;

namespace {

const fs::path bundled = fs::path{MC_BUNDLED_DIR} / "drivers";
const fs::path solopool_so = bundled / "solopool_driver.so";
const fs::path braiins_so = bundled / "braiins_driver.so";
const fs::path throwing_so = fs::path{MC_TEST_PLUGIN_DIR} / "throwing_driver.so";
const std::string still_running = " (still running the version loaded before)";

std::string load_prefix() { return ".load-" + std::to_string(::getpid()) + "-"; }

struct drivers_dir {
  fs::path dir = fs::temp_directory_path() / ("mc_driver_set_test_" + std::to_string(::getpid()));
  driver_set set;

  drivers_dir() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~drivers_dir() {
    set = driver_set{};
    fs::remove_all(dir);
  }

  fs::path at(const std::string& name) const { return dir / name; }

  // A new file (a new inode) in place of `name`, as `install`, `mv` or an atomic write do.
  fs::path put(const fs::path& from, const std::string& name) {
    const auto tmp = dir / ("incoming-" + name);
    fs::copy_file(from, tmp, fs::copy_options::overwrite_existing);
    fs::rename(tmp, dir / name);
    return dir / name;
  }
  fs::path put_text(const std::string& text, const std::string& name) {
    const auto tmp = dir / ("incoming-" + name);
    std::ofstream{tmp} << text;
    fs::rename(tmp, dir / name);
    return dir / name;
  }

  // The drivers/*_driver.so files of the dir, sorted, as the config dir scan gives them.
  std::vector<fs::path> files() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) {
      const auto name = e.path().filename().string();
      if (name.ends_with("_driver.so") && !name.starts_with(".") && !name.starts_with("incoming-"))
        out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  driver_changes update() { return set.update(files()); }

  const mc::driver* instance(const std::string& type) const {
    const auto* d = set.find(type);
    return d ? d->instance.get() : nullptr;
  }
};

// The file the code of a driver object was mapped from: its vtable's shared object.
std::string mapped_from(const mc::driver* d) {
  Dl_info info{};
  const void* vtable = *reinterpret_cast<const void* const*>(d);
  BOOST_REQUIRE(::dladdr(vtable, &info) != 0);
  return info.dli_fname ? info.dli_fname : "";
}

std::vector<std::string> temp_copies_left(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& where : {dir, fs::temp_directory_path()})
    for (const auto& e : fs::directory_iterator(where))
      if (e.path().filename().string().starts_with(load_prefix())) out.push_back(e.path().string());
  return out;
}

std::string rejected_text(const driver_changes& c) {
  std::string out;
  for (const auto& r : c.rejected) out += "[" + r.file.filename().string() + ": " + r.reason + "]";
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(update, drivers_dir)

BOOST_AUTO_TEST_CASE(the_first_update_loads_every_file) {
  put(solopool_so, "solopool_driver.so");
  put(braiins_so, "braiins_driver.so");
  const auto c = update();
  BOOST_TEST(c.loaded == (strings{"braiins", "solopool"}), boost::test_tools::per_element());
  BOOST_TEST(c.replaced.empty());
  BOOST_TEST(c.removed.empty());
  BOOST_TEST(c.rejected.empty(), rejected_text(c));
  BOOST_TEST(c.any());
  const auto* d = set.find("solopool");
  BOOST_REQUIRE(d);
  BOOST_TEST(d->file == at("solopool_driver.so"));
  BOOST_TEST(d->info.type == "solopool");
  BOOST_TEST(d->instance->describe().type == "solopool");
  const auto all = set.by_type();
  BOOST_TEST(all.size() == 2u);
  BOOST_TEST(all.at("braiins")->file == at("braiins_driver.so"));
  BOOST_TEST(!set.find("mmfp"));
  BOOST_TEST(temp_copies_left(dir).empty());
}

BOOST_AUTO_TEST_CASE(the_same_files_again_change_nothing) {
  put(solopool_so, "solopool_driver.so");
  put(braiins_so, "braiins_driver.so");
  update();
  const auto* solo = instance("solopool");
  const auto* braiins = instance("braiins");
  for (int i = 0; i < 3; ++i) {
    const auto c = update();
    BOOST_TEST(!c.any());
    BOOST_TEST(c.loaded.empty());
    BOOST_TEST(c.rejected.empty());
    BOOST_TEST(instance("solopool") == solo);
    BOOST_TEST(instance("braiins") == braiins);
  }
}

BOOST_AUTO_TEST_CASE(a_touched_file_is_loaded_again_from_a_fresh_copy) {
  const auto file = put(solopool_so, "solopool_driver.so");
  update();
  const auto old = set.find("solopool")->instance;  // held, as a running pool would
  // Even the first load maps a private copy, so the file itself can be rewritten safely.
  BOOST_TEST(fs::path(mapped_from(old.get())).filename().string().starts_with(".load-"));

  fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(2));
  const auto c = update();
  BOOST_TEST(c.replaced == strings{"solopool"}, boost::test_tools::per_element());
  BOOST_TEST(c.loaded.empty());
  BOOST_TEST(c.removed.empty());
  BOOST_TEST(c.rejected.empty(), rejected_text(c));
  const auto* now = set.find("solopool");
  BOOST_REQUIRE(now);
  BOOST_TEST(now->instance.get() != old.get());
  BOOST_TEST(now->file == file);
  // A second mapping of the library, not the one dlopen had cached for the path.
  const auto from = mapped_from(now->instance.get());
  BOOST_TEST(fs::path(from).filename().string().starts_with(load_prefix()), from);
  BOOST_TEST(from != mapped_from(old.get()));
  BOOST_TEST(old->describe().type == "solopool");  // the held old version still works
  BOOST_TEST(now->instance->describe().type == "solopool");
  BOOST_TEST(temp_copies_left(dir).empty());

  // And again: every reload of a changed file gets its own copy.
  const auto* second = now->instance.get();
  put(solopool_so, "solopool_driver.so");
  const auto c2 = update();
  BOOST_TEST(c2.replaced == strings{"solopool"}, boost::test_tools::per_element());
  BOOST_TEST(instance("solopool") != second);
  BOOST_TEST(mapped_from(instance("solopool")) != from);
  BOOST_TEST(temp_copies_left(dir).empty());
}

BOOST_AUTO_TEST_CASE(a_file_that_now_holds_another_type_loads_it_and_drops_the_old_one) {
  put(solopool_so, "solopool_driver.so");
  update();
  const auto old = set.find("solopool")->instance;
  put(braiins_so, "solopool_driver.so");
  const auto c = update();
  BOOST_TEST(c.loaded == strings{"braiins"}, boost::test_tools::per_element());
  BOOST_TEST(c.removed == strings{"solopool"}, boost::test_tools::per_element());
  BOOST_TEST(c.replaced.empty());
  BOOST_TEST(c.rejected.empty(), rejected_text(c));
  BOOST_TEST(!set.find("solopool"));
  const auto* d = set.find("braiins");
  BOOST_REQUIRE(d);
  BOOST_TEST(d->file == at("solopool_driver.so"));
  BOOST_TEST(d->instance.get() != old.get());
  BOOST_TEST(d->instance->describe().type == "braiins");
  BOOST_TEST(old->describe().type == "solopool");
  BOOST_TEST(temp_copies_left(dir).empty());
}

BOOST_AUTO_TEST_CASE(a_broken_replacement_keeps_the_running_version) {
  const auto file = put(solopool_so, "solopool_driver.so");
  update();
  const auto* before = instance("solopool");
  put_text("not an ELF file, a half-finished upload\n", "solopool_driver.so");
  for (int i = 0; i < 2; ++i) {  // reported again on every update until it is fixed
    const auto c = update();
    BOOST_TEST(!c.any());
    BOOST_REQUIRE_EQUAL(c.rejected.size(), 1u);
    BOOST_TEST(c.rejected[0].file == file);
    BOOST_TEST(c.rejected[0].reason.starts_with("not a loadable shared object"),
               c.rejected[0].reason);
    BOOST_TEST(c.rejected[0].reason.ends_with(still_running), c.rejected[0].reason);
    BOOST_TEST(instance("solopool") == before);
    BOOST_TEST(set.find("solopool")->file == file);
    BOOST_TEST(instance("solopool")->describe().type == "solopool");
  }
  // A good file again: loaded afresh and the rejection is gone.
  put(solopool_so, "solopool_driver.so");
  const auto c = update();
  BOOST_TEST(c.replaced == strings{"solopool"}, boost::test_tools::per_element());
  BOOST_TEST(c.rejected.empty(), rejected_text(c));
  BOOST_TEST(instance("solopool") != before);
  BOOST_TEST(temp_copies_left(dir).empty());
}

BOOST_AUTO_TEST_CASE(a_replacement_whose_factory_throws_keeps_the_running_version) {
  put(braiins_so, "braiins_driver.so");
  update();
  const auto* before = instance("braiins");
  put(throwing_so, "braiins_driver.so");
  const auto c = update();
  BOOST_TEST(!c.any());
  BOOST_REQUIRE_EQUAL(c.rejected.size(), 1u);
  BOOST_TEST(c.rejected[0].reason ==
             "driver factory threw: cannot open its data file" + still_running);
  BOOST_TEST(instance("braiins") == before);
}

BOOST_AUTO_TEST_CASE(a_file_that_never_loaded_is_rejected_without_a_running_version) {
  put_text("garbage", "broken_driver.so");
  put(solopool_so, "solopool_driver.so");
  auto c = update();
  BOOST_TEST(c.loaded == strings{"solopool"}, boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(c.rejected.size(), 1u);
  BOOST_TEST(c.rejected[0].file == at("broken_driver.so"));
  BOOST_TEST(c.rejected[0].reason.find("not a loadable shared object") != std::string::npos);
  BOOST_TEST(c.rejected[0].reason.find("still running") == std::string::npos);
  // Fixed by the user: loaded, not "replaced".
  put(braiins_so, "broken_driver.so");
  c = update();
  BOOST_TEST(c.loaded == strings{"braiins"}, boost::test_tools::per_element());
  BOOST_TEST(c.replaced.empty());
  BOOST_TEST(c.rejected.empty(), rejected_text(c));
  BOOST_TEST(set.find("braiins")->file == at("broken_driver.so"));
}

BOOST_AUTO_TEST_CASE(a_removed_file_removes_its_driver) {
  put(solopool_so, "solopool_driver.so");
  put(braiins_so, "braiins_driver.so");
  update();
  const auto held = set.find("solopool")->instance;
  fs::remove(at("solopool_driver.so"));
  auto c = update();
  BOOST_TEST(c.removed == strings{"solopool"}, boost::test_tools::per_element());
  BOOST_TEST(c.loaded.empty());
  BOOST_TEST(c.replaced.empty());
  BOOST_TEST(c.rejected.empty());
  BOOST_TEST(!set.find("solopool"));
  BOOST_TEST(set.find("braiins"));
  BOOST_TEST(set.by_type().size() == 1u);
  BOOST_TEST(held->describe().type == "solopool");  // still mapped while held
  c = update();
  BOOST_TEST(!c.any());
  // Back again: loaded (from a fresh copy, as dlopen has seen the path).
  put(solopool_so, "solopool_driver.so");
  c = update();
  BOOST_TEST(c.loaded == strings{"solopool"}, boost::test_tools::per_element());
  BOOST_TEST(instance("solopool") != held.get());
  BOOST_TEST(mapped_from(instance("solopool")) != mapped_from(held.get()));
  BOOST_TEST(temp_copies_left(dir).empty());
}

BOOST_AUTO_TEST_CASE(everything_removed_at_once) {
  put(solopool_so, "solopool_driver.so");
  put(braiins_so, "braiins_driver.so");
  update();
  const auto c = set.update({});
  BOOST_TEST(c.removed == (strings{"braiins", "solopool"}), boost::test_tools::per_element());
  BOOST_TEST(set.by_type().empty());
}

BOOST_AUTO_TEST_CASE(a_second_file_of_a_type_waits_until_the_first_goes) {
  put(solopool_so, "solopool_driver.so");
  put(solopool_so, "solopool_v2_driver.so");
  auto c = update();
  BOOST_TEST(c.loaded == strings{"solopool"}, boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(c.rejected.size(), 1u);
  BOOST_TEST(c.rejected[0].file == at("solopool_v2_driver.so"));
  BOOST_TEST(c.rejected[0].reason ==
             "duplicate driver type \"solopool\": already loaded from solopool_driver.so");
  const auto* first = instance("solopool");
  BOOST_TEST(set.find("solopool")->file == at("solopool_driver.so"));

  c = update();  // still a duplicate, nothing changes
  BOOST_TEST(!c.any());
  BOOST_REQUIRE_EQUAL(c.rejected.size(), 1u);
  BOOST_TEST(c.rejected[0].file == at("solopool_v2_driver.so"));
  BOOST_TEST(instance("solopool") == first);
  BOOST_TEST(set.by_type().size() == 1u);

  fs::remove(at("solopool_driver.so"));
  c = update();
  BOOST_TEST(c.loaded == strings{"solopool"}, boost::test_tools::per_element());
  BOOST_TEST(c.rejected.empty(), rejected_text(c));
  BOOST_TEST(set.find("solopool")->file == at("solopool_v2_driver.so"));
  BOOST_TEST(instance("solopool") != first);
  BOOST_TEST(temp_copies_left(dir).empty());
}

BOOST_AUTO_TEST_CASE(no_temp_copies_are_left_after_many_reloads) {
  const auto file = put(solopool_so, "solopool_driver.so");
  update();
  for (int i = 1; i <= 5; ++i) {
    fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(i));
    BOOST_TEST(update().replaced == strings{"solopool"}, boost::test_tools::per_element());
  }
  BOOST_TEST(temp_copies_left(dir).empty());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  BOOST_TEST(names == strings{"solopool_driver.so"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(identity_tells_a_replaced_file_apart) {
  const fs::path dir =
      fs::temp_directory_path() / ("mc_driver_set_id_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto f = dir / "x_driver.so";
  std::ofstream{f} << "12345";
  const auto a = identity_of(f);
  BOOST_TEST(a.size == 5u);
  BOOST_TEST(a.inode != 0u);
  BOOST_TEST((identity_of(f) == a));
  fs::last_write_time(f, fs::last_write_time(f) + std::chrono::seconds(1));
  BOOST_TEST(!(identity_of(f) == a));
  BOOST_TEST((identity_of(dir / "missing") == file_identity{}));
  fs::remove_all(dir);
}

// Bugs these tests found (fixed; kept as regression tests):

BOOST_AUTO_TEST_SUITE(fixed_bugs)

// The first load of a path dlopens the file itself, not a copy. `cp new.so drivers/x_driver.so`
// (what docs/writing-a-driver.md shows for installing a driver) rewrites that inode in place:
// the running driver's code pages are truncated and rewritten under it, so the next call into
// the driver dies with SIGBUS/SIGSEGV instead of the upgrade being rejected or applied.
// Loading every version from a private copy would make the running code immune to edits of the
// file. Each case runs in a child process, as the crash takes the whole process down.
std::string in_child(const std::function<bool()>& body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    // The crash must end the child, not be caught by Boost.Test's handlers inherited from us.
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::signal(sig, SIG_DFL);
    bool ok = false;
    try {
      ok = body();
    } catch (...) {
    }
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           ::strsignal(WTERMSIG(status)) + ")";
  return "status " + std::to_string(status);
}

BOOST_FIXTURE_TEST_CASE(a_half_copied_file_written_in_place_keeps_the_running_driver, drivers_dir) {
  const auto file = put(solopool_so, "solopool_driver.so");
  const auto outcome = in_child([&] {
    driver_set s;
    s.update({file});
    const auto held = s.find("solopool")->instance;
    {
      std::ofstream out(file, std::ios::trunc);  // what cp does: same inode, truncated
      out << "half-copied\n";
    }
    const auto c = s.update({file});
    return c.rejected.size() == 1u && held->describe().type == "solopool";
  });
  BOOST_TEST(outcome == "exit 0");
}

BOOST_FIXTURE_TEST_CASE(a_new_version_copied_in_place_replaces_the_running_driver, drivers_dir) {
  const auto file = put(solopool_so, "solopool_driver.so");
  const auto outcome = in_child([&] {
    driver_set s;
    s.update({file});
    fs::copy_file(braiins_so, file, fs::copy_options::overwrite_existing);  // cp: in place
    const auto c = s.update({file});
    return c.loaded == strings{"braiins"} && c.removed == strings{"solopool"} &&
           s.find("braiins")->instance->describe().type == "braiins";
  });
  BOOST_TEST(outcome == "exit 0");
}

// A type that moves from a file to its waiting duplicate is reported both loaded and removed:
// the log says "Removed driver: solopool (file gone)" while solopool runs on.
BOOST_FIXTURE_TEST_CASE(a_type_moving_to_its_duplicate_file_is_not_reported_removed, drivers_dir) {
  put(solopool_so, "solopool_driver.so");
  put(solopool_so, "solopool_v2_driver.so");
  update();
  put(braiins_so, "solopool_driver.so");
  const auto c = update();
  BOOST_TEST(c.loaded == (strings{"braiins", "solopool"}), boost::test_tools::per_element());
  BOOST_TEST(set.find("solopool"));
  BOOST_TEST(c.removed.empty(), "removed: " << c.removed.size() << " types");
}

BOOST_AUTO_TEST_SUITE_END()
