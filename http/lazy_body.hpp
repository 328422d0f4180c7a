// A response body encoded by its first reader, once, and shared by every later one: for bodies
// that join the whole catalog (GET /api/pools). Encoding 10 000 pools costs a core a few hundred
// ms on a slow machine; a start-up or reload need not wait for it, and most catalogs are never
// listed before the next one replaces them. Thread-safe like a snapshot: get() may run on any
// number of threads at once.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace mc::http {

using body_ptr = std::shared_ptr<const std::string>;

class lazy_body {
 public:
  /// `encode` runs on the first get(), on the reader's thread, and is then dropped (it may hold
  /// a whole catalog).
  explicit lazy_body(std::function<std::string()> encode) : encode_(std::move(encode)) {}
  /// A body that is already there.
  static std::shared_ptr<const lazy_body> of(body_ptr body);
  lazy_body(const lazy_body&) = delete;
  lazy_body& operator=(const lazy_body&) = delete;

  /// The body; every call returns the same one.
  body_ptr get() const;

 private:
  mutable std::once_flag once_;
  mutable std::function<std::string()> encode_;
  mutable body_ptr body_;
};

using lazy_body_ptr = std::shared_ptr<const lazy_body>;

}  // namespace mc::http
