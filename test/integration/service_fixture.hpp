// Runs the real service and the mock pool as child processes on loopback for end-to-end tests:
// a temporary config dir, the mock's and the service's ports read from their first lines, and
// JSON GETs with bounded waits.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "test/bench/process.hpp"

namespace mc::test {

class service_fixture {
 public:
  service_fixture();
  ~service_fixture();

  std::filesystem::path dir;  // the config dir, removed afterwards
  void write(const std::string& rel, const std::string& text);
  void install_driver(const std::string& type);  // copies the bundled <type>_driver.so

  void start_mock(std::uint16_t port = 0, std::vector<std::string> extra = {});
  void stop_mock();
  std::uint16_t mock_port = 0;
  std::string mock_base() const { return "http://127.0.0.1:" + std::to_string(mock_port); }

  /// Starts the service and reads its log until `until_log` appears (or 60 s pass).
  void start_service(const std::string& until_log);
  std::vector<std::string> service_args;    // more command-line options for start_service
  std::vector<std::string> service_prefix;  // a command that execs the service (setpriv ...)
  pid_t service_pid() const { return service_.pid(); }  // the service itself: every step execs
  std::string shell_setup;  // shell commands run before the service, e.g. "ulimit -n 256; "
  std::uint16_t service_port = 0;
  std::vector<std::string> log;  // the service's log lines read so far
  /// SIGTERM, then the exit code (the rest of the log is read into `log`).
  int stop_service();

  /// Reads the service's log until a line holds `text`; false after `within`.
  bool wait_log(const std::string& text, std::chrono::milliseconds within);
  void signal_service(int sig);

  boost::json::value get_json(const std::string& target, unsigned expect_status = 200);
  boost::json::value mock_json(const std::string& target);

  /// Polls `check` every 200 ms until it returns true or `within` passes; false on timeout.
  static bool eventually(std::chrono::milliseconds within, const std::function<bool()>& check);

 private:
  child_process mock_;
  child_process service_;
};

}  // namespace mc::test
