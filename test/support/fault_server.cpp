// The misbehaving server of fault_server.hpp: blocking POSIX sockets, one thread per connection,
// every wait bounded by a 100 ms poll() so stop() is seen promptly. Raw sockets on purpose: the
// faults are byte-level lies a well-behaved HTTP library would not send.
#include "test/support/fault_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/beast/zlib/deflate_stream.hpp>
#include <boost/crc.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace mc::test {

namespace {

using namespace std::chrono_literals;

std::string make_gzip_bomb() {
  namespace zlib = boost::beast::zlib;
  const std::string zeros(fault_server::gzip_bomb_inflated, '\0');
  zlib::deflate_stream ds;
  ds.reset(9, 15, 8, zlib::Strategy::normal);  // raw deflate; the gzip frame is ours
  std::string out(64 * 1024, '\0');
  zlib::z_params zs;
  zs.next_in = zeros.data();
  zs.avail_in = zeros.size();
  zs.next_out = out.data();
  zs.avail_out = out.size();
  boost::system::error_code ec;
  ds.write(zs, zlib::Flush::finish, ec);
  if (ec && ec != zlib::error::end_of_stream)
    throw std::runtime_error("gzip bomb: " + ec.message());
  out.resize(zs.total_out);
  // RFC 1952: magic, deflate, no flags, no time, no extra flags, unknown OS; CRC32 and size last.
  std::string gz("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  gz += out;
  boost::crc_32_type crc;
  crc.process_bytes(zeros.data(), zeros.size());
  auto le32 = [&gz](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) gz += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  le32(crc.checksum());
  le32(static_cast<std::uint32_t>(zeros.size()));
  return gz;
}

}  // namespace

struct fault_server::impl {
  int listener = -1;
  unsigned short port = 0;
  std::atomic<bool> stopping{false};
  std::thread acceptor;
  mutable std::mutex mutex;
  std::vector<std::thread> workers;
  std::set<int> open;
  std::map<std::string, std::size_t> hits;
  std::size_t accept_encoding = 0;

  // Sends everything or returns false (peer gone, server stopping). Never raises SIGPIPE.
  bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
      if (stopping) return false;
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Waits up to `d` in 100 ms steps; false when the peer closed or the server stops.
  bool pause(int fd, std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stopping && std::chrono::steady_clock::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        char c;
        if (::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) return false;
      }
    }
    return !stopping;
  }

  // The request head, or empty when the peer went away first.
  std::string read_head(int fd) {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 64 * 1024) {
      if (stopping) return {};
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return {};
      head.append(buf, static_cast<std::size_t>(n));
    }
    return head;
  }

  void serve(int fd) {
    const auto head = read_head(fd);
    if (!head.empty()) answer(fd, head);
    {
      std::lock_guard lock(mutex);
      open.erase(fd);
    }
    ::close(fd);
  }

  void answer(int fd, const std::string& head) {
    // "GET /<fault>/rest HTTP/1.1"
    const auto sp = head.find(' ');
    const auto path = head.substr(sp + 1, head.find(' ', sp + 1) - sp - 1);
    const auto fault = path.substr(1, path.find('/', 1) - 1);
    std::string lower = head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    {
      std::lock_guard lock(mutex);
      ++hits[fault];
      if (lower.find("\r\naccept-encoding:") != std::string::npos) ++accept_encoding;
    }
    const std::string ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
    if (fault == "slowloris") {
      if (!send_all(fd, "HTTP/1.1 200 OK\r\nX-Slow: ")) return;
      while (send_all(fd, "a") && pause(fd, 100ms)) {
      }
    } else if (fault == "endless_body") {
      if (!send_all(fd, ok + "Transfer-Encoding: chunked\r\n\r\n")) return;
      const std::string chunk = "10000\r\n" + std::string(0x10000, '[') + "\r\n";
      while (send_all(fd, chunk)) {
      }
    } else if (fault == "slow_body") {
      if (!send_all(fd, ok + "Content-Length: 100000\r\n\r\n{")) return;
      while (send_all(fd, " ") && pause(fd, 100ms)) {
      }
    } else if (fault == "reset_mid_body") {
      send_all(fd, ok + "Content-Length: 1000\r\n\r\n{\"data\":\"" + std::string(190, 'x'));
      pause(fd, 50ms);
      linger l{1, 0};  // close() now sends RST instead of FIN
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    } else if (fault == "redirect_loop") {
      send_all(fd, "HTTP/1.1 302 Found\r\nLocation: " + path +
                       "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    } else if (fault == "length_short") {
      send_all(fd, ok + "Content-Length: 3\r\nConnection: close\r\n\r\n{\"hashrate\": 5}");
    } else if (fault == "length_long") {
      if (send_all(fd, ok + "Content-Length: 1000\r\n\r\n{}")) pause(fd, 60s);
    } else if (fault == "bad_chunked") {
      send_all(fd, ok + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
      pause(fd, 1s);
    } else if (fault == "chunked") {
      send_all(fd, ok + "Transfer-Encoding: chunked\r\n\r\n" + "9\r\n{\"hashrat\r\n" +
                       "4\r\ne\": \r\n" + "3;ext=1\r\n42}\r\n" + "0\r\nX-Checksum: 7\r\n\r\n");
    } else if (fault == "gzip_bomb") {
      const auto& body = fault_server::gzip_bomb();
      send_all(fd, ok + "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\nConnection: close\r\n\r\n" + body);
    } else {
      send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }
  }

  void accept_loop() {
    while (!stopping) {
      pollfd p{listener, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard lock(mutex);
      open.insert(fd);
      workers.emplace_back([this, fd] { serve(fd); });
    }
  }
};

fault_server::fault_server() : impl_(std::make_unique<impl>()) {
  auto& i = *impl_;
  i.listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (i.listener < 0) throw std::runtime_error("fault_server: socket failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(i.listener, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(i.listener, 64) != 0 ||
      ::getsockname(i.listener, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(i.listener);
    throw std::runtime_error("fault_server: cannot listen on 127.0.0.1");
  }
  i.port = ntohs(a.sin_port);
  i.acceptor = std::thread([&i] { i.accept_loop(); });
}

fault_server::~fault_server() {
  auto& i = *impl_;
  i.stopping = true;
  i.acceptor.join();
  ::close(i.listener);
  // No new workers after the acceptor is gone; each sees `stopping` within 100 ms.
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(i.mutex);
    workers.swap(i.workers);
  }
  for (auto& w : workers) w.join();
}

unsigned short fault_server::port() const { return impl_->port; }

std::string fault_server::base_url(const std::string& fault) const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + "/" + fault;
}

std::size_t fault_server::requests(const std::string& fault) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->hits.find(fault);
  return it == impl_->hits.end() ? 0 : it->second;
}

std::size_t fault_server::open_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->open.size();
}

std::size_t fault_server::accept_encoding_requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accept_encoding;
}

const std::string& fault_server::gzip_bomb() {
  static const std::string bomb = make_gzip_bomb();
  return bomb;
}

}  // namespace mc::test
