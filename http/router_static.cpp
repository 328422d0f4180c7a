#include "http/router_static.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace mc::http {

namespace fs = std::filesystem;

namespace {

bool safe_segment(const std::string& s) {
  if (s == "." || s == "..") return false;
  return s.find_first_of(std::string_view("/\\\0", 3)) == std::string::npos;
}

bool inside(const fs::path& root, const fs::path& p) {
  return std::mismatch(root.begin(), root.end(), p.begin(), p.end()).first == root.end();
}

// Hashed build output never changes under its name; everything else may change on a rebuild.
std::string cache_control_for(const std::vector<std::string>& segments) {
  if (segments.size() > 1 && segments[0] == "assets") return "public, max-age=31536000, immutable";
  return "no-cache";
}

api_response file_response(const fs::path& file, std::string cache_control) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return error_response(404, "not found");
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return error_response(500, "cannot read " + file.filename().string());
  api_response r;
  r.body = std::make_shared<const std::string>(std::move(bytes));
  r.content_type = content_type_for(file.filename().string());
  r.cache_control = std::move(cache_control);
  return r;
}

}  // namespace

fs::path canonical_static_root(const fs::path& dir) {
  auto root = fs::canonical(dir);  // throws filesystem_error (a system_error) naming dir
  if (!fs::is_directory(root))
    throw std::system_error(std::make_error_code(std::errc::not_a_directory),
                            "web UI directory " + dir.string());
  return root;
}

api_response serve_static(const fs::path& root, const std::vector<std::string>& segments) {
  if (!std::all_of(segments.begin(), segments.end(), safe_segment))
    return error_response(400, "invalid path");
  fs::path rel;
  for (const auto& s : segments) rel /= s;

  std::error_code ec;
  const auto file = fs::canonical(root / rel, ec);
  if (!ec) {
    // canonical() resolved every symlink: what is left must still lie under the root.
    if (!inside(root, file)) return error_response(404, "not found");
    if (fs::is_regular_file(file, ec)) return file_response(file, cache_control_for(segments));
  }
  // A missing file under assets/ or with a web file type (favicon.ico, app.js) is a 404 rather
  // than HTML posing as a script or an image; other paths (pools/my.pool) are client routes.
  if ((segments.size() > 1 && segments[0] == "assets") ||
      (!segments.empty() && content_type_for(segments.back()) != "application/octet-stream"))
    return error_response(404, "not found");
  const auto index = root / "index.html";
  if (!fs::is_regular_file(index, ec)) return error_response(404, "web UI not built");
  return file_response(index, "no-cache");
}

std::string_view content_type_for(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 18> types{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".wasm", "application/wasm"},
  }};
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    std::string ext(name.substr(dot));
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [e, type] : types)
      if (e == ext) return type;
  }
  return "application/octet-stream";
}

}  // namespace mc::http
