// The REST router (http/router) on any method and target, with a snapshot and a web UI root:
// every answer is a real status, JSON answers are valid JSON and nothing outside the UI root
// is ever served (percent-encoded dots, slashes, NULs, symlinks).
//
// Input: the method, a newline, the target ("GET\n/api/pools?x=1"); a leading '!' routes
// before the first snapshot.
#include "test/fuzz/route_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = mc::fuzz::as_text(data, size);
  const mc::http::snapshot* snap = &mc::fuzz::snapshot();
  if (in.starts_with('!')) {
    snap = nullptr;
    in.remove_prefix(1);
  }
  const auto nl = in.find('\n');
  const auto method = in.substr(0, nl);
  const auto target = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
  mc::fuzz::check_answer(mc::http::route(snap, method, target, mc::fuzz::options()));
  return 0;
}
