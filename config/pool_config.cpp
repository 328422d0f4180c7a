#include "config/pool_config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <miner_controller/driver_support.hpp>

#include "config/yaml_fields.hpp"

namespace mc::config {

namespace {

constexpr std::size_t max_file_bytes = 1 << 20;

bool has_control_chars(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// A stratum host: a stratum+tcp:// (or +ssl) prefix is dropped, anything else with a scheme,
// a path or blanks is not a host.
std::optional<std::string> clean_host(std::string url, std::string& reason) {
  for (const char* prefix : {"stratum+tcp://", "stratum+ssl://", "stratum2+tcp://"})
    if (url.starts_with(prefix)) url = url.substr(std::string_view(prefix).size());
  if (url.find("://") != std::string::npos) {
    reason = "must be a host name without a scheme (a stratum+tcp:// prefix is fine)";
    return std::nullopt;
  }
  if (url.empty() || url.find_first_of("/ \t?#@") != std::string::npos || has_control_chars(url)) {
    reason = "must be a host name without path or blanks, got \"" + url + "\"";
    return std::nullopt;
  }
  return url;
}

void read_fields(yaml_fields& f, mc::pool_config& c) {
  if (auto v = f.text("driver", true)) c.driver = *v;
  if (auto v = f.text("display_name", true)) {
    if (v->empty() || v->size() > 120 || has_control_chars(*v))
      f.report("display_name", "must be 1..120 characters without control characters");
    else
      c.display_name = *v;
  }
  if (auto v = f.text("url", true)) {
    std::string reason;
    if (auto host = clean_host(*v, reason))
      c.url = *host;
    else
      f.report("url", reason);
  }
  if (auto v = f.whole("port", true, 1, 65535)) c.port = static_cast<int>(*v);
  if (auto v = f.text("coin", true)) {
    std::string coin = *v;
    std::transform(coin.begin(), coin.end(), coin.begin(),
                   [](unsigned char ch) { return std::toupper(ch); });
    const bool symbol =  // [A-Z0-9]{2,10}
        coin.size() >= 2 && coin.size() <= 10 && std::all_of(coin.begin(), coin.end(), [](char ch) {
          return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        });
    if (symbol)
      c.coin = coin;
    else
      f.report("coin", "must be a coin symbol of 2..10 letters or digits, got \"" + *v + "\"");
  }
  if (auto v = f.text("region", false)) c.region = *v;
  if (auto v = f.text("mining_model", false)) {
    if (*v == "solo" || *v == "pool")
      c.mining_model = *v;
    else
      f.report("mining_model", "must be solo or pool, got \"" + *v + "\"");
  }
  c.fee_percent = f.number("fee_percent", 0, 100);
  c.requires_auth = f.flag("requires_auth").value_or(false);
  c.supports_shares = f.flag("supports_shares").value_or(false);
  c.supports_earnings = f.flag("supports_earnings").value_or(false);
  c.supports_balance = f.flag("supports_balance").value_or(false);
  if (auto v = f.text("description", false)) c.description = *v;
  c.enabled = f.flag("enabled").value_or(true);
  if (auto v = f.whole("poll_interval_s", false, 5, 3600)) c.poll_interval_s = static_cast<int>(*v);
  if (auto v = f.text("api_base_url", false)) {
    if (support::is_http_url(*v))
      c.api_base_url = *v;
    else
      f.report("api_base_url", "must be an http:// or https:// URL, got \"" + *v + "\"");
  }
  if (auto v = f.text("wallet", false)) c.wallet = *v;
  if (auto v = f.text("username", false)) c.username = *v;
  // A problem about the token never quotes it.
  if (auto v = f.text("api_token", false)) c.api_token = *v;
  for (auto& [k, v] : f.rest()) c.extra[k] = std::move(v);
}

}  // namespace

bool valid_pool_id(std::string_view id) {
  // [a-z0-9][a-z0-9._-]{0,63}, without std::regex: checked twice for each of 10 000 files.
  auto plain = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return !id.empty() && id.size() <= 64 && plain(id[0]) &&
         std::all_of(id.begin(), id.end(),
                     [&](char c) { return plain(c) || c == '.' || c == '_' || c == '-'; });
}

pool_file_result parse_pool_config(std::string_view pool_id, std::string_view display_path,
                                   std::string_view yaml_text) {
  pool_file_result r;
  const std::string file(display_path);
  if (!valid_pool_id(pool_id))
    r.problems.push_back({file, 0, "", "file name must be a pool id: [a-z0-9][a-z0-9._-]{0,63}"});
  auto read = [&](yaml_fields f) {
    mc::pool_config c;
    c.pool_id = std::string(pool_id);
    read_fields(f, c);
    r.field_lines = f.lines();
    if (r.problems.empty()) r.config = std::move(c);
  };
  if (auto flat = parse_flat_yaml(yaml_text)) {
    read(yaml_fields(*flat, file, r.problems));
    return r;
  }
  auto loaded = load_yaml(file, yaml_text, r.problems);
  if (!loaded) return r;
  const YAML::Node& root = *loaded;
  if (!root || root.IsNull()) {
    r.problems.push_back(
        {file, 1, "",
         "empty file: expected the pool's fields (driver, display_name, url, port, coin)"});
    return r;
  }
  if (!root.IsMap()) {
    r.problems.push_back({file, root.Mark().line + 1, "", "expected a mapping of pool fields"});
    return r;
  }
  read(yaml_fields(root, file, r.problems));
  return r;
}

std::optional<std::string> read_small_file(const std::filesystem::path& file, std::size_t limit,
                                           std::string& error) {
  // open + fstat + read into one buffer of the file's size: an ifstream allocated a buffer of
  // its own and a FILE for each file, a tenth of a start-up that reads 10 000 of them.
  struct closer {
    int fd;
    ~closer() {
      if (fd >= 0) ::close(fd);
    }
  } f{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    error = "cannot read the file";
    return std::nullopt;
  }
  struct stat st {};
  const auto expected =
      ::fstat(f.fd, &st) == 0 && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 0;
  // One byte more than expected, to see a file that grew (or one past the limit) at once.
  std::string text(std::min(expected, limit) + 1, '\0');
  std::size_t have = 0;
  while (have <= limit) {
    if (have == text.size()) text.resize(std::min(2 * text.size(), limit + 1));
    const auto n = ::read(f.fd, text.data() + have, text.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = "cannot read the file";
      return std::nullopt;
    }
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  if (have > limit) {
    error = "file is larger than " + std::to_string(limit) + " bytes";
    return std::nullopt;
  }
  text.resize(have);
  return text;
}

std::optional<std::string> read_pool_file(const std::filesystem::path& file,
                                          std::string_view display_path, pool_file_result& r) {
  std::string error;
  auto text = read_small_file(file, max_file_bytes, error);
  if (!text) r.problems.push_back({std::string(display_path), 0, "", error});
  return text;
}

pool_file_result load_pool_file(const std::filesystem::path& file, std::string_view display_path) {
  pool_file_result r;
  auto text = read_pool_file(file, display_path, r);
  return text ? parse_pool_config(file.stem().string(), display_path, *text) : r;
}

}  // namespace mc::config
