#include "http/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cctype>

namespace mc::http {

namespace {

// Fixed-size digests make the comparison independent of both lengths too.
void digest(std::string_view s, unsigned char (&out)[SHA256_DIGEST_LENGTH]) {
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), out);
}

bool scheme_is_bearer(std::string_view h) {
  constexpr std::string_view bearer = "bearer ";
  if (h.size() < bearer.size()) return false;
  for (std::size_t i = 0; i < bearer.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(h[i])) != bearer[i]) return false;
  return true;
}

}  // namespace

bool bearer_matches(std::string_view authorization, std::string_view token) {
  if (token.empty() || !scheme_is_bearer(authorization)) return false;
  auto given = authorization.substr(7);
  while (!given.empty() && given.front() == ' ') given.remove_prefix(1);
  while (!given.empty() && (given.back() == ' ' || given.back() == '\t')) given.remove_suffix(1);
  unsigned char a[SHA256_DIGEST_LENGTH], b[SHA256_DIGEST_LENGTH];
  digest(given, a);
  digest(token, b);
  return CRYPTO_memcmp(a, b, sizeof a) == 0;
}

}  // namespace mc::http
