#include "test/integration/service_fixture.hpp"

#include <signal.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <thread>

#include "test/bench/http_client.hpp"

namespace mc::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

service_fixture::service_fixture()
    : dir(fs::temp_directory_path() / ("mc_e2e_" + std::to_string(::getpid()))) {
  fs::remove_all(dir);
  fs::create_directories(dir / "drivers");
  fs::create_directories(dir / "pools");
}

service_fixture::~service_fixture() {
  service_.terminate();
  mock_.terminate();
  std::error_code ec;
  fs::remove_all(dir, ec);
}

void service_fixture::write(const std::string& rel, const std::string& text) {
  std::ofstream{dir / rel} << text;
}

void service_fixture::install_driver(const std::string& type) {
  fs::copy_file(fs::path{MC_BUNDLED_DIR} / "drivers" / (type + "_driver.so"),
                dir / "drivers" / (type + "_driver.so"), fs::copy_options::overwrite_existing);
}

void service_fixture::start_mock(std::uint16_t port, std::vector<std::string> extra) {
  std::vector<std::string> args{"--listen", "127.0.0.1:" + std::to_string(port)};
  args.insert(args.end(), extra.begin(), extra.end());
  mock_ = child_process::start(MC_MOCK_POOL_PATH, args);
  mock_port = port_from_line(mock_.read_line());
}

void service_fixture::stop_mock() {
  mock_.terminate();
  BOOST_TEST(mock_.wait() == 0);
}

void service_fixture::start_service(const std::string& until_log) {
  // The service logs to stderr; the shell folds it into the pipe read_line reads.
  std::vector<std::string> args{"-c", shell_setup + "exec \"$0\" \"$@\" 2>&1"};
  args.insert(args.end(), service_prefix.begin(), service_prefix.end());
  for (std::string a :
       {std::string(MC_SERVICE_PATH), std::string("--config"), dir.string(),
        std::string("--listen"), std::string("127.0.0.1:0"), std::string("--bundled"),
        std::string(MC_BUNDLED_DIR), std::string("--io-threads"), std::string("2")})
    args.push_back(std::move(a));
  args.insert(args.end(), service_args.begin(), service_args.end());
  service_ = child_process::start("/bin/sh", args);
  // A liveness bound, generous for thousands of configs under TSan on a busy machine.
  const auto until = std::chrono::steady_clock::now() + 60s;
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < until) {
    log.push_back(service_.read_line(60s));
    const auto& line = log.back();
    BOOST_TEST_MESSAGE("service: " << line);
    if (auto at = line.find("Listening on http://"); at != std::string::npos)
      service_port = port_from_line(line);
    seen = line.find(until_log) != std::string::npos;
  }
  BOOST_REQUIRE_MESSAGE(seen, "the service did not log \"" << until_log << "\"");
  BOOST_REQUIRE(service_port != 0);
}

int service_fixture::stop_service() {
  service_.terminate();
  try {
    for (;;) {
      log.push_back(service_.read_line(10s));
      BOOST_TEST_MESSAGE("service: " << log.back());
    }
  } catch (const std::exception&) {
    // stdout closed: the process is gone
  }
  return service_.wait();
}

bool service_fixture::wait_log(const std::string& text, std::chrono::milliseconds within) {
  const auto until = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < until) {
    try {
      log.push_back(service_.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now())));
    } catch (const std::exception&) {
      return false;
    }
    BOOST_TEST_MESSAGE("service: " << log.back());
    if (log.back().find(text) != std::string::npos) return true;
  }
  return false;
}

void service_fixture::signal_service(int sig) { ::kill(service_.pid(), sig); }

boost::json::value service_fixture::get_json(const std::string& target, unsigned expect_status) {
  auto r = http_get("127.0.0.1", service_port, target);
  BOOST_REQUIRE_MESSAGE(r.status == expect_status,
                        "GET " << target << ": status " << r.status << ", body " << r.body);
  return boost::json::parse(r.body);
}

boost::json::value service_fixture::mock_json(const std::string& target) {
  auto r = http_get("127.0.0.1", mock_port, target);
  BOOST_REQUIRE_MESSAGE(r.status == 200, "mock GET " << target << ": " << r.status);
  return boost::json::parse(r.body);
}

bool service_fixture::eventually(std::chrono::milliseconds within,
                                 const std::function<bool()>& check) {
  const auto until = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < until) {
    if (check()) return true;
    std::this_thread::sleep_for(200ms);
  }
  return check();
}

}  // namespace mc::test
