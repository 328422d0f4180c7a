// GET /api/pool-templates[/<driver>[/<coin>]]: the catalog's pool templates, each encoded once,
// all of them by the first request (a start-up with 10 000 configs need not wait for them). The
// arrays (all of them, one driver's, one driver and coin's) are joined on their first
// request and kept, so a catalog holds each template's JSON once instead of three times (the
// UI asks for a group only while a pool is being added). Built once per catalog and shared by
// its snapshots; thread-safe like a snapshot: the const accessors may run on any number of
// threads at once (each array is joined under std::call_once).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mc::http {

class template_set {
 public:
  /// `templates`: each template's JSON, in the order they are served. `groups`: for each key
  /// ("solopool", "solopool/DGB") the positions of its templates; a key with none is kept
  /// (a loaded driver without pools answers []).
  template_set(std::vector<std::string> templates,
               const std::map<std::string, std::vector<std::size_t>>& groups);
  /// The same with `count` templates that `encode(i)` gives on the first request, on its
  /// thread; `encode` is dropped then (it may hold a whole catalog).
  template_set(std::size_t count, std::function<std::string(std::size_t)> encode,
               const std::map<std::string, std::vector<std::size_t>>& groups);
  template_set(const template_set&) = delete;
  template_set& operator=(const template_set&) = delete;

  /// The JSON array of every template.
  std::shared_ptr<const std::string> all() const;
  /// The JSON array of one group; null for a key that is no group.
  std::shared_ptr<const std::string> group(std::string_view key) const;

 private:
  struct lazy_array {
    std::vector<std::size_t> members;
    mutable std::once_flag once;
    mutable std::shared_ptr<const std::string> body;
  };
  std::shared_ptr<const std::string> join(const lazy_array& a) const;
  const std::vector<std::string>& templates() const;

  std::size_t count_;
  mutable std::once_flag encode_once_;
  mutable std::function<std::string(std::size_t)> encode_;
  mutable std::vector<std::string> templates_;
  lazy_array all_;
  std::map<std::string, lazy_array, std::less<>> groups_;
};

}  // namespace mc::http
