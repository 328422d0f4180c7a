#include "config/dir_watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <set>

#include "actors/log.hpp"

namespace mc::config {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using clock = std::chrono::steady_clock;

namespace {

// Names and dirs we watch. Sub-folders: the files in them, the folder vanishing or moving.
constexpr std::uint32_t file_events =
    IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB;
constexpr std::uint32_t self_events = IN_DELETE_SELF | IN_MOVE_SELF;
constexpr const char* folders[] = {"pools", "drivers"};

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string watch_failure(const fs::path& path, int err) {
  std::string why;
  switch (err) {
    case ENOSPC:
      why = "the inotify watch limit is reached (raise fs.inotify.max_user_watches)";
      break;
    case ENOENT:
    case ENOTDIR:
      why = "no such directory";
      break;
    default:
      why = std::strerror(err);
  }
  return "file watching: cannot watch " + path.string() + ": " + why;
}

}  // namespace

struct dir_watcher::impl : std::enable_shared_from_this<impl> {
  impl(asio::io_context& io, fs::path dir, change_handler change, error_handler error,
       dir_watcher_options o)
      : strand(asio::make_strand(io)),
        fd(strand),
        timer(strand),
        root(std::move(dir)),
        on_change(std::move(change)),
        on_error(std::move(error)),
        opts(o) {
    if (!on_error) on_error = [](const std::string& m) { mc::log::warn(m); };
  }

  asio::strand<asio::io_context::executor_type> strand;
  asio::posix::stream_descriptor fd;
  asio::steady_timer timer;
  const fs::path root;
  change_handler on_change;
  error_handler on_error;
  const dir_watcher_options opts;

  std::atomic<bool> stopped{false};
  std::atomic<bool> open{false};
  std::recursive_mutex callback_mutex;  // held while a callback runs; stop() waits on it

  // Touched only on the strand (or in the constructor, before any handler exists).
  std::map<int, std::string> folder_of;  // watch descriptor -> "" (root), "pools", "drivers"
  std::map<std::string, int> wd_of;
  std::set<std::string> pending;
  bool in_burst = false;
  bool timer_armed = false;
  clock::time_point burst_start, last_event;
  alignas(inotify_event) std::array<char, 64 * 1024> buffer;

  void report(const std::string& message) {
    std::lock_guard lock(callback_mutex);
    if (!stopped) on_error(message);
  }

  void begin() {
    const int raw = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (raw < 0) {
      const int err = errno;
      report("file watching: cannot watch " + root.string() + ": " +
             (err == EMFILE ? std::string("no inotify instance left (raise "
                                          "fs.inotify.max_user_instances)")
                            : std::string(std::strerror(err))) +
             "; changes need a manual reload");
      return;
    }
    fd.assign(raw);
    open = true;
    const int wd = ::inotify_add_watch(raw, root.c_str(), file_events | self_events | IN_ONLYDIR);
    if (wd < 0) {
      report(watch_failure(root, errno) + "; changes need a manual reload");
      close();
      return;
    }
    folder_of[wd] = "";
    wd_of[""] = wd;
    for (const char* f : folders) watch_folder(f);
    read();
  }

  void watch_folder(const std::string& name) {
    if (!open) return;
    const fs::path path = root / name;
    const int wd = ::inotify_add_watch(fd.native_handle(), path.c_str(),
                                       file_events | self_events | IN_ONLYDIR);
    if (wd < 0) {
      // A folder that is not there (yet) is normal: its creation is seen in the root.
      const int err = errno;
      if (err != ENOENT && err != ENOTDIR)
        report(watch_failure(path, err) + "; changes there need a manual reload");
      return;
    }
    folder_of[wd] = name;  // the same wd again when it was watched already
    wd_of[name] = wd;
  }

  void unwatch_folder(const std::string& name) {
    auto it = wd_of.find(name);
    if (it == wd_of.end()) return;
    // The folder moved away (still alive elsewhere) or is gone: IN_IGNORED follows, if the
    // kernel has not sent it already.
    if (open) ::inotify_rm_watch(fd.native_handle(), it->second);
    folder_of.erase(it->second);
    wd_of.erase(it);
  }

  void read() {
    fd.async_read_some(asio::buffer(buffer),
                       asio::bind_executor(strand, [self = shared_from_this()](
                                                       boost::system::error_code ec,
                                                       std::size_t n) { self->on_read(ec, n); }));
  }

  void on_read(boost::system::error_code ec, std::size_t n) {
    if (stopped || !open || ec == asio::error::operation_aborted) return;
    if (ec) {
      report("file watching: reading inotify events failed: " + ec.message() +
             "; changes need a manual reload");
      close();
      return;
    }
    for (std::size_t at = 0; at + sizeof(inotify_event) <= n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buffer.data() + at);
      at += sizeof(inotify_event) + ev->len;
      handle(*ev, ev->len ? std::string(ev->name) : std::string());
      if (stopped || !open) return;
    }
    read();
  }

  void handle(const inotify_event& ev, const std::string& name) {
    if (ev.mask & IN_Q_OVERFLOW) {
      // Events were lost: reload everything, and catch up on folders created meanwhile.
      for (const char* f : folders)
        if (!wd_of.count(f)) watch_folder(f);
      changed({"config.yaml", "drivers/", "pools/"});
      return;
    }
    auto it = folder_of.find(ev.wd);
    if (it == folder_of.end()) return;  // a watch we dropped already
    const std::string folder = it->second;

    if (ev.mask & IN_IGNORED) {  // the watch is gone (dir deleted, unmounted, rm_watch)
      folder_of.erase(it);
      if (auto w = wd_of.find(folder); w != wd_of.end() && w->second == ev.wd) wd_of.erase(w);
      if (folder.empty()) {
        report("file watching: the config dir " + root.string() +
               " was deleted or unmounted; file watching is off");
        close();
      }
      return;
    }
    if (ev.mask & self_events) {
      if (folder.empty() && (ev.mask & IN_MOVE_SELF)) {
        report("file watching: the config dir " + root.string() +
               " was moved away; file watching is off");
        close();
      }
      // A folder's own move or deletion is reported by the root's event for its name.
      return;
    }
    if (folder.empty()) {
      const bool is_folder =
          std::find(std::begin(folders), std::end(folders), name) != std::end(folders);
      if (is_folder) {  // a dir, or a symlink to one (watch_folder skips anything else)
        if (ev.mask & (IN_CREATE | IN_MOVED_TO)) watch_folder(name);
        if (ev.mask & (IN_DELETE | IN_MOVED_FROM)) unwatch_folder(name);
        if (ev.mask & (IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)) changed({name + "/"});
        return;
      }
      if (!(ev.mask & IN_ISDIR) && relevant("", name)) changed({name});
      return;
    }
    if (!(ev.mask & IN_ISDIR) && relevant(folder, name)) changed({folder + "/" + name});
  }

  void changed(std::initializer_list<std::string> paths) {
    pending.insert(paths.begin(), paths.end());
    const auto now = clock::now();
    last_event = now;
    if (!in_burst) {
      in_burst = true;
      burst_start = now;
    }
    if (!timer_armed) arm(due());
  }

  clock::time_point due() const {
    return std::min(last_event + opts.quiet, burst_start + opts.max_delay);
  }

  void arm(clock::time_point when) {
    timer_armed = true;
    timer.expires_at(when);
    timer.async_wait(asio::bind_executor(
        strand, [self = shared_from_this()](boost::system::error_code ec) { self->on_timer(ec); }));
  }

  void on_timer(boost::system::error_code ec) {
    timer_armed = false;
    if (ec || stopped || !in_burst) return;
    if (clock::now() < due()) {  // more events came since the timer was set
      arm(due());
      return;
    }
    std::vector<std::string> paths(pending.begin(), pending.end());
    pending.clear();
    in_burst = false;
    std::lock_guard lock(callback_mutex);
    if (!stopped) on_change(std::move(paths));
  }

  void close() {  // on the strand
    open = false;
    boost::system::error_code ignored;
    timer.cancel();
    fd.close(ignored);  // the kernel drops every watch with the descriptor
    folder_of.clear();
    wd_of.clear();
    pending.clear();
    in_burst = false;
  }
};

dir_watcher::dir_watcher(asio::io_context& io, fs::path config_dir, change_handler on_change,
                         error_handler on_error, dir_watcher_options options)
    : impl_(std::make_shared<impl>(io, std::move(config_dir), std::move(on_change),
                                   std::move(on_error), options)) {
  impl_->begin();
}

dir_watcher::~dir_watcher() { stop(); }

dir_watcher& dir_watcher::operator=(dir_watcher&& other) noexcept {
  if (this != &other) {
    stop();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void dir_watcher::stop() {
  if (!impl_) return;
  const bool was_stopped = impl_->stopped.exchange(true);
  { std::lock_guard wait_for_running_callback(impl_->callback_mutex); }
  if (!was_stopped) asio::dispatch(impl_->strand, [self = impl_] { self->close(); });
}

bool dir_watcher::watching() const { return impl_ && impl_->open && !impl_->stopped; }

bool dir_watcher::relevant(const std::string& folder, const std::string& name) {
  if (name.empty() || name.front() == '.') return false;  // dot-files, .#locks, our temp files
  if (ends_with(name, "~") || ends_with(name, ".swp") || ends_with(name, ".swx") || name == "4913")
    return false;
  if (folder.empty()) return name == "config.yaml";
  if (folder == "pools") return ends_with(name, ".yaml");
  if (folder == "drivers") return ends_with(name, "_driver.so");
  return false;
}

}  // namespace mc::config
