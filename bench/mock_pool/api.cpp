#include "bench/mock_pool/api.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "bench/mock_pool/solopool_api.hpp"

namespace mc::mock_pool {

std::vector<std::unique_ptr<api>> make_apis() {
  std::vector<std::unique_ptr<api>> apis;
  apis.push_back(std::make_unique<solopool_api>());
  return apis;
}

std::string error_body(std::string_view message) {
  std::string body = R"({"error":)";
  body += boost::json::serialize(boost::json::string_view(message.data(), message.size()));
  body += '}';
  return body;
}

}  // namespace mc::mock_pool
