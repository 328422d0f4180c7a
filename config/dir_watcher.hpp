// Watches a config dir (DESIGN §1) for changes that matter to a reload: `config.yaml`,
// `pools/*.yaml` and `drivers/*_driver.so`. inotify through an Asio stream_descriptor on the
// caller's io_context: no thread of its own, never blocks.
//
//   mc::config::dir_watcher watcher{
//       io, config_dir,
//       [supervisor](std::vector<std::string> changed) {        // e.g. {"pools/x.yaml"}
//         caf::anon_send(supervisor, reload_atom_v);             // from an Asio thread: fine
//       },
//       [](const std::string& problem) { mc::log::warn(problem); }};  // optional: the default
//   ...
//   watcher.stop();  // before the io_context goes away (any thread, idempotent)
//
// What fires:
//   - config.yaml created, written (close after write), renamed in or out, deleted, chmod'ed;
//   - the same for pools/*.yaml and drivers/*_driver.so (the files that load);
//   - pools/ or drivers/ appearing or disappearing ("pools/"): a dir created after start is
//     watched from then on, one that is deleted and re-created is watched again.
//   Ignored: hidden names (our atomic writer's `.<name>.tmp-XXXXXX`, `.#*` lock files),
//   editor files (`*.swp`, `*.swx`, `*~`, vim's `4913` probe), and every other name
//   (README.md, *.yaml.example, ...).
// Debounce: one on_change per burst, once the dir has been quiet for `quiet` (500 ms), but at
// most `max_delay` (3 s) after the burst's first event. The paths are relative to the config
// dir, sorted and unique. When the kernel's queue overflowed (IN_Q_OVERFLOW) events were lost:
// the burst then reports {"config.yaml", "drivers/", "pools/"} (reload everything).
// Problems (no inotify instance or watch left, the config dir missing or deleted) go to
// on_error with a message naming the path and the fix; the watcher never throws for them.
// Without a watch on a folder its changes need a manual reload.
//
// Threads: handlers run on a strand of `io`, so the io_context may run on several threads.
// on_change and on_error are called on an io thread: do not block there. stop() may be called
// from any thread, also from inside a callback; once it has returned no callback starts any
// more (it waits for one running on another thread). Destroying the last handle stops the
// watcher; handlers still queued in the io_context keep the internals alive until they run or
// the io_context is destroyed.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mc::config {

struct dir_watcher_options {
  std::chrono::milliseconds quiet{500};       // fire once nothing happened for this long
  std::chrono::milliseconds max_delay{3000};  // ... but at most this long after a burst began
};

class dir_watcher {
 public:
  using change_handler = std::function<void(std::vector<std::string> changed_relative_paths)>;
  using error_handler = std::function<void(const std::string& message)>;

  /// Starts watching `config_dir` and its pools/ and drivers/ (those that exist). Setup
  /// problems are reported through on_error (from the constructor, on the calling thread) and
  /// leave a watcher that watches less or nothing: it does not throw for them.
  /// An empty on_error logs with mc::log::warn.
  dir_watcher(boost::asio::io_context& io, std::filesystem::path config_dir,
              change_handler on_change, error_handler on_error = {},
              dir_watcher_options options = {});

  ~dir_watcher();  // stop()
  dir_watcher(dir_watcher&&) noexcept = default;
  dir_watcher& operator=(dir_watcher&&) noexcept;
  dir_watcher(const dir_watcher&) = delete;
  dir_watcher& operator=(const dir_watcher&) = delete;

  /// Thread-safe and idempotent: closes the inotify descriptor, drops a pending burst.
  void stop();

  /// True while the inotify descriptor is open (false after stop() or a fatal error).
  bool watching() const;

  /// Whether a name in `folder` ("" for the config dir, "pools", "drivers") can matter to a
  /// reload: the test behind the "Ignored" list above.
  static bool relevant(const std::string& folder, const std::string& name);

  struct impl;

 private:
  std::shared_ptr<impl> impl_;  // shared with the queued handlers
};

}  // namespace mc::config
