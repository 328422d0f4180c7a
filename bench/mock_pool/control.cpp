#include "bench/mock_pool/control.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "bench/mock_pool/api.hpp"

namespace mc::mock_pool {
namespace {

namespace json = boost::json;

std::optional<std::int64_t> as_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.get_uint64());
  }
  return std::nullopt;
}

std::optional<unsigned> as_error_status(const json::value& v) {
  const auto n = as_int(v);
  if (!n || *n < 400 || *n > 599) return std::nullopt;
  return static_cast<unsigned>(*n);
}

std::optional<std::int64_t> as_millis(const json::value& v) {
  const auto n = as_int(v);
  if (!n || *n < 0 || *n > 600000) return std::nullopt;
  return n;
}

// Applies one /_control field to `s`; returns the problem, empty when fine.
std::string apply_field(fault_settings& s, std::string_view key, const json::value& v) {
  if (key == "latency_ms" || key == "jitter_ms") {
    const auto ms = as_millis(v);
    if (!ms) return std::string(key) + ": must be an integer 0..600000";
    (key == "latency_ms" ? s.latency_ms : s.jitter_ms) = *ms;
  } else if (key == "error_rate") {
    if (!v.is_number() || v.to_number<double>() < 0.0 || v.to_number<double>() > 1.0) {
      return "error_rate: must be a number 0..1";
    }
    s.error_rate = v.to_number<double>();
  } else if (key == "error_status") {
    const auto status = as_error_status(v);
    if (!status) return "error_status: must be an integer 400..599";
    s.error_status = *status;
  } else if (key == "frozen_clock") {
    if (v.is_null()) {
      s.frozen_clock_s.reset();
    } else if (const auto t = as_int(v); t && *t >= 0) {
      s.frozen_clock_s = *t;
    } else {
      return "frozen_clock: must be unix seconds or null";
    }
  } else if (key == "fail_paths") {
    if (!v.is_object()) return "fail_paths: must be an object {path: {status, times}}";
    for (const auto& [path, fault] : v.get_object()) {
      const std::string p(path);
      if (p.empty() || p.front() != '/') return "fail_paths: '" + p + "' must start with /";
      if (fault.is_null()) {
        s.fail_paths.erase(p);
        continue;
      }
      const auto* f = fault.if_object();
      const auto* status = f ? f->if_contains("status") : nullptr;
      if (!status || !as_error_status(*status)) {
        return "fail_paths['" + p + "']: needs status 400..599";
      }
      path_fault pf{*as_error_status(*status), -1};
      if (const auto* times = f->if_contains("times")) {
        const auto n = as_int(*times);
        if (!n || *n < 1) return "fail_paths['" + p + "'].times: must be a positive integer";
        pf.remaining = *n;
      }
      s.fail_paths[p] = pf;
    }
  } else {
    return "unknown field '" + std::string(key) + "'";
  }
  return {};
}

}  // namespace

control::control(fault_settings startup, std::uint64_t seed)
    : startup_(std::move(startup)), current_(startup_), rng_(seed) {
  frozen_s_ = current_.frozen_clock_s.value_or(real_clock);
}

std::int64_t control::now_ms() const {
  const std::int64_t frozen = frozen_s_.load(std::memory_order_relaxed);
  if (frozen != real_clock) return frozen * 1000;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

control::fault_outcome control::apply_faults(std::string_view path, std::string_view api,
                                             std::string_view endpoint, unsigned& status,
                                             std::string& body) {
  std::lock_guard lock(mutex_);
  ++total_;
  ++by_endpoint_[{api, endpoint}];
  std::optional<unsigned> injected;
  if (auto it = current_.fail_paths.find(path); it != current_.fail_paths.end()) {
    injected = it->second.status;
    if (it->second.remaining > 0 && --it->second.remaining == 0) current_.fail_paths.erase(it);
  } else if (current_.error_rate > 0.0 &&
             std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < current_.error_rate) {
    injected = current_.error_status;
  }
  if (injected) {
    ++injected_;
    status = *injected;
    body = error_body("injected fault: HTTP " + std::to_string(status));
  }
  ++by_status_[status];
  std::int64_t delay = current_.latency_ms;
  if (current_.jitter_ms > 0) {
    delay += std::uniform_int_distribution<std::int64_t>(0, current_.jitter_ms)(rng_);
  }
  return {std::chrono::milliseconds(delay), injected.has_value()};
}

std::pair<unsigned, std::string> control::update(std::string_view json_body) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(json::string_view(json_body.data(), json_body.size()), ec);
  if (ec || !parsed.is_object()) return {400, error_body("body must be a JSON object")};
  std::lock_guard lock(mutex_);
  fault_settings next = current_;  // all or nothing: a bad field changes no setting
  for (const auto& [key, value] : parsed.get_object()) {
    if (auto problem = apply_field(next, key, value); !problem.empty()) {
      return {400, error_body(problem)};
    }
  }
  current_ = std::move(next);
  frozen_s_ = current_.frozen_clock_s.value_or(real_clock);
  return {200, {}};
}

void control::reset() {
  std::lock_guard lock(mutex_);
  current_ = startup_;
  frozen_s_ = current_.frozen_clock_s.value_or(real_clock);
}

std::string control::settings_json() const {
  std::lock_guard lock(mutex_);
  json::object o;
  o["latency_ms"] = current_.latency_ms;
  o["jitter_ms"] = current_.jitter_ms;
  o["error_rate"] = current_.error_rate;
  o["error_status"] = current_.error_status;
  json::object paths;
  for (const auto& [path, f] : current_.fail_paths) {
    json::object entry{{"status", f.status}};
    entry["times"] = f.remaining < 0 ? json::value(nullptr) : json::value(f.remaining);
    paths[path] = std::move(entry);
  }
  o["fail_paths"] = std::move(paths);
  o["frozen_clock"] =
      current_.frozen_clock_s ? json::value(*current_.frozen_clock_s) : json::value(nullptr);
  return json::serialize(o);
}

std::string control::stats_json() const {
  std::lock_guard lock(mutex_);
  json::object o;
  o["total"] = total_;
  json::object endpoints;
  for (const auto& [key, n] : by_endpoint_) {
    std::string name(key.first);
    if (!name.empty()) name += '/';
    name += key.second;
    endpoints[name] = n;
  }
  o["by_endpoint"] = std::move(endpoints);
  json::object statuses;
  for (const auto& [status, n] : by_status_) statuses[std::to_string(status)] = n;
  o["by_status"] = std::move(statuses);
  o["errors_injected"] = injected_;
  return json::serialize(o);
}

void control::reset_stats() {
  std::lock_guard lock(mutex_);
  total_ = 0;
  injected_ = 0;
  by_endpoint_.clear();
  by_status_.clear();
}

}  // namespace mc::mock_pool
