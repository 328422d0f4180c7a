#include "http/template_set.hpp"

#include <stdexcept>

namespace mc::http {

template_set::template_set(std::vector<std::string> templates,
                           const std::map<std::string, std::vector<std::size_t>>& groups)
    : templates_(std::move(templates)) {
  for (std::size_t i = 0; i < templates_.size(); ++i) all_.members.push_back(i);
  for (const auto& [key, members] : groups) {
    for (auto i : members)
      if (i >= templates_.size()) throw std::invalid_argument("template_set: no template " + key);
    groups_[key].members = members;
  }
}

// A JSON array serializes as its elements' own text, comma-separated, in brackets: the same
// bytes as serializing the array whole.
std::shared_ptr<const std::string> template_set::join(const lazy_array& a) const {
  std::call_once(a.once, [&] {
    std::size_t size = 2;
    for (auto i : a.members) size += templates_[i].size() + 1;
    std::string out;
    out.reserve(size);
    out += '[';
    for (std::size_t n = 0; n < a.members.size(); ++n) {
      if (n > 0) out += ',';
      out += templates_[a.members[n]];
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
