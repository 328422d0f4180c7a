#include "http/metrics.hpp"

namespace mc::http::metrics {

namespace {

struct family {
  std::string_view name, type, help;
};

// The order of pool_lines.
constexpr std::array<family, pool_family_count> pool_families = {{
    {"mc_pool_up", "gauge",
     "1 when the pool's last poll succeeded and is fresh, 0 when it failed, went stale or has "
     "not succeeded yet"},
    {"mc_pool_hashrate_hps", "gauge", "The user's hash rate at the pool in H/s, while up"},
    {"mc_pool_workers", "gauge", "Active workers the pool reports for the user, while up"},
    {"mc_pool_shares", "gauge",
     "Share counters as the pool reports them (valid, invalid, stale), while up"},
    {"mc_pool_poll_latency_seconds", "gauge", "Wall time of the last poll's requests"},
    {"mc_pool_last_success_timestamp_seconds", "gauge", "Unix time of the last successful poll"},
    {"mc_pool_polls_total", "counter", "Polls finished since the service started"},
    {"mc_pool_poll_errors_total", "counter", "Failed polls by kind of failure"},
}};

double num(std::uint64_t v) { return static_cast<double>(v); }

}  // namespace

pool_lines render_pool(const pool_sample& p) {
  pool_lines out;
  const auto ids =
      prom::label_text({{"pool_id", p.pool_id}, {"driver", p.driver}, {"coin", p.coin}});
  std::size_t open = 0;  // the first family whose end is not set yet
  auto close_until = [&](std::size_t family) {
    for (; open < family; ++open) out.end_[open] = static_cast<std::uint32_t>(out.text_.size());
  };
  // Called in family order: each family's lines follow the previous one's.
  auto sample = [&](std::size_t family, double value,
                    std::initializer_list<prom::label> extra = {}) {
    close_until(family);
    prom::append_sample(out.text_, pool_families[family].name, ids, value, extra);
  };
  sample(0, p.up ? 1 : 0);
  if (p.hashrate_hs) sample(1, *p.hashrate_hs);
  if (p.workers) sample(2, static_cast<double>(*p.workers));
  if (p.shares_valid) sample(3, static_cast<double>(*p.shares_valid), {{"kind", "valid"}});
  if (p.shares_invalid) sample(3, static_cast<double>(*p.shares_invalid), {{"kind", "invalid"}});
  if (p.shares_stale) sample(3, static_cast<double>(*p.shares_stale), {{"kind", "stale"}});
  if (p.poll_latency_s) sample(4, *p.poll_latency_s);
  if (p.last_success) sample(5, static_cast<double>(*p.last_success));
  sample(6, num(p.polls));
  for (const auto& [kind, n] : p.errors) sample(7, num(n), {{"kind", kind}});
  close_until(pool_family_count);
  out.text_.shrink_to_fit();
  return out;
}

std::string join_pools(const std::vector<const pool_lines*>& pools) {
  std::size_t size = 0;
  for (const auto* p : pools) size += p->text().size();
  std::string out;
  out.reserve(size + 2048);
  for (std::size_t f = 0; f < pool_family_count; ++f) {
    bool header = false;
    for (const auto* p : pools) {
      const auto lines = p->family(f);
      if (lines.empty()) continue;
      if (!header) {
        prom::append_header(out, pool_families[f].name, pool_families[f].type,
                            pool_families[f].help);
        header = true;
      }
      out += lines;
    }
  }
  return out;
}

std::string render_server(const server_sample& s) {
  static constexpr std::array<std::string_view, 5> classes = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  std::string out;
  if (!s.routes.empty()) {
    prom::append_header(out, "mc_http_requests_total", "counter",
                        "Requests the API server answered, by route and status class");
  }
  for (const auto& r : s.routes) {
    const auto labels = prom::label_text({{"route", r.route}});
    for (std::size_t c = 0; c < classes.size(); ++c)
      if (r.by_class[c] > 0)
        prom::append_sample(out, "mc_http_requests_total", labels, num(r.by_class[c]),
                            {{"code", classes[c]}});
  }
  if (!s.routes.empty()) {
    prom::append_header(out, "mc_http_request_duration_seconds", "histogram",
                        "Time from a request's first byte to its answer ready to send, by route");
  }
  for (const auto& r : s.routes)
    prom::append_histogram(out, "mc_http_request_duration_seconds",
                           prom::label_text({{"route", r.route}}), r.latency);
  prom::append_header(out, "mc_http_connections_total", "counter",
                      "Connections the API server accepted");
  prom::append_sample(out, "mc_http_connections_total", {}, num(s.connections));
  prom::append_header(out, "mc_http_open_connections", "gauge", "Open API connections");
  prom::append_sample(out, "mc_http_open_connections", {}, num(s.open_connections));
  return out;
}

std::string render_upstream(const std::vector<upstream_sample>& hosts) {
  // Two origins can share a host label (http and https on one host:port): one series each.
  std::map<std::string, upstream_sample> merged;
  for (const auto& h : hosts) {
    auto& m = merged[h.host];
    m.requests += h.requests;
    m.shared += h.shared;
    m.rate_limited += h.rate_limited;
    m.errors += h.errors;
  }
  std::string out;
  auto family = [&](std::string_view name, std::string_view help, auto value) {
    if (merged.empty()) return;
    prom::append_header(out, name, "counter", help);
    for (const auto& [host, h] : merged)
      prom::append_sample(out, name, prom::label_text({{"host", host}}), num(value(h)));
  };
  family("mc_upstream_requests_total",
         "Requests to pool APIs that ended (answered or failed), by host",
         [](const upstream_sample& h) { return h.requests; });
  family("mc_upstream_requests_shared_total",
         "Fetches answered by an identical GET already in flight (not sent again), by host",
         [](const upstream_sample& h) { return h.shared; });
  family("mc_upstream_responses_429_total", "Answers with HTTP 429 Too Many Requests, by host",
         [](const upstream_sample& h) { return h.rate_limited; });
  family("mc_upstream_errors_total",
         "Requests that ended without an HTTP answer (connect, TLS, timeout, ...), by host",
         [](const upstream_sample& h) { return h.errors; });
  return out;
}

}  // namespace mc::http::metrics
