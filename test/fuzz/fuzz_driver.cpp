// One bundled driver's parse(), loaded as the service loads it (drivers/loader: the plugin's
// C entry points), fed whatever a pool could answer: bodies, statuses, headers, transport
// errors, missing answers. Built once per driver, MC_FUZZ_DRIVER names the plugin file.
//
// Input: a raw body (a fixture file as it is) answers every planned request with 200, or
//   @@ <status> [transport error text]
//   header-name: value
//   <empty line>
//   body ...
// repeated, one record per planned request in plan order; fewer records leave the last
// requests unanswered. Status 0 is a transport failure ("connection refused" when no text).
#include <boost/json.hpp>
#include <cmath>
#include <stdexcept>

#include "drivers/loader.hpp"
#include "http/tile_json.hpp"
#include "test/fuzz/fuzz_target.hpp"

namespace {

using mc::fuzz::require;

const mc::drivers::loaded_driver& plugin() {
  static const auto loaded = [] {
    auto r = mc::drivers::load_driver(MC_FUZZ_DRIVER);
    if (auto* failure = std::get_if<mc::drivers::load_failure>(&r))
      throw std::runtime_error("cannot load " MC_FUZZ_DRIVER ": " + failure->reason);
    return std::get<mc::drivers::loaded_driver>(std::move(r));
  }();
  return loaded;
}

// A pool every bundled driver accepts and plans every request for.
mc::pool_config pool_for(const mc::driver_info& info) {
  mc::pool_config p;
  p.pool_id = "fuzz";
  p.driver = info.type;
  p.display_name = "fuzz";
  p.url = "pool.test";
  p.port = 3333;
  p.coin = info.supported_coins.empty() ? "BTC" : info.supported_coins.front();
  p.wallet = "bc1qfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz00";
  p.api_token = "fuzz-token-0123456789";
  return p;
}

mc::http_response record(std::string_view rec, const mc::http_request& req) {
  mc::http_response r;
  r.id = req.id;
  r.url = req.url;
  r.host = "pool.test";
  auto eol = rec.find('\n');
  const auto first = rec.substr(0, eol);  // "@@ 200 ..." without the "@@ "
  rec = eol == std::string_view::npos ? std::string_view{} : rec.substr(eol + 1);
  const auto blank = first.find(' ', 3);
  const auto code = first.substr(3, blank == std::string_view::npos ? blank : blank - 3);
  for (char c : code.substr(0, 3))
    if (c >= '0' && c <= '9') r.status = r.status * 10 + (c - '0');
  if (r.status == 0)
    r.error = blank == std::string_view::npos ? "connection refused" : first.substr(blank + 1);
  while (!rec.empty()) {
    eol = rec.find('\n');
    const auto line = rec.substr(0, eol);
    rec = eol == std::string_view::npos ? std::string_view{} : rec.substr(eol + 1);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    std::string name(line.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.push_back({std::move(name), std::string(value)});
  }
  if (r.error.empty()) r.body = std::string(rec);
  return r;
}

std::vector<mc::http_response> responses(std::string_view in,
                                         const std::vector<mc::http_request>& plan) {
  std::vector<mc::http_response> out;
  if (!in.starts_with("@@ ")) {
    // One body for every request, as a coalesced answer is: its JSON is parsed once for all.
    const mc::response_body body{std::string(in)};
    for (const auto& req : plan) {
      mc::http_response r;
      r.id = req.id;
      r.url = req.url;
      r.host = "pool.test";
      r.status = 200;
      r.body = body;
      out.push_back(std::move(r));
    }
    return out;
  }
  for (const auto& req : plan) {
    if (in.empty()) break;
    const auto next = in.find("\n@@ ");
    out.push_back(record(in.substr(0, next), req));
    in = next == std::string_view::npos ? std::string_view{} : in.substr(next + 1);
  }
  return out;
}

void check_number(const boost::json::value& v) {
  if (v.is_double()) require(std::isfinite(v.get_double()), "tile numbers are finite");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& d = plugin();
  const auto pool = pool_for(d.info);
  const mc::poll_context ctx{pool, 1764000000};
  const auto plan = d.instance->plan(ctx);
  const auto rs = responses(mc::fuzz::as_text(data, size), plan);
  mc::tile t;
  try {
    t = d.instance->parse(ctx, rs);
  } catch (...) {
    require(false, "parse() must not throw for any input");
  }
  require(t.health_status || !t.health_message.empty(), "a failure tile says why");
  // The tile's way out: the JSON the dashboard gets must be valid JSON again.
  const auto fields = mc::codec::tile_fields(t);
  for (const auto& [k, v] : fields) check_number(v);
  for (const auto& [group, v] : mc::codec::tile_groups(t))
    for (const auto& [k, x] : v.as_object()) check_number(x);
  boost::system::error_code ec;
  boost::json::parse(boost::json::serialize(fields), ec);
  require(!ec, "the tile serializes to valid JSON");
  return 0;
}
