#include "http/lazy_body.hpp"

namespace mc::http {

lazy_body_ptr lazy_body::of(body_ptr body) {
  auto out = std::make_shared<lazy_body>(nullptr);
  std::call_once(out->once_, [&] { out->body_ = std::move(body); });
  return out;
}

body_ptr lazy_body::get() const {
  std::call_once(once_, [this] {
    body_ = std::make_shared<const std::string>(encode_());
    encode_ = nullptr;
  });
  return body_;
}

}  // namespace mc::http
