// Shared by the router and raw-request targets: a fixed snapshot, a web UI root with a file
// beside it that must never be served, and what every routed answer must satisfy.
#pragma once

#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "http/router.hpp"
#include "http/router_static.hpp"
#include "test/fuzz/fuzz_target.hpp"
#include "test/support/fixed_pool_part.hpp"

namespace mc::fuzz {

inline const http::snapshot& snapshot() {
  static const auto snap = [] {
    auto b = [](std::string t) { return std::make_shared<const std::string>(std::move(t)); };
    auto sp = std::make_shared<http::snapshot>();
    auto& s = *sp;
    s.ready = true;
    s.templates = std::make_shared<const http::template_set>(
        std::vector<std::string>{R"({"template_id":"solo-dgb"})"},
        std::map<std::string, std::vector<std::size_t>>{{"solopool", {0}}, {"solopool/DGB", {0}}});
    http::metrics::pool_sample up;
    up.pool_id = "a-b";
    up.up = true;
    s.set_pools(std::make_shared<const http::pool_index>(std::vector<std::string>{"a-b"}),
                {test::fixed_part(R"({"pool_id":"a-b"})", http::metrics::render_pool(up))});
    s.drivers = b(R"({"loaded":[],"rejected":[]})");
    s.pools = http::lazy_body::of(b(R"([{"pool_id":"a-b"}])"));
    return http::snapshot_ptr(sp);
  }();
  return *snap;
}

inline constexpr std::string_view outside_secret = "SECRET-OUTSIDE-THE-UI-ROOT";

/// <tmp>/ui/{index.html, assets/app.js, up -> ..}, <tmp>/secret.txt beside it.
inline const http::route_options& options() {
  static const http::route_options o = [] {
    namespace fs = std::filesystem;
    std::string dir = (fs::temp_directory_path() / "mc-fuzz-XXXXXX").string();
    require(mkdtemp(dir.data()) != nullptr, "a temp dir for the UI root");
    const fs::path ui = fs::path(dir) / "ui";
    fs::create_directories(ui / "assets");
    std::ofstream(ui / "index.html") << "<html>index</html>";
    std::ofstream(ui / "assets" / "app.js") << "console.log(1)";
    std::ofstream(fs::path(dir) / "secret.txt") << outside_secret;
    fs::create_directory_symlink("..", ui / "up");
    http::route_options o;
    o.writes_enabled = true;
    o.static_root = http::canonical_static_root(ui);
    return o;
  }();
  return o;
}

inline void check_answer(const http::route_result& r) {
  require(r.route < http::route_templates.size(), "the route label is one of the templates");
  if (r.is_write) return;
  const auto& a = r.response;
  require(a.status >= 200 && a.status <= 599, "a real HTTP status");
  const std::string body = a.body ? *a.body : std::string{};
  // Error messages quote the path a client sent, so only a served file (200) counts.
  require(a.status != 200 || body.find(outside_secret) == std::string::npos,
          "nothing outside the UI root is served");
  if (a.status == 405) {
    bool allow = false;
    for (const auto& [name, value] : a.headers) allow = allow || name == "Allow";
    require(allow, "a 405 names what is allowed");
  }
  if (a.content_type == http::json_type && a.body) {
    boost::system::error_code ec;
    boost::json::parse(body, ec);
    require(!ec, "a JSON answer is valid JSON (UTF-8)");
  }
}

}  // namespace mc::fuzz
