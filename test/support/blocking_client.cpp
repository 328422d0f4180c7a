#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "test/support/local_server.hpp"

namespace mc::test {
namespace {

// The answers of a batch of fetches; counts callbacks beyond the first per fetch.
struct batch {
  explicit batch(std::size_t n) : responses(n), answered(n, false) {}
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<mc::http_response> responses;
  std::vector<bool> answered;
  std::size_t count = 0;
};

}  // namespace

struct blocking_client::impl {
  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  std::vector<std::thread> threads;
  std::atomic<std::size_t> duplicates{0};
};

blocking_client::blocking_client(mc::http::client_options options, unsigned threads)
    : io_(std::make_unique<impl>()),
      client_(std::make_shared<mc::http::client>(io_->io, std::move(options))) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i)
    io_->threads.emplace_back([i = io_.get()] { i->io.run(); });
}

blocking_client::~blocking_client() {
  io_->work.reset();
  io_->io.stop();
  for (auto& t : io_->threads) t.join();
  client_.reset();
}

mc::http_response blocking_client::fetch(const mc::http_request& request) {
  return std::move(fetch_all({request}).front());
}

std::vector<mc::http_response> blocking_client::fetch_all(
    const std::vector<mc::http_request>& requests) {
  auto b = std::make_shared<batch>(requests.size());
  std::chrono::milliseconds longest{0};
  for (std::size_t i = 0; i < requests.size(); ++i) {
    longest = std::max(longest, requests[i].timeout);
    client_->fetch(requests[i], [b, i, dup = &io_->duplicates](mc::http_response r) {
      std::lock_guard lock(b->mutex);
      if (b->answered[i]) {
        ++*dup;
        return;
      }
      b->answered[i] = true;
      b->responses[i] = std::move(r);
      ++b->count;
      b->cv.notify_all();
    });
  }
  std::unique_lock lock(b->mutex);
  if (!b->cv.wait_for(lock, longest + std::chrono::seconds(5),
                      [&] { return b->count == requests.size(); }))
    throw std::runtime_error("blocking_client: " + std::to_string(requests.size() - b->count) +
                             " fetch(es) got no callback within the timeout + 5 s");
  return std::move(b->responses);
}

std::size_t blocking_client::duplicate_callbacks() const { return io_->duplicates; }

}  // namespace mc::test
