#include "http/snapshot.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <iterator>
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

part_chunk::part_chunk(std::vector<pool_part_ptr> parts) : parts_(std::move(parts)) {
  if (parts_.size() > part_chunk_size)
    throw std::invalid_argument("snapshot: a chunk over part_chunk_size parts");
  for (const auto& p : parts_)
    if (!p) throw std::invalid_argument("snapshot: a pool without its part");
}

void snapshot::set_pool_chunks(pool_index_ptr index, std::vector<part_chunk_ptr> chunks) {
  if (!index || chunks.size() != part_chunk_count(index->size()))
    throw std::invalid_argument("snapshot: one chunk per part_chunk_size indexed pools");
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    const auto want = std::min(part_chunk_size, index->size() - c * part_chunk_size);
    if (!chunks[c] || chunks[c]->size() != want)
      throw std::invalid_argument("snapshot: one part per indexed pool");
  }
  index_ = std::move(index);
  chunks_ = std::move(chunks);
}

void snapshot::set_pools(pool_index_ptr index, std::vector<pool_part_ptr> parts) {
  if (!index || index->size() != parts.size())
    throw std::invalid_argument("snapshot: one part per indexed pool");
  std::vector<part_chunk_ptr> chunks;
  for (std::size_t begin = 0; begin < parts.size(); begin += part_chunk_size) {
    const auto end = std::min(begin + part_chunk_size, parts.size());
    chunks.push_back(std::make_shared<const part_chunk>(std::vector<pool_part_ptr>(
        std::make_move_iterator(parts.begin() + static_cast<std::ptrdiff_t>(begin)),
        std::make_move_iterator(parts.begin() + static_cast<std::ptrdiff_t>(end)))));
  }
  set_pool_chunks(std::move(index), std::move(chunks));
}

body_ptr snapshot::dashboard() const {
  if (!index_) return nullptr;
  std::call_once(dashboard_once_, [this] {
    const auto& ids = index_->ids();
    std::vector<body_ptr> entries;
    entries.reserve(ids.size());
    std::size_t size = 2;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      entries.push_back(part(i).dashboard());
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
  return i == pool_index::npos ? nullptr : part(i).dashboard();
}

body_ptr snapshot::metrics() const {
  if (!index_) return nullptr;
  std::call_once(metrics_once_, [this] {
    std::vector<const metrics::pool_lines*> lines;
    lines.reserve(index_->size());
    for (std::size_t i = 0; i < index_->size(); ++i)
      if (const auto* l = part(i).metrics()) lines.push_back(l);
    metrics_ = std::make_shared<const std::string>(metrics::join_pools(lines));
  });
  return metrics_;
}

}  // namespace mc::http
