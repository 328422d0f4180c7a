// The machine's floor for a poll: the least a process can spend on one loopback HTTP exchange
// paced like the service's polls, with no HTTP library, actor or driver in the way. It sends
// `GET PATH{i % wallets}` at RATE requests/s over at most CONNS keep-alive connections (more
// wait for a free one, as the service's per-origin queue does), waits in epoll_wait, reads each
// answer up to its Content-Length, and prints its own CPU (getrusage) per exchange. The
// service's CPU per poll minus this is what the service itself adds (bench/RESULTS.md).
//
//   poll_floor --connect IP:PORT --host NAME --path PREFIX [--wallets N] [--rate R] [--conns C]
//         [--seconds S] [--tick-ms T]
//
// --tick-ms T holds each send back to the next multiple of T ms from the start, as the
// service's --timer-slack-ms (default 1000) does with its poll timers: the sends of one tick
// leave together and their answers come back one by one.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using steady = std::chrono::steady_clock;

struct options {
  std::string ip = "127.0.0.1";
  int port = 0;
  std::string host = "127.0.0.1";
  std::string path = "/solopool/dgb/api/accounts/bench-wallet-";
  int wallets = 1000;
  double rate = 33.3;
  int conns = 4;
  double seconds = 30;
  int tick_ms = 0;
};

struct conn {
  int fd = -1;
  bool busy = false;
  std::string in;
};

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "poll_floor: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

options parse(int argc, char** argv) {
  options o;
  if (argc % 2 == 0) {
    std::fprintf(stderr, "poll_floor: %s needs a value\n", argv[argc - 1]);
    std::exit(2);
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--connect") {
      const std::string s = v;
      const auto colon = s.rfind(':');
      o.ip = s.substr(0, colon);
      o.port = std::atoi(s.c_str() + colon + 1);
    } else if (k == "--host") {
      o.host = v;
    } else if (k == "--path") {
      o.path = v;
    } else if (k == "--wallets") {
      o.wallets = std::atoi(v);
    } else if (k == "--rate") {
      o.rate = std::atof(v);
    } else if (k == "--conns") {
      o.conns = std::atoi(v);
    } else if (k == "--tick-ms") {
      o.tick_ms = std::atoi(v);
    } else if (k == "--seconds") {
      o.seconds = std::atof(v);
    } else {
      std::fprintf(stderr, "poll_floor: unknown option %s\n", argv[i]);
      std::exit(2);
    }
  }
  if (o.port <= 0 || o.wallets <= 0 || o.rate <= 0 || o.conns <= 0) {
    std::fprintf(stderr, "poll_floor: --connect IP:PORT is required; counts must be positive\n");
    std::exit(2);
  }
  return o;
}

int connect_to(const options& o) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(o.port));
  if (::inet_pton(AF_INET, o.ip.c_str(), &a.sin_addr) != 1) die("address");
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 && errno != EINPROGRESS)
    die("connect");
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// The length of a whole answer at the front of `in`, or 0 while it is incomplete.
std::size_t whole_answer(const std::string& in) {
  const auto end = in.find("\r\n\r\n");
  if (end == std::string::npos) return 0;
  std::size_t length = 0;
  for (auto p = in.find("\r\n"); p < end; p = in.find("\r\n", p + 2)) {
    if (::strncasecmp(in.c_str() + p + 2, "content-length:", 15) == 0)
      length = std::strtoul(in.c_str() + p + 17, nullptr, 10);
  }
  return in.size() >= end + 4 + length ? end + 4 + length : 0;
}

// This process's CPU seconds (user + system) and voluntary context switches so far.
struct usage {
  double cpu;
  long switches;
};
usage usage_now() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return {static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
              static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6,
          u.ru_nvcsw};
}

}  // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("epoll_create1");
  std::vector<conn> conns(static_cast<std::size_t>(o.conns));
  for (std::size_t i = 0; i < conns.size(); ++i) {
    conns[i].fd = connect_to(o);
    epoll_event e{};
    e.events = EPOLLIN;
    e.data.u64 = i;
    if (::epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &e) < 0) die("epoll_ctl");
  }

  long sent = 0, answered = 0, not_ok = 0, next_wallet = 0, waiting = 0;
  auto send_one = [&](conn& c) {
    const std::string req = "GET " + o.path + std::to_string(next_wallet++ % o.wallets) +
                            " HTTP/1.1\r\nHost: " + o.host + "\r\nUser-Agent: floor\r\n\r\n";
    if (::send(c.fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()))
      die("send");
    c.busy = true;
    ++sent;
  };
  auto free_conn = [&]() -> conn* {
    for (auto& c : conns)
      if (!c.busy) return &c;
    return nullptr;
  };

  const auto period =
      std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(1.0 / o.rate));
  const auto start = steady::now();
  const auto stop = start + std::chrono::duration_cast<steady::duration>(
                                std::chrono::duration<double>(o.seconds));
  auto due = start;
  const std::chrono::milliseconds tick(o.tick_ms);
  auto released = [&](steady::time_point t) {
    if (tick.count() == 0) return t;
    return start + ((t - start + tick - steady::duration(1)) / tick) * tick;
  };
  const usage before = usage_now();
  char buf[16384];
  epoll_event events[64];
  for (;;) {
    const auto now = steady::now();
    while (released(due) <= now && due < stop) {
      if (conn* c = free_conn())
        send_one(*c);
      else
        ++waiting;
      due += period;
    }
    // After the last send, only the answers still due are awaited.
    if (now >= stop && waiting == 0 &&
        std::none_of(conns.begin(), conns.end(), [](const conn& c) { return c.busy; }))
      break;
    const auto wait = due < stop ? released(due) - now : std::chrono::milliseconds(100);
    const int ms = static_cast<int>(
        std::chrono::ceil<std::chrono::milliseconds>(std::max(wait, steady::duration{})).count());
    const int n = ::epoll_wait(ep, events, 64, ms);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int i = 0; i < n; ++i) {
      conn& c = conns[events[i].data.u64];
      for (;;) {
        const ssize_t got = ::recv(c.fd, buf, sizeof buf, 0);
        if (got > 0) {
          c.in.append(buf, static_cast<std::size_t>(got));
          continue;
        }
        if (got == 0) {
          std::fprintf(stderr, "poll_floor: the server closed a connection\n");
          return 1;
        }
        if (errno == EAGAIN) break;
        die("recv");
      }
      while (const std::size_t len = whole_answer(c.in)) {
        if (c.in.compare(0, 13, "HTTP/1.1 200 ") != 0) ++not_ok;
        c.in.erase(0, len);
        c.busy = false;
        ++answered;
      }
      if (!c.busy && waiting > 0) {
        --waiting;
        send_one(c);
      }
    }
  }
  const usage after = usage_now();
  const double per = answered > 0 ? (after.cpu - before.cpu) / static_cast<double>(answered) : 0;
  const double sw =
      answered > 0 ? static_cast<double>(after.switches - before.switches) / answered : 0;
  std::fprintf(stderr,
               "poll_floor: %ld exchanges (%ld not 200) in %.1f s over %d connections, tick %d "
               "ms: %.1f us CPU and %.2f switches per exchange\n",
               answered, not_ok, o.seconds, o.conns, o.tick_ms, per * 1e6, sw);
  std::printf(
      "floor_exchanges=%ld\nfloor_not_200=%ld\nfloor_us_per_exchange=%.1f\n"
      "floor_switches_per_exchange=%.2f\n",
      answered, not_ok, per * 1e6, sw);
  return sent == answered && answered > 0 ? 0 : 1;
}
