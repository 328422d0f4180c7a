#include "test/bench/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

namespace mc::test {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const char* path, char* const* argv, int stdout_fd, int error_fd,
                             pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGCHLD}) sigaction(sig, &dfl, nullptr);
  const int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
  if (dup2(stdout_fd, STDOUT_FILENO) >= 0) {
    execv(path, argv);
  }
  const int err = errno;
  [[maybe_unused]] auto written = write(error_fd, &err, sizeof err);
  _exit(127);
}

}  // namespace

child_process child_process::start(const std::string& path, const std::vector<std::string>& args) {
  std::vector<std::string> storage;
  storage.reserve(args.size() + 1);
  storage.push_back(path);
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);

  int out[2];
  int err[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw_errno("pipe");
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    throw_errno("pipe");
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) exec_child(path.c_str(), argv.data(), out[1], err[1], parent);
  const int fork_errno = errno;
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    errno = fork_errno;
    throw_errno("fork");
  }

  child_process child;
  child.pid_ = pid;
  child.stdout_fd_ = out[0];
  // exec closes err[1] (O_CLOEXEC): EOF means it ran, an int means it failed with that errno.
  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(err[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  close(err[0]);
  if (n > 0) {
    child.reap_blocking();
    throw std::runtime_error("cannot execute " + path + ": " + std::strerror(exec_errno));
  }
  return child;
}

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      stdout_fd_(std::exchange(other.stdout_fd_, -1)),
      pending_(std::move(other.pending_)),
      exit_code_(std::exchange(other.exit_code_, std::nullopt)) {}

child_process& child_process::operator=(child_process&& other) noexcept {
  if (this != &other) {
    child_process old(std::move(*this));  // its destructor ends our current child
    pid_ = std::exchange(other.pid_, -1);
    stdout_fd_ = std::exchange(other.stdout_fd_, -1);
    pending_ = std::move(other.pending_);
    exit_code_ = std::exchange(other.exit_code_, std::nullopt);
  }
  return *this;
}

child_process::~child_process() {
  if (running()) {
    kill();
    reap_blocking();
  }
  close_stdout();
}

std::string child_process::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (const auto nl = pending_.find('\n'); nl != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      return line;
    }
    if (stdout_fd_ < 0) throw std::runtime_error("read_line: no child stdout");
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw std::runtime_error("read_line: no complete line within " +
                               std::to_string(timeout.count()) + " ms; got '" + pending_ + "'");
    }
    pollfd p{stdout_fd_, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) throw_errno("read_line: poll");
    if (ready <= 0) continue;
    char chunk[4096];
    const ssize_t n = read(stdout_fd_, chunk, sizeof chunk);
    if (n < 0 && errno != EINTR) throw_errno("read_line: read");
    if (n == 0) {
      throw std::runtime_error("read_line: child stdout closed; got '" + pending_ + "'");
    }
    if (n > 0) pending_.append(chunk, static_cast<std::size_t>(n));
  }
}

void child_process::terminate() {
  if (running()) ::kill(pid_, SIGTERM);
}

void child_process::kill() {
  if (running()) ::kill(pid_, SIGKILL);
}

bool child_process::running() {
  if (pid_ < 0 || exit_code_) return false;
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return true;
  // r < 0 (ECHILD: someone else reaped it) counts as gone, with an unknown code.
  exit_code_ = r == pid_ ? decode_status(status) : -1;
  return false;
}

int child_process::wait(std::chrono::milliseconds timeout) {
  if (pid_ < 0) throw std::runtime_error("wait: no child process");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      kill();
      reap_blocking();
      throw std::runtime_error("wait: pid " + std::to_string(pid_) + " still running after " +
                               std::to_string(timeout.count()) + " ms; killed it");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return *exit_code_;
}

void child_process::reap_blocking() {
  if (pid_ < 0 || exit_code_) return;
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  exit_code_ = r == pid_ ? decode_status(status) : -1;
}

void child_process::close_stdout() {
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
}

std::uint16_t port_from_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  const auto colon = line.rfind(':');
  std::uint16_t port = 0;
  if (colon != std::string_view::npos) {
    const auto digits = line.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec == std::errc{} && end == digits.data() + digits.size() && port != 0) return port;
  }
  throw std::runtime_error("no HOST:PORT at the end of '" + std::string(line) + "'");
}

}  // namespace mc::test
