#include "http/router.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <initializer_list>
#include <miner_controller/utf8.hpp>
#include <type_traits>

#include "http/router_static.hpp"

namespace mc::http {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

body_ptr text(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

api_response answer(const body_ptr& body, int status = 200) {
  api_response r;
  r.status = status;
  r.body = body;
  return r;
}

// Built once: the common constant answers cost no allocation per request.
const body_ptr& constant(std::string_view which) {
  static const body_ptr ok = text(R"({"status":"ok"})");
  static const body_ptr ready = text(R"({"ready":true})");
  static const body_ptr not_ready = text(R"({"ready":false})");
  static const body_ptr empty_array = text("[]");
  if (which == "ok") return ok;
  if (which == "ready") return ready;
  if (which == "not_ready") return not_ready;
  return empty_array;
}

api_response starting() { return error_response(503, "starting"); }

// A snapshot field: null means the cache has not built it yet.
api_response from(const body_ptr& body) { return body ? answer(body) : starting(); }

bool is_read(std::string_view m) { return m == "GET" || m == "HEAD"; }

// One resource: GET/HEAD from the snapshot when `read` is set, the listed write methods when a
// write handler exists; any other method is a 405 naming what is allowed.
template <class Read>
route_result resource(std::string_view method, const route_options& o, Read read,
                      std::initializer_list<std::string_view> writes = {}) {
  constexpr bool has_read = !std::is_same_v<Read, std::nullptr_t>;
  if constexpr (has_read) {
    if (is_read(method)) return {false, read()};
  }
  std::string allow = has_read ? "GET, HEAD" : "";
  if (o.writes_enabled) {
    for (auto w : writes) {
      if (method == w) return {true, {}};
      allow += allow.empty() ? "" : ", ";
      allow += w;
    }
  }
  auto r = error_response(405, "method " + std::string(method) + " not allowed here");
  r.headers.emplace_back("Allow", std::move(allow));
  return {false, std::move(r)};
}

api_response templates(const snapshot* s, const std::vector<std::string>& seg) {
  if (!s || !s->templates) return starting();
  if (seg.size() == 2) return answer(s->templates->all());
  auto driver = s->templates->group(seg[2]);
  if (!driver) return error_response(404, "unknown driver: " + seg[2]);
  if (seg.size() == 3) return answer(driver);
  std::string key = seg[2] + "/";
  for (char c : seg[3]) key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  // A known driver without pools for that coin is an empty list, not an error.
  auto coin = s->templates->group(key);
  return answer(coin ? coin : constant("[]"));
}

api_response dashboard(const snapshot* s, std::string_view query) {
  if (!s) return starting();
  std::string id;
  if (!query_param(query, "pool_id", id)) return from(s->dashboard());
  auto entry = s->dashboard_of(id);
  if (!entry) return error_response(404, "unknown pool: " + id);
  return answer(std::move(entry));
}

api_response redirect(std::string location) {
  api_response r;
  r.status = 302;
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

api_response not_found(std::string_view path) {
  return error_response(404, "no such path: " + std::string(path));
}

route_result api(const snapshot* s, std::string_view method, std::string_view path,
                 std::string_view query, const std::vector<std::string>& seg,
                 const route_options& o) {
  const auto n = seg.size();
  if (n >= 2 && n <= 4 && seg[1] == "pool-templates")
    return resource(method, o, [&] { return templates(s, seg); });
  if (n == 3 && seg[1] == "dashboard" && seg[2] == "pools")
    return resource(method, o, [&] { return dashboard(s, query); });
  if (n == 2 && seg[1] == "drivers")
    return resource(method, o, [&] { return s ? from(s->drivers) : starting(); });
  if (n == 2 && seg[1] == "pools")
    return resource(method, o, [&] { return s && s->pools ? from(s->pools->get()) : starting(); },
                    {"POST"});
  if (n == 3 && seg[1] == "pools") return resource(method, o, nullptr, {"PUT", "DELETE"});
  if (n == 2 && seg[1] == "reload") return resource(method, o, nullptr, {"POST"});
  // Settings hold secrets (masked) and are read from config.yaml by the owner, not the snapshot.
  if (n == 2 && seg[1] == "settings") return resource(method, o, nullptr, {"GET", "PUT"});
  return {false, not_found(path)};
}

}  // namespace

api_response error_response(int status, std::string_view message,
                            const std::vector<std::string>& details) {
  // Messages quote what the client sent (a path, a pool id): kept valid UTF-8 so the answer is
  // valid JSON whatever the bytes were.
  boost::json::array d;
  for (const auto& x : details) d.emplace_back(valid_utf8(x));
  api_response r;
  r.status = status;
  r.body = text(
      boost::json::serialize(boost::json::object{{"error", valid_utf8(message)}, {"details", d}}));
  return r;
}

api_response make_response(int status, std::string body, std::string content_type) {
  api_response r;
  r.status = status;
  r.body = text(std::move(body));
  r.content_type = std::move(content_type);
  return r;
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(percent_decode(path.substr(i, j - i), false));
    i = j;
  }
  return out;
}

bool query_param(std::string_view query, std::string_view key, std::string& value) {
  std::size_t i = 0;
  while (i < query.size()) {
    auto amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    const auto pair = query.substr(i, amp - i);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq), true) == key) {
      value =
          eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1), true);
      return true;
    }
    i = amp + 1;
  }
  return false;
}

namespace {

// Mirrors dispatch() below: the template of the route that answered.
std::size_t route_of(const std::vector<std::string>& seg, bool ui) {
  const auto n = seg.size();
  auto index = [](std::string_view name) {
    for (std::size_t i = 0; i < route_templates.size(); ++i)
      if (route_templates[i] == name) return i;
    return other_route;
  };
  if (n == 0) return ui ? index("/app") : other_route;
  if (n == 1 && (seg[0] == "healthz" || seg[0] == "readyz" || seg[0] == "metrics"))
    return index("/" + seg[0]);
  if (seg[0] == "app") return ui ? index("/app") : other_route;
  if (seg[0] != "api" || n < 2) return other_route;
  if (n <= 4 && seg[1] == "pool-templates") return index("/api/pool-templates");
  if (n == 3 && seg[1] == "dashboard" && seg[2] == "pools") return index("/api/dashboard/pools");
  if (n == 3 && seg[1] == "pools") return index("/api/pools/{id}");
  if (n == 2 &&
      (seg[1] == "drivers" || seg[1] == "pools" || seg[1] == "reload" || seg[1] == "settings"))
    return index("/api/" + seg[1]);
  return other_route;
}

// The live counters answer from the start, so a scrape never fails while the service runs; the
// pools' families come with the first snapshot.
api_response metrics(const snapshot* s, const route_options& o) {
  api_response r;
  const auto pools = s ? s->metrics() : nullptr;
  if (o.metrics_tail) {
    // The live counters change with every request: one new body per scrape.
    std::string out = pools ? *pools : std::string{};
    out += o.metrics_tail();
    r.body = text(std::move(out));
  } else if (!s) {
    return starting();
  } else if (pools) {
    r.body = pools;
  } else {
    return error_response(404, "no metrics yet");
  }
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

route_result dispatch(const snapshot* s, std::string_view method, std::string_view path,
                      std::string_view query, const std::vector<std::string>& seg,
                      const route_options& o) {
  const bool ui = !o.static_root.empty();

  if (seg.empty()) {
    if (ui) return resource(method, o, [] { return redirect("/app/"); });
    return {false, not_found(path)};
  }
  const auto& first = seg[0];
  if (seg.size() == 1 && first == "healthz")
    return resource(method, o, [] { return answer(constant("ok")); });
  if (seg.size() == 1 && first == "readyz")
    return resource(method, o, [&] {
      return s && s->ready ? answer(constant("ready")) : answer(constant("not_ready"), 503);
    });
  if (seg.size() == 1 && first == "metrics")
    return resource(method, o, [&] { return metrics(s, o); });
  if (first == "api") return api(s, method, path, query, seg, o);
  if (first == "app" && ui) {
    // Relative URLs in index.html resolve against /app/, so the bare /app is sent there.
    if (path == "/app") return resource(method, o, [] { return redirect("/app/"); });
    return resource(method, o, [&] {
      return serve_static(o.static_root, std::vector<std::string>(seg.begin() + 1, seg.end()));
    });
  }
  return {false, not_found(path)};
}

}  // namespace

route_result route(const snapshot* s, std::string_view method, std::string_view target,
                   const route_options& o) {
  const auto [path, query] = split_target(target);
  const auto seg = path_segments(path);
  auto r = dispatch(s, method, path, query, seg, o);
  r.route = route_of(seg, !o.static_root.empty());
  return r;
}

}  // namespace mc::http
