#include "http/template_set.hpp"

#include <stdexcept>

namespace mc::http {

template_set::template_set(std::size_t count, std::function<std::string(std::size_t)> encode,
                           const std::map<std::string, std::vector<std::size_t>>& groups)
    : count_(count), encode_(std::move(encode)) {
  for (std::size_t i = 0; i < count_; ++i) all_.members.push_back(i);
  for (const auto& [key, members] : groups) {
    for (auto i : members)
      if (i >= count_) throw std::invalid_argument("template_set: no template " + key);
    groups_[key].members = members;
  }
}

template_set::template_set(std::vector<std::string> templates,
                           const std::map<std::string, std::vector<std::size_t>>& groups)
    : template_set(templates.size(), nullptr, groups) {
  std::call_once(encode_once_, [&] { templates_ = std::move(templates); });
}

const std::vector<std::string>& template_set::templates() const {
  std::call_once(encode_once_, [this] {
    templates_.reserve(count_);
    for (std::size_t i = 0; i < count_; ++i) {
      templates_.push_back(encode_(i));
      templates_.back().shrink_to_fit();  // kept as long as the catalog
    }
    encode_ = nullptr;
  });
  return templates_;
}

// A JSON array serializes as its elements' own text, comma-separated, in brackets: the same
// bytes as serializing the array whole.
std::shared_ptr<const std::string> template_set::join(const lazy_array& a) const {
  std::call_once(a.once, [&] {
    const auto& all = templates();
    std::size_t size = 2;
    for (auto i : a.members) size += all[i].size() + 1;
    std::string out;
    out.reserve(size);
    out += '[';
    for (std::size_t n = 0; n < a.members.size(); ++n) {
      if (n > 0) out += ',';
      out += all[a.members[n]];
    }
    out += ']';
    a.body = std::make_shared<const std::string>(std::move(out));
  });
  return a.body;
}

std::shared_ptr<const std::string> template_set::all() const { return join(all_); }

std::shared_ptr<const std::string> template_set::group(std::string_view key) const {
  auto it = groups_.find(key);
  return it == groups_.end() ? nullptr : join(it->second);
}

}  // namespace mc::http
