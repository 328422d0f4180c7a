// The Prometheus text exposition format, version 0.0.4: the pieces every metric family is
// written with (escaping, numbers, HELP/TYPE headers, samples, histograms). Pure: no state, no
// I/O, so the pool families (tile cache), the server's and the client's can each write their
// part and /metrics joins them.
//
//   std::string out;
//   prom::append_header(out, "mc_pool_up", "gauge", "1 when the last poll succeeded");
//   prom::append_sample(out, "mc_pool_up", prom::label_text({{"pool_id", id}}), 1);
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace mc::http::prom {

struct label {
  std::string_view name;  // [a-zA-Z_][a-zA-Z0-9_]*, chosen by the code, never by input
  std::string_view value;
};

/// The inside of `{...}`: `a="x",b="y"`, each value escaped. Render it once per series set.
std::string label_text(std::initializer_list<label> labels);

/// A label value with backslash, double quote and newline escaped as \\, \" and \n.
void append_label_value(std::string& out, std::string_view value);

/// A sample value as Prometheus parses it: whole numbers without exponent, NaN, +Inf, -Inf,
/// anything else in the shortest form that reads back exactly.
void append_value(std::string& out, double value);

/// `# HELP name help` (backslash and newline escaped) and `# TYPE name type`.
void append_header(std::string& out, std::string_view name, std::string_view type,
                   std::string_view help);

/// `name{labels,extra} value`: `labels` from label_text (may be empty), then `extra`.
void append_sample(std::string& out, std::string_view name, std::string_view labels, double value,
                   std::initializer_list<label> extra = {});

struct histogram {
  std::vector<double> bounds;         // upper bounds, ascending, without +Inf
  std::vector<std::uint64_t> counts;  // per bucket, not cumulative: bounds.size() + 1 (last: +Inf)
  double sum = 0;
};

/// `name_bucket` lines (cumulative, le="+Inf" last), `name_sum` and `name_count`.
void append_histogram(std::string& out, std::string_view name, std::string_view labels,
                      const histogram& h);

}  // namespace mc::http::prom
