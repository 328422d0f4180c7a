#include "http/metrics_text.hpp"

#include <charconv>
#include <cmath>

namespace mc::http::prom {

namespace {

void append_labels(std::string& out, std::string_view labels, std::initializer_list<label> extra) {
  if (labels.empty() && extra.size() == 0) return;
  out += '{';
  out += labels;
  bool first = labels.empty();
  for (const auto& l : extra) {
    if (!first) out += ',';
    first = false;
    out += l.name;
    out += "=\"";
    append_label_value(out, l.value);
    out += '"';
  }
  out += '}';
}

}  // namespace

std::string label_text(std::initializer_list<label> labels) {
  std::string out;
  for (const auto& l : labels) {
    if (!out.empty()) out += ',';
    out += l.name;
    out += "=\"";
    append_label_value(out, l.value);
    out += '"';
  }
  return out;
}

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

void append_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[64];
  // Counters and counts read better as plain integers ("1234567", not "1.234567e+06"); below
  // 2^53 every whole double is exact.
  if (std::floor(value) == value && std::fabs(value) < 9007199254740992.0) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(value));
    out.append(buf, end);
    return;
  }
  // Bucket bounds and latencies in plain decimals ("0.0005", as client libraries write le),
  // tiny or huge values in the shortest exact form ("1.5e+20").
  const bool plain = std::fabs(value) >= 1e-4 && std::fabs(value) < 1e15;
  auto [end, ec] = plain ? std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void append_sample(std::string& out, std::string_view name, std::string_view labels, double value,
                   std::initializer_list<label> extra) {
  out += name;
  append_labels(out, labels, extra);
  out += ' ';
  append_value(out, value);
  out += '\n';
}

void append_histogram(std::string& out, std::string_view name, std::string_view labels,
                      const histogram& h) {
  const std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  std::string le;
  for (std::size_t i = 0; i < h.bounds.size(); ++i) {
    cumulative += i < h.counts.size() ? h.counts[i] : 0;
    le.clear();
    append_value(le, h.bounds[i]);
    append_sample(out, bucket, labels, static_cast<double>(cumulative), {{"le", le}});
  }
  if (h.counts.size() > h.bounds.size()) cumulative += h.counts[h.bounds.size()];
  append_sample(out, bucket, labels, static_cast<double>(cumulative), {{"le", "+Inf"}});
  append_sample(out, std::string(name) + "_sum", labels, h.sum);
  append_sample(out, std::string(name) + "_count", labels, static_cast<double>(cumulative));
}

}  // namespace mc::http::prom
