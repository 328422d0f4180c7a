// mock_pool: imitates mining-pool APIs for synthetic wallets on loopback (see README.md).
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "bench/mock_pool/control.hpp"
#include "bench/mock_pool/router.hpp"
#include "bench/mock_pool/server.hpp"

namespace {

constexpr std::string_view usage =
    "usage: mock_pool [--listen HOST:PORT] [--threads N] [--latency-ms N] [--jitter-ms N]\n"
    "                 [--error-rate 0..1] [--error-status 400..599] [--frozen-clock UNIX_S]\n"
    "                 [--seed N]\n"
    "Serves GET /solopool/{dgb,bch,btc,bc2}/api/{stats,blocks,accounts/WALLET},\n"
    "/braiins/accounts/{profile,workers,rewards}/json/btc/ (Pool-Auth-Token header),\n"
    "/mmfp[/INSTANCE]/api/v1/{health,COIN/metrics/pool,COIN/metrics/miners},\n"
    "/ckpool[/INSTANCE]/{pool/pool.status,users/WALLET} and the test\n"
    "controls /_control, /_control/reset, /_stats, /_stats/reset. Prints\n"
    "'mock_pool listening on HOST:PORT' once bound (port 0 = any free port).\n";

struct options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  int threads = 1;
  std::uint64_t seed = 0;
  mc::mock_pool::fault_settings faults;
};

struct usage_error {
  std::string message;
};

template <typename T>
T parse_number(std::string_view name, std::string_view text, T min, T max) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    std::ostringstream message;
    message << name << ": expected a number " << min << ".." << max << ", got '" << text << "'";
    throw usage_error{message.str()};
  }
  return value;
}

void parse_listen(std::string_view text, options& o) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) throw usage_error{"--listen: expected HOST:PORT"};
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  o.host = host == "localhost" ? "127.0.0.1" : std::string(host);
  o.port = parse_number<std::uint16_t>("--listen port", text.substr(colon + 1), 0, 65535);
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      std::exit(0);
    }
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw usage_error{std::string(arg) + ": missing value"};
    }
    auto& f = o.faults;
    if (arg == "--listen") {
      parse_listen(value, o);
    } else if (arg == "--threads") {
      o.threads = parse_number<int>(arg, value, 1, 256);
    } else if (arg == "--latency-ms") {
      f.latency_ms = parse_number<std::int64_t>(arg, value, 0, 600000);
    } else if (arg == "--jitter-ms") {
      f.jitter_ms = parse_number<std::int64_t>(arg, value, 0, 600000);
    } else if (arg == "--error-rate") {
      f.error_rate = parse_number<double>(arg, value, 0.0, 1.0);
    } else if (arg == "--error-status") {
      f.error_status = parse_number<unsigned>(arg, value, 400, 599);
    } else if (arg == "--frozen-clock") {
      f.frozen_clock_s = parse_number<std::int64_t>(arg, value, 0, 253402300799);
    } else if (arg == "--seed") {
      o.seed = parse_number<std::uint64_t>(arg, value, 0, UINT64_MAX);
    } else {
      throw usage_error{"unknown option " + std::string(arg)};
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  try {
    o = parse(argc, argv);
  } catch (const usage_error& e) {
    std::cerr << "mock_pool: " << e.message << " (see --help)\n";
    return 2;
  }
  try {
    mc::mock_pool::control control(o.faults, o.seed);
    const mc::mock_pool::router router(control, o.seed);
    mc::mock_pool::server server(o.host, o.port, router);
    // Scripts and tests wait for exactly this line to learn the port.
    std::cout << "mock_pool listening on " << server.local_address() << std::endl;
    server.run(o.threads);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "mock_pool: " << e.what() << "\n";
    return 1;
  }
}
