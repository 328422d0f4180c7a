#include "http/block_pool.hpp"

#include <new>

namespace mc::http {

block_pool::block_pool(std::size_t block_size, std::size_t keep)
    : block_size_(block_size), keep_(keep) {
  free_.reserve(keep);
}

block_pool::~block_pool() {
  for (void* b : free_) ::operator delete(b);
}

void* block_pool::take() {
  {
    std::lock_guard lock{mutex_};
    if (!free_.empty()) {
      void* b = free_.back();
      free_.pop_back();
      return b;
    }
  }
  return ::operator new(block_size_);
}

void block_pool::give(void* block) {
  {
    std::lock_guard lock{mutex_};
    if (free_.size() < keep_) {
      free_.push_back(block);
      return;
    }
  }
  ::operator delete(block);
}

std::size_t block_pool::kept() const {
  std::lock_guard lock{mutex_};
  return free_.size();
}

char* block_allocator::allocate(std::size_t n) {
  if (n == pool_->block_size()) return static_cast<char*>(pool_->take());
  return static_cast<char*>(::operator new(n));
}

void block_allocator::deallocate(char* p, std::size_t n) noexcept {
  if (n == pool_->block_size()) return pool_->give(p);
  ::operator delete(p);
}

}  // namespace mc::http
