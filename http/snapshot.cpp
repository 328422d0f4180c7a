#include "http/snapshot.hpp"

#include <boost/json.hpp>
#include <stdexcept>

namespace mc::http {

pool_index::pool_index(std::vector<std::string> ids) : ids_(std::move(ids)) {
  at_.reserve(ids_.size());
  for (std::size_t i = 0; i < ids_.size(); ++i) at_.emplace(ids_[i], i);
}

std::size_t pool_index::find(std::string_view pool_id) const {
  auto it = at_.find(pool_id);
  return it == at_.end() ? npos : it->second;
}

body_ptr pool_part::dashboard() const {
  std::call_once(dashboard_once_,
                 [this] { dashboard_ = std::make_shared<const std::string>(encode_dashboard()); });
  return dashboard_;
}

const metrics::pool_lines* pool_part::metrics() const {
  std::call_once(metrics_once_, [this] { metrics_ = encode_metrics(); });
  return metrics_ ? &*metrics_ : nullptr;
}

void snapshot::set_pools(pool_index_ptr index, std::vector<pool_part_ptr> parts) {
  if (!index || index->size() != parts.size())
    throw std::invalid_argument("snapshot: one part per indexed pool");
  for (const auto& p : parts)
    if (!p) throw std::invalid_argument("snapshot: a pool without its part");
  index_ = std::move(index);
  parts_ = std::move(parts);
}

body_ptr snapshot::dashboard() const {
  if (!index_) return nullptr;
  std::call_once(dashboard_once_, [this] {
    const auto& ids = index_->ids();
    std::vector<body_ptr> entries;
    entries.reserve(ids.size());
    std::size_t size = 2;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      entries.push_back(parts_[i]->dashboard());
      size += ids[i].size() + 4 + entries.back()->size();
    }
    std::string out;
    out.reserve(size);
    out += '{';
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (i > 0) out += ',';
      out += boost::json::serialize(boost::json::string_view(ids[i]));
      out += ':';
      out += *entries[i];
    }
    out += '}';
    dashboard_ = std::make_shared<const std::string>(std::move(out));
  });
  return dashboard_;
}

body_ptr snapshot::dashboard_of(std::string_view pool_id) const {
  if (!index_) return nullptr;
  const auto i = index_->find(pool_id);
  return i == pool_index::npos ? nullptr : parts_[i]->dashboard();
}

body_ptr snapshot::metrics() const {
  if (!index_) return nullptr;
  std::call_once(metrics_once_, [this] {
    std::vector<const metrics::pool_lines*> lines;
    lines.reserve(parts_.size());
    for (const auto& p : parts_)
      if (const auto* l = p->metrics()) lines.push_back(l);
    metrics_ = std::make_shared<const std::string>(metrics::join_pools(lines));
  });
  return metrics_;
}

}  // namespace mc::http
