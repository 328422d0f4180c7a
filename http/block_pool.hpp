// Equal-sized memory blocks kept for reuse, shared by threads.
//
// Why: the HTTP client reserves a 16 KB read buffer for every exchange. A block that size is
// past glibc's per-thread cache, so each one went through the allocator's slow path (its bins,
// often a consolidation of the small free chunks: ~1/5 of the allocator's time in a poll,
// bench/RESULTS.md). A handful of kept blocks serve every exchange in flight.
#pragma once

#include <cstddef>
#include <mutex>
#include <type_traits>
#include <vector>

namespace mc::http {

class block_pool {
 public:
  /// Blocks of `block_size` bytes; at most `keep` free blocks are kept, the rest are freed.
  block_pool(std::size_t block_size, std::size_t keep);
  ~block_pool();
  block_pool(const block_pool&) = delete;
  block_pool& operator=(const block_pool&) = delete;

  std::size_t block_size() const { return block_size_; }
  /// A block of block_size() bytes, aligned for any type: a kept one if there is one.
  void* take();
  /// Returns a block that take() gave.
  void give(void* block);
  /// Blocks kept now (free, ready for take()).
  std::size_t kept() const;

 private:
  const std::size_t block_size_;
  const std::size_t keep_;
  mutable std::mutex mutex_;
  std::vector<void*> free_;
};

/// An allocator of chars for Beast's basic_flat_buffer: requests of exactly the pool's block
/// size come from the pool, others from operator new.
class block_allocator {
 public:
  using value_type = char;
  template <class U>
  struct rebind {  // Beast asks for its char allocator, i.e. this one
    static_assert(std::is_same_v<U, char>);
    using other = block_allocator;
  };
  explicit block_allocator(block_pool* pool) noexcept : pool_(pool) {}
  char* allocate(std::size_t n);
  void deallocate(char* p, std::size_t n) noexcept;
  friend bool operator==(const block_allocator& a, const block_allocator& b) noexcept {
    return a.pool_ == b.pool_;
  }
  friend bool operator!=(const block_allocator& a, const block_allocator& b) noexcept {
    return !(a == b);
  }

 private:
  block_pool* pool_;
};

}  // namespace mc::http
