// Text from outside (pool answers, request paths, config files) on its way into JSON:
// Boost.JSON writes a string's bytes as they are, so one invalid UTF-8 sequence makes a whole
// answer invalid JSON (RFC 8259 §8.1) for strict clients.
#pragma once

#include <string>
#include <string_view>

namespace mc {

/// The length of the valid UTF-8 sequence at s[i], or 0 when there is none (a stray
/// continuation byte, an overlong form, a surrogate, a code point above U+10FFFF, a cut one).
inline std::size_t utf8_sequence_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
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
  } else {
    return 0;
  }
  for (std::size_t k = 1; k <= n; ++k) {
    const auto b = i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return n + 1;
}

/// The offset of the first byte that does not start a valid UTF-8 sequence, or npos.
inline std::size_t first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_sequence_at(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

/// `s` with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD.
inline std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_sequence_at(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace mc
