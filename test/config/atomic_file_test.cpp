// write_file_atomic's file modes and remove_file_durably; the replace/no-temp-file/failure cases
// are in config_dir_test.cpp.
#define BOOST_TEST_MODULE atomic file
#include "config/atomic_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace mc::config;

namespace {

struct temp_dir {
  fs::path path = fs::temp_directory_path() / ("mc_atomic_file_test_" + std::to_string(::getpid()));
  temp_dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() { fs::remove_all(path); }
  fs::path make(const std::string& name, const std::string& text, unsigned mode) {
    const auto p = path / name;
    std::ofstream{p} << text;
    BOOST_REQUIRE(::chmod(p.c_str(), mode) == 0);
    return p;
  }
  std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(path)) ++n;
    return n;
  }
};

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  BOOST_REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(atomic, temp_dir)

BOOST_AUTO_TEST_CASE(a_replaced_file_keeps_its_private_mode) {
  const auto p = make("config.yaml", "old", 0600);
  BOOST_TEST(write_file_atomic(p, "new") == "");
  BOOST_TEST(read(p) == "new");
  BOOST_TEST(mode_of(p) == 0600u);
  BOOST_TEST(write_file_atomic(p, "newer", 0666) == "");
  BOOST_TEST(mode_of(p) == 0600u);
  BOOST_TEST(entries() == 1u);
}

BOOST_AUTO_TEST_CASE(a_replaced_file_keeps_unusual_modes_too) {
  const auto exec = make("run.sh", "#!/bin/sh\n", 0750);
  BOOST_TEST(write_file_atomic(exec, "#!/bin/sh\ntrue\n") == "");
  BOOST_TEST(mode_of(exec) == 0750u);
  const auto ro = make("read-only.yaml", "a", 0444);
  BOOST_TEST(write_file_atomic(ro, "b") == "");
  BOOST_TEST(mode_of(ro) == 0444u);
  BOOST_TEST(read(ro) == "b");
}

BOOST_AUTO_TEST_CASE(force_mode_overrides_the_old_mode) {
  const auto p = make("pool.yaml", "old", 0644);
  BOOST_TEST(write_file_atomic(p, "secret", 0600, true) == "");
  BOOST_TEST(mode_of(p) == 0600u);
  BOOST_TEST(read(p) == "secret");
  BOOST_TEST(write_file_atomic(p, "open again", 0640, true) == "");
  BOOST_TEST(mode_of(p) == 0640u);
}

BOOST_AUTO_TEST_CASE(a_new_file_gets_the_mode_asked_for_whatever_the_umask) {
  const auto old_umask = ::umask(077);
  BOOST_TEST(write_file_atomic(path / "default.yaml", "d") == "");
  BOOST_TEST(write_file_atomic(path / "private.yaml", "p", 0600) == "");
  BOOST_TEST(write_file_atomic(path / "group.yaml", "g", 0640, true) == "");
  ::umask(old_umask);
  BOOST_TEST(mode_of(path / "default.yaml") == 0644u);
  BOOST_TEST(mode_of(path / "private.yaml") == 0600u);
  BOOST_TEST(mode_of(path / "group.yaml") == 0640u);
  BOOST_TEST(read(path / "private.yaml") == "p");
  BOOST_TEST(entries() == 3u);
}

BOOST_AUTO_TEST_CASE(empty_and_large_contents_are_written_whole) {
  BOOST_TEST(write_file_atomic(path / "empty", "") == "");
  BOOST_TEST(fs::exists(path / "empty"));
  BOOST_TEST(fs::file_size(path / "empty") == 0u);
  std::string big(3 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 4096);
  BOOST_TEST(write_file_atomic(path / "big", big) == "");
  BOOST_TEST((read(path / "big") == big));
}

BOOST_AUTO_TEST_CASE(a_relative_path_is_written_in_the_working_dir) {
  const auto cwd = fs::current_path();
  fs::current_path(path);
  const auto err = write_file_atomic("relative.yaml", "r", 0600);
  fs::current_path(cwd);
  BOOST_TEST(err == "");
  BOOST_TEST(read(path / "relative.yaml") == "r");
  BOOST_TEST(mode_of(path / "relative.yaml") == 0600u);
  BOOST_TEST(entries() == 1u);
}

BOOST_AUTO_TEST_CASE(remove_file_durably_removes_a_file) {
  const auto p = make("gone.yaml", "x", 0644);
  BOOST_TEST(remove_file_durably(p) == "");
  BOOST_TEST(!fs::exists(p));
  BOOST_TEST(entries() == 0u);
}

BOOST_AUTO_TEST_CASE(remove_file_durably_reports_a_missing_file) {
  const auto p = path / "never-there.yaml";
  const auto err = remove_file_durably(p);
  BOOST_TEST(!err.empty());
  BOOST_TEST(err.find("cannot remove") != std::string::npos, err);
  BOOST_TEST(err.find(p.string()) != std::string::npos, err);
  BOOST_TEST(err.find("No such file") != std::string::npos, err);
}

BOOST_AUTO_TEST_CASE(remove_file_durably_does_not_remove_a_directory) {
  fs::create_directories(path / "dir");
  BOOST_TEST(!remove_file_durably(path / "dir").empty());
  BOOST_TEST(fs::is_directory(path / "dir"));
}

BOOST_AUTO_TEST_SUITE_END()
