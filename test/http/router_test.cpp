#define BOOST_TEST_MODULE http router
#include "http/router.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>

#include "http/router_static.hpp"
#include "test/support/fixed_pool_part.hpp"

namespace fs = std::filesystem;
using namespace mc::http;

namespace {

body_ptr b(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

const mc::http::metrics::pool_lines& a_b_lines() {
  static const auto lines = [] {
    mc::http::metrics::pool_sample p;
    p.pool_id = "a-b";
    p.up = true;
    return mc::http::metrics::render_pool(p);
  }();
  return lines;
}

// Pool "a-b" has series, "my pool" (disabled) has none.
std::unique_ptr<snapshot> make_snapshot() {
  auto sp = std::make_unique<snapshot>();
  auto& s = *sp;
  s.ready = true;
  // Templates: "solo-dgb" (solopool, DGB) and "ck" (ckpool, BTC); ckpool has no DGB ones.
  s.templates = std::make_shared<const template_set>(
      std::vector<std::string>{R"({"template_id":"ck"})", R"({"template_id":"solo-dgb"})"},
      std::map<std::string, std::vector<std::size_t>>{
          {"ckpool", {0}}, {"ckpool/BTC", {0}}, {"solopool", {1}}, {"solopool/DGB", {1}}});
  s.set_pools(std::make_shared<const pool_index>(std::vector<std::string>{"a-b", "my pool"}),
              {mc::test::fixed_part(R"({"pool_id":"a-b"})", a_b_lines()),
               mc::test::fixed_part(R"({"pool_id":"my pool"})")});
  s.drivers = b(R"({"loaded":[],"rejected":[]})");
  s.pools = lazy_body::of(b(R"([{"pool_id":"a-b"}])"));
  return sp;
}

// Pool "a-b"'s series: its text in GET /metrics is metrics::join_pools of them.
const std::string pools_metrics = mc::http::metrics::join_pools({&a_b_lines()});

std::string body(const api_response& r) { return r.body ? *r.body : std::string{}; }

std::string error_of(const api_response& r) {
  auto v = boost::json::parse(body(r));
  BOOST_REQUIRE(v.as_object().at("details").is_array());
  return std::string(v.as_object().at("error").as_string());
}

std::string header(const api_response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "<absent>";
}

api_response get(const snapshot* s, std::string_view target, const route_options& o = {}) {
  auto r = route(s, "GET", target, o);
  BOOST_REQUIRE(!r.is_write);
  return r.response;
}

// A built UI in a temp dir, a secret beside it and symlinks that try to reach the secret.
struct ui_dir {
  fs::path base = fs::temp_directory_path() / ("mc-router-test-" + std::to_string(::getpid()));
  fs::path root = base / "ui";

  ui_dir() {
    fs::remove_all(base);
    fs::create_directories(root / "assets");
    fs::create_directories(base / "outside");
    write(root / "index.html", "<html>index</html>");
    write(root / "assets" / "app-1234.js", "console.log(1)");
    write(root / "style.CSS", "body{}");
    write(root / "assets" / "inner.txt", "inner");
    write(base / "secret.txt", "SECRET");
    write(base / "outside" / "secret.txt", "SECRET");
    fs::create_symlink(base / "secret.txt", root / "link.txt");
    fs::create_directory_symlink(base / "outside", root / "linkdir");
    fs::create_symlink(root / "assets" / "inner.txt", root / "ok-link.txt");
  }
  ~ui_dir() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
  static void write(const fs::path& p, std::string_view text) { std::ofstream(p) << text; }
  route_options options() const { return {false, canonical_static_root(root), {}}; }
};

}  // namespace

BOOST_AUTO_TEST_CASE(snapshot_paths_answer_the_shared_bodies_without_copying) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  auto r = get(&s, "/api/pool-templates");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body.get() == s.templates->all().get());  // the same string, not a copy
  BOOST_TEST(*r.body == R"([{"template_id":"ck"},{"template_id":"solo-dgb"}])");
  BOOST_TEST(r.content_type == "application/json; charset=utf-8");
  BOOST_TEST(r.cache_control == "no-store");
  BOOST_TEST(get(&s, "/api/drivers").body.get() == s.drivers.get());
  BOOST_TEST(get(&s, "/api/pools").body.get() == s.pools->get().get());
  BOOST_TEST(get(&s, "/api/dashboard/pools").body.get() == s.dashboard().get());
  BOOST_TEST(get(&s, "/api/dashboard/pools?pool_id=a-b").body.get() == s.dashboard_of("a-b").get());
}

BOOST_AUTO_TEST_CASE(the_dashboard_joins_the_pools_entries_in_their_order) {
  const auto sp = make_snapshot();
  BOOST_TEST(body(get(sp.get(), "/api/dashboard/pools")) ==
             R"({"a-b":{"pool_id":"a-b"},"my pool":{"pool_id":"my pool"}})");
}

BOOST_AUTO_TEST_CASE(templates_by_driver_and_unknown_driver) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  BOOST_TEST(get(&s, "/api/pool-templates/solopool").body.get() ==
             s.templates->group("solopool").get());
  BOOST_TEST(body(get(&s, "/api/pool-templates/solopool")) == R"([{"template_id":"solo-dgb"}])");
  auto r = get(&s, "/api/pool-templates/nope");
  BOOST_TEST(r.status == 404);
  BOOST_TEST(error_of(r) == "unknown driver: nope");
}

BOOST_AUTO_TEST_CASE(templates_by_driver_and_coin_upper_cases_the_coin) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  for (auto t : {"/api/pool-templates/solopool/dgb", "/api/pool-templates/solopool/DGB",
                 "/api/pool-templates/solopool/dGb/"}) {
    auto r = get(&s, t);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.get() == s.templates->group("solopool/DGB").get());
  }
  auto none = get(&s, "/api/pool-templates/ckpool/dgb");  // known driver, no such coin
  BOOST_TEST(none.status == 200);
  BOOST_TEST(body(none) == "[]");
  auto unknown = get(&s, "/api/pool-templates/nope/dgb");
  BOOST_TEST(unknown.status == 404);
  BOOST_TEST(error_of(unknown) == "unknown driver: nope");
  BOOST_TEST(get(&s, "/api/pool-templates/solopool/dgb/extra").status == 404);
}

BOOST_AUTO_TEST_CASE(dashboard_by_pool_decodes_the_query) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  BOOST_TEST(body(get(&s, "/api/dashboard/pools?pool_id=a-b")) == R"({"pool_id":"a-b"})");
  BOOST_TEST(body(get(&s, "/api/dashboard/pools?pool_id=a%2Db")) == R"({"pool_id":"a-b"})");
  BOOST_TEST(body(get(&s, "/api/dashboard/pools?x=1&pool_id=my+pool")) ==
             R"({"pool_id":"my pool"})");
  BOOST_TEST(body(get(&s, "/api/dashboard/pools/?pool_id=my%20pool")) ==
             R"({"pool_id":"my pool"})");
  BOOST_TEST(get(&s, "/api/dashboard/pools?other=1").body.get() == s.dashboard().get());
  auto r = get(&s, "/api/dashboard/pools?pool_id=zz%21");
  BOOST_TEST(r.status == 404);
  BOOST_TEST(error_of(r) == "unknown pool: zz!");
  BOOST_TEST(get(&s, "/api/dashboard/pools?xpool_id=a-b").body.get() == s.dashboard().get());
}

// Found by fuzzing the router: a percent-encoded byte that is not UTF-8, quoted in the error,
// made the answer invalid JSON. boost::json::parse (error_of) rejects invalid UTF-8.
BOOST_AUTO_TEST_CASE(errors_quoting_the_request_stay_valid_utf8_json) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  BOOST_TEST(error_of(get(&s, "/api/dashboard/pools?pool_id=a%FFb%C3")) ==
             "unknown pool: a\xEF\xBF\xBD"
             "b\xEF\xBF\xBD");
  BOOST_TEST(error_of(get(&s, "/api/pool-templates/%E2%82%AC")) == "unknown driver: \xE2\x82\xAC");
  BOOST_TEST(error_of(get(&s, "/nope/%ED%A0%80")) == "no such path: /nope/%ED%A0%80");
  BOOST_TEST(error_of(route(&s, "G\xC0T", "/healthz").response) ==
             "method G\xEF\xBF\xBDT not allowed here");
}

BOOST_AUTO_TEST_CASE(health_readiness_and_metrics) {
  auto sp = make_snapshot();
  auto& s = *sp;
  BOOST_TEST(body(get(nullptr, "/healthz")) == R"({"status":"ok"})");
  BOOST_TEST(get(nullptr, "/healthz").status == 200);
  BOOST_TEST(get(nullptr, "/readyz").status == 503);
  BOOST_TEST(body(get(nullptr, "/readyz")) == R"({"ready":false})");
  BOOST_TEST(get(&s, "/readyz").status == 200);
  BOOST_TEST(body(get(&s, "/readyz")) == R"({"ready":true})");
  s.ready = false;
  BOOST_TEST(get(&s, "/readyz").status == 503);

  auto m = get(&s, "/metrics");
  BOOST_TEST(m.status == 200);
  BOOST_TEST(m.content_type == "text/plain; version=0.0.4; charset=utf-8");
  BOOST_TEST(body(m) == pools_metrics);  // the pool without series adds nothing
  BOOST_TEST(m.body.get() == s.metrics().get());
  const snapshot no_pools;
  BOOST_TEST(get(&no_pools, "/metrics").status == 404);
  BOOST_TEST(get(nullptr, "/metrics").status == 503);
}

BOOST_AUTO_TEST_CASE(metrics_tail_is_appended_at_request_time) {
  auto sp = make_snapshot();
  auto& s = *sp;
  int calls = 0;
  route_options o;
  o.metrics_tail = [&] { return "mc_live " + std::to_string(++calls) + "\n"; };
  auto r = route(&s, "GET", "/metrics", o).response;
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.content_type == "text/plain; version=0.0.4; charset=utf-8");
  BOOST_TEST(*r.body == pools_metrics + "mc_live 1\n");
  BOOST_TEST(*route(&s, "GET", "/metrics", o).response.body == pools_metrics + "mc_live 2\n");
  const snapshot no_pools;  // the server's own counters need no pools
  BOOST_TEST(*route(&no_pools, "GET", "/metrics", o).response.body == "mc_live 3\n");
  BOOST_TEST(*route(nullptr, "GET", "/metrics", o).response.body == "mc_live 4\n");
}

BOOST_AUTO_TEST_CASE(every_request_has_a_route_template_for_metrics) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  route_options ui;
  ui.static_root = "/nonexistent-ui";
  auto name = [&](std::string_view method, std::string_view target, const route_options& o) {
    return std::string(route_templates[route(&s, method, target, o).route]);
  };
  BOOST_TEST(name("GET", "/healthz", {}) == "/healthz");
  BOOST_TEST(name("GET", "/readyz?x", {}) == "/readyz");
  BOOST_TEST(name("HEAD", "/metrics", {}) == "/metrics");
  BOOST_TEST(name("GET", "/api/pool-templates/solopool/dgb", {}) == "/api/pool-templates");
  BOOST_TEST(name("GET", "/api/dashboard/pools?pool_id=a", {}) == "/api/dashboard/pools");
  BOOST_TEST(name("GET", "/api/drivers/", {}) == "/api/drivers");
  BOOST_TEST(name("POST", "/api/pools", {}) == "/api/pools");
  BOOST_TEST(name("DELETE", "/api/pools/some-pool", {}) == "/api/pools/{id}");
  BOOST_TEST(name("POST", "/api/reload", {}) == "/api/reload");
  BOOST_TEST(name("PUT", "/api/settings", {}) == "/api/settings");
  BOOST_TEST(name("GET", "/app/assets/x.js", ui) == "/app");
  BOOST_TEST(name("GET", "/", ui) == "/app");
  BOOST_TEST(name("GET", "/app/x", {}) == "other");  // no UI: a 404 like any other
  for (auto t : {"/", "/nope", "/api", "/api/nope", "/api/pools/a/b", "/healthz/x", "/x%2Fy"})
    BOOST_TEST(name("GET", t, {}) == "other", t);
}

BOOST_AUTO_TEST_CASE(api_paths_answer_starting_before_the_first_snapshot) {
  for (auto t :
       {"/api/pool-templates", "/api/pool-templates/solopool", "/api/pool-templates/solopool/dgb",
        "/api/dashboard/pools", "/api/dashboard/pools?pool_id=x", "/api/drivers", "/api/pools"}) {
    auto r = get(nullptr, t);
    BOOST_TEST(r.status == 503, t);
    BOOST_TEST(error_of(r) == "starting");
  }
  snapshot empty;  // published, but the cache has not filled a field yet
  BOOST_TEST(get(&empty, "/api/drivers").status == 503);
}

BOOST_AUTO_TEST_CASE(trailing_slash_and_unknown_paths) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  BOOST_TEST(get(&s, "/api/pools/").body.get() == s.pools->get().get());
  BOOST_TEST(get(&s, "/api/drivers//").body.get() == s.drivers.get());
  for (auto t : {"/", "/nope", "/api", "/api/", "/api/nope", "/api/dashboard", "/healthz/x",
                 "/app/", "/apps"}) {
    auto r = get(&s, t);
    BOOST_TEST(r.status == 404, t);
    BOOST_TEST(error_of(r).starts_with("no such path"));
  }
}

BOOST_AUTO_TEST_CASE(head_works_like_get) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  auto r = route(&s, "HEAD", "/api/pools", {});
  BOOST_TEST(!r.is_write);
  BOOST_TEST(r.response.body.get() == s.pools->get().get());
  BOOST_TEST(route(&s, "HEAD", "/healthz", {}).response.status == 200);
}

BOOST_AUTO_TEST_CASE(wrong_method_is_405_with_allow) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  for (auto [m, t] : {std::pair{"POST", "/api/drivers"},
                      {"DELETE", "/healthz"},
                      {"PUT", "/api/dashboard/pools"},
                      {"POST", "/api/pool-templates/x"},
                      {"OPTIONS", "/metrics"}}) {
    auto r = route(&s, m, t, {});
    BOOST_TEST(r.response.status == 405, m << " " << t);
    BOOST_TEST(header(r.response, "Allow") == "GET, HEAD");
  }
}

BOOST_AUTO_TEST_CASE(write_paths_go_to_the_write_handler) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  route_options w{true, {}, {}};
  for (auto [m, t] : {std::pair{"POST", "/api/pools"},
                      {"PUT", "/api/pools/a-b"},
                      {"DELETE", "/api/pools/a-b/"},
                      {"POST", "/api/reload"},
                      {"GET", "/api/settings"},
                      {"PUT", "/api/settings"}}) {
    BOOST_TEST(route(&s, m, t, w).is_write, m << " " << t);
    BOOST_TEST(route(nullptr, m, t, w).is_write, "before a snapshot: " << m << " " << t);
  }
  auto r = route(&s, "GET", "/api/pools/a-b", w);
  BOOST_TEST(r.response.status == 405);
  BOOST_TEST(header(r.response, "Allow") == "PUT, DELETE");
  r = route(&s, "DELETE", "/api/pools", w);
  BOOST_TEST(header(r.response, "Allow") == "GET, HEAD, POST");
  r = route(&s, "GET", "/api/reload", w);
  BOOST_TEST(header(r.response, "Allow") == "POST");
  r = route(&s, "DELETE", "/api/settings", w);
  BOOST_TEST(header(r.response, "Allow") == "GET, PUT");
  BOOST_TEST(route(&s, "GET", "/api/pools", w).response.body.get() == s.pools->get().get());
}

BOOST_AUTO_TEST_CASE(write_paths_without_a_handler_are_405) {
  const auto sp = make_snapshot();
  const auto& s = *sp;
  auto r = route(&s, "POST", "/api/pools", {});
  BOOST_TEST(!r.is_write);
  BOOST_TEST(r.response.status == 405);
  BOOST_TEST(header(r.response, "Allow") == "GET, HEAD");
  for (auto [m, t] :
       {std::pair{"PUT", "/api/pools/a"}, {"POST", "/api/reload"}, {"GET", "/api/settings"}}) {
    auto x = route(&s, m, t, {});
    BOOST_TEST(!x.is_write);
    BOOST_TEST(x.response.status == 405, m << " " << t);
    BOOST_TEST(header(x.response, "Allow") == "");
  }
}

BOOST_AUTO_TEST_CASE(error_bodies_are_json_with_details) {
  auto r = error_response(400, "bad \"input\"", {"a: 1", "b"});
  auto v = boost::json::parse(body(r)).as_object();
  BOOST_TEST(v.at("error").as_string() == "bad \"input\"");
  BOOST_TEST(v.at("details").as_array().size() == 2u);
  BOOST_TEST(r.status == 400);
}

BOOST_AUTO_TEST_CASE(target_helpers) {
  auto [p, q] = split_target("/a/b?x=1&y");
  BOOST_TEST(p == "/a/b");
  BOOST_TEST(q == "x=1&y");
  BOOST_TEST(split_target("/a").second.empty());
  BOOST_TEST(percent_decode("a%2Fb%zz%4", false) == "a/b%zz%4");
  BOOST_TEST(percent_decode("a+b", false) == "a+b");
  BOOST_TEST(percent_decode("a+b", true) == "a b");
  BOOST_TEST((path_segments("//api//x%20y/") == std::vector<std::string>{"api", "x y"}));
  std::string v;
  BOOST_TEST(query_param("y&x=1", "y", v));
  BOOST_TEST(v.empty());
  BOOST_TEST(query_param("a=1&pool%5Fid=z%3D", "pool_id", v));
  BOOST_TEST(v == "z=");
  BOOST_TEST(!query_param("", "x", v));
  BOOST_TEST(!query_param("xx=1", "x", v));
}

BOOST_AUTO_TEST_CASE(static_files_with_content_types_and_spa_fallback) {
  ui_dir ui;
  const auto o = ui.options();
  const auto sp = make_snapshot();
  const auto& s = *sp;

  auto idx = get(&s, "/app/", o);
  BOOST_TEST(idx.status == 200);
  BOOST_TEST(body(idx) == "<html>index</html>");
  BOOST_TEST(idx.content_type == "text/html; charset=utf-8");
  BOOST_TEST(idx.cache_control == "no-cache");

  auto js = get(&s, "/app/assets/app-1234.js", o);
  BOOST_TEST(body(js) == "console.log(1)");
  BOOST_TEST(js.content_type == "text/javascript; charset=utf-8");
  BOOST_TEST(js.cache_control == "public, max-age=31536000, immutable");
  BOOST_TEST(get(&s, "/app/style.CSS", o).content_type == "text/css; charset=utf-8");
  BOOST_TEST(body(get(&s, "/app/ok-link.txt", o)) == "inner");  // a symlink inside the root

  // Client-side routes answer index.html; a missing build asset does not.
  BOOST_TEST(body(get(&s, "/app/pools/solopool-dgb-eu1", o)) == "<html>index</html>");
  BOOST_TEST(body(get(&s, "/app/pools/my.pool", o)) == "<html>index</html>");
  BOOST_TEST(body(get(&s, "/app/assets", o)) == "<html>index</html>");  // a directory
  BOOST_TEST(get(&s, "/app/assets/missing.js", o).status == 404);
  BOOST_TEST(get(&s, "/app/favicon.ico", o).status == 404);
  BOOST_TEST(get(&s, "/app/pools/x/app.js", o).status == 404);

  auto redirect = get(&s, "/app", o);
  BOOST_TEST(redirect.status == 302);
  BOOST_TEST(header(redirect, "Location") == "/app/");
  auto root = get(&s, "/", o);
  BOOST_TEST(root.status == 302);
  BOOST_TEST(header(root, "Location") == "/app/");
  BOOST_TEST(route(&s, "POST", "/app/", o).response.status == 405);
  BOOST_TEST(get(nullptr, "/app/", o).status == 200);  // the UI does not wait for a snapshot
}

BOOST_AUTO_TEST_CASE(static_files_cannot_leave_the_root) {
  ui_dir ui;
  const auto o = ui.options();
  for (auto t : {"/app/../../etc/passwd", "/app/../secret.txt", "/app/%2e%2e/secret.txt",
                 "/app/%2E%2E/%2e%2e/etc/passwd", "/app/..%2fsecret.txt", "/app/..%2Fsecret.txt",
                 "/app/assets/..%5c..%5csecret.txt", "/app/./index.html", "/app/a%00b",
                 "/app/%2fetc%2fpasswd"}) {
    auto r = get(nullptr, t, o);
    BOOST_TEST(r.status == 400, t);
    BOOST_TEST(body(r).find("SECRET") == std::string::npos);
  }
  // Symlinks out of the root resolve, then fail the prefix check.
  for (auto t : {"/app/link.txt", "/app/linkdir/secret.txt"}) {
    auto r = get(nullptr, t, o);
    BOOST_TEST(r.status == 404, t);
    BOOST_TEST(body(r).find("SECRET") == std::string::npos);
  }
  // An absolute path inside the target is just a path under the root (here: unknown -> index).
  BOOST_TEST(body(get(nullptr, "/app//etc/passwd", o)) == "<html>index</html>");
}

BOOST_AUTO_TEST_CASE(static_root_must_be_a_directory) {
  BOOST_CHECK_THROW(canonical_static_root("/nonexistent/mc-ui"), std::system_error);
  BOOST_CHECK_THROW(canonical_static_root("/etc/hostname"), std::system_error);
  ui_dir ui;
  fs::remove(ui.root / "index.html");
  auto r = get(nullptr, "/app/", ui.options());
  BOOST_TEST(r.status == 404);
  BOOST_TEST(error_of(r) == "web UI not built");
}

BOOST_AUTO_TEST_CASE(content_types_by_extension) {
  BOOST_TEST(content_type_for("a.html") == "text/html; charset=utf-8");
  BOOST_TEST(content_type_for("a.min.JS") == "text/javascript; charset=utf-8");
  BOOST_TEST(content_type_for("a.svg") == "image/svg+xml");
  BOOST_TEST(content_type_for("a.woff2") == "font/woff2");
  BOOST_TEST(content_type_for("a.json") == "application/json; charset=utf-8");
  BOOST_TEST(content_type_for("README") == "application/octet-stream");
  BOOST_TEST(content_type_for("a.exe") == "application/octet-stream");
}
