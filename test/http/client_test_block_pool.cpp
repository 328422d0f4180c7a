// The client's kept read buffers: blocks come back for reuse up to the limit, only requests of
// the block size use them, a Beast flat_buffer reserving one takes and returns it, and threads
// may take and give at once (run under TSan by the tsan preset).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/test/unit_test.hpp>
#include <set>
#include <thread>
#include <vector>

#include "http/block_pool.hpp"

using mc::http::block_allocator;
using mc::http::block_pool;

BOOST_AUTO_TEST_SUITE(block_pool_suite)

BOOST_AUTO_TEST_CASE(a_given_block_is_taken_again_and_no_more_than_keep_are_kept) {
  block_pool pool{1024, 2};
  void* a = pool.take();
  void* b = pool.take();
  void* c = pool.take();
  BOOST_TEST(std::set<void*>({a, b, c}).size() == 3u);
  pool.give(a);
  pool.give(b);
  pool.give(c);  // over the limit: freed
  BOOST_TEST(pool.kept() == 2u);
  const std::set<void*> kept{a, b};
  void* d = pool.take();
  void* e = pool.take();
  BOOST_TEST(kept.count(d) == 1u);
  BOOST_TEST(kept.count(e) == 1u);
  BOOST_TEST(d != e);
  BOOST_TEST(pool.kept() == 0u);
  pool.give(d);
  pool.give(e);
}

BOOST_AUTO_TEST_CASE(only_requests_of_the_block_size_go_through_the_pool) {
  block_pool pool{4096, 4};
  block_allocator alloc{&pool};
  char* small = alloc.allocate(100);
  char* block = alloc.allocate(4096);
  alloc.deallocate(small, 100);
  BOOST_TEST(pool.kept() == 0u);
  alloc.deallocate(block, 4096);
  BOOST_TEST(pool.kept() == 1u);
  BOOST_TEST(static_cast<void*>(alloc.allocate(4096)) == static_cast<void*>(block));
  alloc.deallocate(block, 4096);
}

BOOST_AUTO_TEST_CASE(a_flat_buffer_reserving_a_block_returns_it_when_emptied_and_shrunk) {
  block_pool pool{16 * 1024, 4};
  boost::beast::basic_flat_buffer<block_allocator> buffer{block_allocator{&pool}};
  buffer.reserve(16 * 1024);
  BOOST_TEST(buffer.capacity() == 16 * 1024u);
  const void* first = buffer.prepare(10).data();
  buffer.commit(10);
  buffer.clear();
  buffer.shrink_to_fit();
  BOOST_TEST(buffer.capacity() == 0u);
  BOOST_TEST(pool.kept() == 1u);
  buffer.reserve(16 * 1024);
  BOOST_TEST(static_cast<const void*>(buffer.prepare(10).data()) == first);
  buffer.commit(10);
  BOOST_TEST(pool.kept() == 0u);
  // Growing past the block (an answer over 16 KB) leaves the pool and gives the block back.
  buffer.prepare(16 * 1024);
  BOOST_TEST(buffer.capacity() > 16 * 1024u);
  BOOST_TEST(pool.kept() == 1u);
}

BOOST_AUTO_TEST_CASE(threads_take_and_give_at_once) {
  block_pool pool{256, 8};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&pool] {
      for (int i = 0; i < 2000; ++i) {
        auto* b = static_cast<unsigned char*>(pool.take());
        b[0] = static_cast<unsigned char>(i);  // the block is this thread's alone until given
        b[255] = b[0];
        pool.give(b);
      }
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(pool.kept() >= 1u);
  BOOST_TEST(pool.kept() <= 4u);
}

BOOST_AUTO_TEST_SUITE_END()
