#include "bench/mock_pool/router.hpp"

namespace mc::mock_pool {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

reply method_not_allowed(std::string_view allow) {
  return {405, error_body("method not allowed"), allow};
}

}  // namespace

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = hex_value(in[i + 1]);
    const int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

router::router(control& control, std::uint64_t seed)
    : control_(control), seed_(seed), apis_(make_apis()) {}

reply router::handle(std::string_view method, std::string_view target, std::string_view body,
                     const request_headers* headers) const {
  const auto query_at = target.find('?');
  const auto raw_path = target.substr(0, query_at);
  const auto query =
      query_at == std::string_view::npos ? std::string_view{} : target.substr(query_at + 1);
  if (raw_path.empty() || raw_path.front() != '/') {
    return {400, error_body("request target must be an absolute path")};
  }
  if (raw_path.starts_with("/_")) return handle_internal(method, raw_path, body);

  std::string path;
  path.reserve(raw_path.size());
  if (!percent_decode(raw_path, path)) return {400, error_body("malformed percent-encoding")};

  reply r{404, {}};
  std::string_view api_name;
  std::string_view endpoint = "other";
  if (method != "GET") {
    r = method_not_allowed("GET");
  } else {
    const std::string_view p = path;
    const auto name_end = p.find('/', 1);
    const auto name = p.substr(1, name_end == std::string_view::npos ? p.npos : name_end - 1);
    for (const auto& a : apis_) {
      if (a->name() != name) continue;
      const auto rest =
          name_end == std::string_view::npos ? std::string_view{} : p.substr(name_end);
      auto answer = a->handle({rest, query, control_.now_ms(), seed_, headers});
      r.status = answer.status;
      r.body = std::move(answer.body);
      r.content_type = answer.content_type;
      if (!answer.endpoint.empty()) {
        api_name = a->name();
        endpoint = answer.endpoint;
      }
      break;
    }
    if (r.body.empty()) {
      r.body = error_body("not found");
      r.content_type = json_type;
    }
  }
  // Faults match the path as the client wrote it, so tests can use their own URL.
  const auto faults = control_.apply_faults(raw_path, api_name, endpoint, r.status, r.body);
  r.delay = faults.delay;
  if (faults.injected) r.content_type = json_type;
  return r;
}

reply router::handle_internal(std::string_view method, std::string_view path,
                              std::string_view body) const {
  const bool get = method == "GET";
  const bool post = method == "POST";
  if (path == "/_stats") return get ? reply{200, control_.stats_json()} : method_not_allowed("GET");
  if (path == "/_stats/reset") {
    if (!post) return method_not_allowed("POST");
    control_.reset_stats();
    return {200, control_.stats_json()};
  }
  if (path == "/_control") {
    if (get) return {200, control_.settings_json()};
    if (!post) return method_not_allowed("GET, POST");
    auto [status, error] = control_.update(body);
    if (status != 200) return {status, std::move(error)};
    return {200, control_.settings_json()};
  }
  if (path == "/_control/reset") {
    if (!post) return method_not_allowed("POST");
    control_.reset();
    return {200, control_.settings_json()};
  }
  return {404, error_body("not found")};
}

}  // namespace mc::mock_pool
