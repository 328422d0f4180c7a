#include "bench/mock_pool/api.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "bench/mock_pool/braiins_api.hpp"
#include "bench/mock_pool/ckpool_api.hpp"
#include "bench/mock_pool/mmfp_api.hpp"
#include "bench/mock_pool/solopool_api.hpp"
#include "bench/mock_pool/synthetic.hpp"

namespace mc::mock_pool {

std::vector<std::unique_ptr<api>> make_apis() {
  std::vector<std::unique_ptr<api>> apis;
  apis.push_back(std::make_unique<solopool_api>());
  apis.push_back(std::make_unique<braiins_api>());
  apis.push_back(std::make_unique<mmfp_api>());
  apis.push_back(std::make_unique<ckpool_api>());
  return apis;
}

std::string error_body(std::string_view message) {
  std::string body = R"({"error":)";
  body += boost::json::serialize(boost::json::string_view(message.data(), message.size()));
  body += '}';
  return body;
}

std::string_view next_segment(std::string_view& path) {
  if (path.empty() || path.front() != '/') return {};
  path.remove_prefix(1);
  const auto slash = path.find('/');
  const auto segment = path.substr(0, slash);
  path.remove_prefix(slash == std::string_view::npos ? path.size() : slash);
  return segment;
}

std::uint64_t instance_seed(std::string_view instance, std::uint64_t seed) {
  return instance.empty() ? seed : hash_string(instance, mix(seed, 0x1257a4ce));
}

}  // namespace mc::mock_pool
