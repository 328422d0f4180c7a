#include "config/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mc::config {

namespace {

void sync_dir(const std::filesystem::path& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);  // makes the rename or unlink itself durable
    ::close(dfd);
  }
}

}  // namespace

std::string write_file_atomic(const std::filesystem::path& path, std::string_view content,
                              unsigned mode, bool force_mode) {
  const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  std::string tmp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return "cannot create a temp file in " + dir.string() + ": " + std::strerror(errno);
  auto fail = [&](const char* step) {
    std::string msg = std::string(step) + " " + path.string() + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    return msg;
  };
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("cannot write");
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  // A secret-holding file stays as private as the user made it.
  struct stat old {};
  if (!force_mode && ::stat(path.c_str(), &old) == 0) mode = old.st_mode & 07777;
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) return fail("cannot sync");
  if (::close(fd) != 0) {
    fd = -1;
    return fail("cannot close");
  }
  fd = -1;
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot replace");
  sync_dir(dir);
  return {};
}

std::string remove_file_durably(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0)
    return "cannot remove " + path.string() + ": " + std::strerror(errno);
  sync_dir(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path());
  return {};
}

}  // namespace mc::config
