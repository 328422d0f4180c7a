// Raw request bytes as a connection delivers them: Beast's request parser with the server's
// limits (http/server.cpp), then the router, request after request as on a kept-alive
// connection; a write's body is read as JSON as the write handler does. No sockets.
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "http/server.hpp"
#include "test/fuzz/route_checks.hpp"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mc::http::server_options limits;  // the defaults the service runs with
  boost::asio::const_buffer in(data, size);
  for (int requests = 0; in.size() > 0 && requests < 16; ++requests) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.body_limit(limits.max_body_bytes);
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    boost::beast::error_code ec;
    while (in.size() > 0 && !parser.is_done()) {
      const auto used = parser.put(in, ec);
      in += used;
      if (ec == bhttp::error::need_more) ec = {};
      if (ec || used == 0) break;
    }
    // A cut request waits for more bytes (then times out); a bad one is answered 400/413/431.
    if (ec || !parser.is_done()) return 0;
    auto& req = parser.get();
    const auto routed = mc::http::route(&mc::fuzz::snapshot(), req.method_string(), req.target(),
                                        mc::fuzz::options());
    mc::fuzz::check_answer(routed);
    if (routed.is_write && !req.body().empty()) {
      boost::system::error_code json_ec;
      boost::json::parse(req.body(), json_ec);
    }
    if (!req.keep_alive()) return 0;
  }
  return 0;
}
