// A child process for tests that run real binaries (mock_pool, the service): start it, read
// lines from its stdout, signal it, wait with a bound. Linux only.
//
//   auto mock = mc::test::child_process::start(MOCK_POOL_PATH, {"--listen", "127.0.0.1:0"});
//   const auto port = mc::test::port_from_line(mock.read_line());   // throws after 10 s
//   ...
//   mock.terminate();
//   BOOST_TEST(mock.wait() == 0);
//
// Guarantees: the destructor SIGKILLs and reaps a child that is still running, so a failing
// test leaves no process and no zombie behind; the child also gets SIGKILL when the thread
// that started it dies (PR_SET_PDEATHSIG: start children from the test's main thread).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mc::test {

class child_process {
 public:
  // Runs `path` with `args` (argv[0] is `path`). stdin is /dev/null, stdout a pipe for
  // read_line, stderr inherited (it shows in the test log). The child starts with default
  // signal dispositions and an empty signal mask. Throws std::runtime_error when the program
  // cannot be executed (the exec error is reported, not disguised as an exit code).
  static child_process start(const std::string& path, const std::vector<std::string>& args);

  child_process() = default;  // no process
  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&& other) noexcept;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process();  // kill() + reap when still running

  // The next stdout line, without its '\n'. Throws std::runtime_error on timeout or when
  // stdout closes first; the message holds the partial line. A child that writes a lot must
  // be read, or it blocks once the pipe buffer (64 KiB) is full.
  std::string read_line(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  void terminate();  // SIGTERM; no-op once the child has been reaped
  void kill();       // SIGKILL; same

  // Reaps the child and returns its exit code, or 128 + signal number when a signal ended it.
  // After `timeout` the child is killed, reaped, and std::runtime_error is thrown. Calling it
  // again returns the same code.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // True until the child has exited (reaps it when it has, without blocking).
  bool running();

  pid_t pid() const { return pid_; }  // -1 without a process
  std::optional<int> exit_code() const { return exit_code_; }

 private:
  void reap_blocking();
  void close_stdout();

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string pending_;  // read from stdout, not yet returned by read_line
  std::optional<int> exit_code_;
};

// The port of a line ending in "HOST:PORT", e.g. "mock_pool listening on 127.0.0.1:40123".
// Throws std::runtime_error when the line does not end that way.
std::uint16_t port_from_line(std::string_view line);

}  // namespace mc::test
