// A snapshot part with given bodies, for tests of what reads a snapshot (router, server,
// fuzz targets) without the tile cache. It counts its encodings: the snapshot's tests check
// that a part encodes only when read, and once.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "http/snapshot.hpp"

namespace mc::test {

class fixed_pool_part final : public http::pool_part {
 public:
  fixed_pool_part(std::string entry, std::optional<http::metrics::pool_lines> lines)
      : entry_(std::move(entry)), lines_(std::move(lines)) {}
  int encodings() const { return encodings_; }

 private:
  std::string encode_dashboard() const override {
    ++encodings_;
    return entry_;
  }
  std::optional<http::metrics::pool_lines> encode_metrics() const override {
    ++encodings_;
    return lines_;
  }
  std::string entry_;
  std::optional<http::metrics::pool_lines> lines_;
  mutable std::atomic<int> encodings_{0};
};

inline std::shared_ptr<const fixed_pool_part> fixed_part(
    std::string entry, std::optional<http::metrics::pool_lines> lines = std::nullopt) {
  return std::make_shared<const fixed_pool_part>(std::move(entry), std::move(lines));
}

}  // namespace mc::test
