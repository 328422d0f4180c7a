// A hash rate, carried in H/s everywhere inside the program. Conversions from the units
// pools report happen here, once; TH/s exists only at the tile edge (http/tile_json).
#pragma once

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace mc {

class hash_rate {
 public:
  constexpr hash_rate() = default;
  static constexpr hash_rate from_hs(double hs) { return hash_rate{hs}; }

  /// Converts a value in a named unit ("Gh/s", "TH/s", "h/s", "MH", "E") into a hash rate.
  /// Returns nullopt for a unit it does not know, so a wrong unit is never silently taken as H/s.
  static std::optional<hash_rate> from_unit(double value, std::string_view unit) {
    std::string u;
    for (char c : unit)
      if (!std::isspace(static_cast<unsigned char>(c)))
        u += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (u.size() >= 2 && u.substr(u.size() - 2) == "/s") u.resize(u.size() - 2);
    if (!u.empty() && u.back() == 'h') u.pop_back();
    auto scale = si_scale(u);
    if (!scale) return std::nullopt;
    // 1e300 "Zh/s" overflows to inf: as unknown as a wrong unit, never an infinite rate.
    const double hs = value * *scale;
    if (!std::isfinite(hs)) return std::nullopt;
    return hash_rate{hs};
  }

  /// The multiplier of an SI prefix ("", k, m, g, t, p, e, z; case-insensitive).
  static constexpr std::optional<double> si_scale(std::string_view prefix) {
    if (prefix.empty()) return 1.0;
    if (prefix.size() != 1) return std::nullopt;
    switch (prefix[0]) {
      case 'k':
      case 'K':
        return 1e3;
      case 'm':
      case 'M':
        return 1e6;
      case 'g':
      case 'G':
        return 1e9;
      case 't':
      case 'T':
        return 1e12;
      case 'p':
      case 'P':
        return 1e15;
      case 'e':
      case 'E':
        return 1e18;
      case 'z':
      case 'Z':
        return 1e21;
      default:
        return std::nullopt;
    }
  }

  /// Parses an SI-suffixed hash rate in H/s as ckpool writes it: "610G", "2.41T", "1.5e3K",
  /// a bare "12345". Exact: "1.19T" is read as the decimal 1.19e12, not 1.19 × 1e12.
  static std::optional<hash_rate> from_si_text(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
      text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
      text.remove_suffix(1);
    if (text.empty() || text.size() > 64) return std::nullopt;
    int exponent = 0;
    // A trailing letter is always a prefix: a decimal exponent ends in a digit ("1E" is exa).
    if (std::isalpha(static_cast<unsigned char>(text.back()))) {
      static constexpr std::string_view prefixes = "KMGTPEZ";
      const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
      const auto pos = prefixes.find(c);
      if (pos == std::string_view::npos) return std::nullopt;
      exponent = 3 * static_cast<int>(pos + 1);
      text.remove_suffix(1);
    }
    std::string literal(text);
    if (exponent) {
      // Fold the prefix into the decimal exponent so the only rounding is the final parse.
      int given = 0;
      if (const auto e = literal.find_first_of("eE"); e != std::string::npos) {
        const auto* first = literal.data() + e + 1 + (literal[e + 1] == '+' ? 1 : 0);
        const auto* last = literal.data() + literal.size();
        auto [p, ec] = std::from_chars(first, last, given);
        if (ec != std::errc{} || p != last || given > 300 || given < -300) return std::nullopt;
        literal.resize(e);
      }
      literal += "e" + std::to_string(given + exponent);
    }
    double v = 0;
    const auto* last = literal.data() + literal.size();
    auto [p, ec] = std::from_chars(literal.data(), last, v);
    if (ec != std::errc{} || p != last || !(v >= 0) || v > 1e30) return std::nullopt;
    return hash_rate{v};
  }

  constexpr double hs() const { return hs_; }
  constexpr double ths() const { return hs_ / 1e12; }
  friend constexpr bool operator==(hash_rate, hash_rate) = default;

 private:
  constexpr explicit hash_rate(double hs) : hs_{hs} {}
  double hs_ = 0;
};

}  // namespace mc
