// The body of an HTTP response as the host hands it to drivers.
//
// Copies share one immutable buffer, and its JSON is parsed at most once for all of them. The
// host coalesces identical GETs: 1 000 pools of one coin read the same network /stats and
// /blocks answer, so each pool's driver gets the same body and reads the same parsed document
// instead of copying 12 KB and building its own (bench/RESULTS.md, "Third round").
#pragma once

#include <atomic>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace mc {

class response_body {
 public:
  response_body() = default;
  response_body(std::string text)  // NOLINT: implicit, a body is its text
      : shared_(text.empty() ? nullptr : std::make_shared<const shared>(std::move(text))) {}
  response_body(const char* text) : response_body(std::string(text)) {}  // NOLINT

  std::string_view view() const { return shared_ ? std::string_view(shared_->text) : ""; }
  operator std::string_view() const { return view(); }  // NOLINT: read it as text
  const char* data() const { return view().data(); }
  std::size_t size() const { return view().size(); }
  bool empty() const { return view().empty(); }

  /// The body as one JSON document, or nullptr when it is not valid JSON. Parsed by the first
  /// caller of any copy; thread-safe, and the document lives as long as any copy does.
  const boost::json::value* json() const {
    if (!shared_) return nullptr;
    auto* s = shared_.get();
    // Not std::call_once: glibc's pthread_once makes a futex system call after every first
    // run, one per parsed answer; an uncontended mutex makes none.
    if (!s->parsed.load(std::memory_order_acquire)) {
      std::lock_guard<std::mutex> lock(s->parsing);
      if (!s->parsed.load(std::memory_order_relaxed)) {
        boost::system::error_code ec;
        auto v = boost::json::parse(s->text, ec, &s->storage);
        if (!ec) s->document.emplace(std::move(v));
        s->parsed.store(true, std::memory_order_release);
      }
    }
    return s->document ? &*s->document : nullptr;
  }

  friend bool operator==(const response_body& a, std::string_view b) { return a.view() == b; }
  friend std::ostream& operator<<(std::ostream& os, const response_body& b) {
    return os << b.view();
  }

 private:
  // A document takes 1.7-2.6 times its text (the fixtures of shared/fixtures/pool-apis), so
  // its storage's first block is sized for twice the text: one allocation per parsed answer
  // instead of two or three from 1 KB upward, each over the allocator's fast size. Capped, so a
  // large body grows its storage block by block as before. The block is taken at the parse.
  static constexpr std::size_t first_block(std::size_t text_size) {
    const std::size_t want = 2 * text_size + 256;
    return want < (64u << 10) ? want : (64u << 10);
  }

  struct shared {
    explicit shared(std::string t) : text(std::move(t)), storage(first_block(text.size())) {}
    std::string text;
    mutable std::atomic<bool> parsed{false};  // document is final (set under `parsing`)
    mutable std::mutex parsing;
    // One block list for the whole document, freed with it: no allocation per node.
    mutable boost::json::monotonic_resource storage;
    mutable std::optional<boost::json::value> document;  // destroyed before its storage
  };
  std::shared_ptr<const shared> shared_;
};

}  // namespace mc
