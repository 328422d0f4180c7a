// Text from outside (request paths, pool answers, driver messages) on its way into a JSON
// answer: Boost.JSON writes a string's bytes as they are, so an invalid UTF-8 sequence would
// make the whole answer invalid JSON (RFC 8259 §8.1) for strict clients.
#pragma once

#include <string>
#include <string_view>

namespace mc::http {

/// `s` with every byte that does not start a valid UTF-8 sequence (stray continuation bytes,
/// overlong forms, surrogates, code points above U+10FFFF, cut sequences) replaced by U+FFFD.
inline std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t n = 0;                   // continuation bytes
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the first continuation byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    }
    bool ok = n > 0;
    for (std::size_t k = 1; ok && k <= n; ++k) {
      const auto b = i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
      ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    }
    if (ok) {
      out.append(s.substr(i, n + 1));
      i += n + 1;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace mc::http
