// A hash rate, carried in H/s everywhere inside the program. Conversions from the units
// pools report happen here, once; TH/s exists only at the tile edge (http/tile_json).
#pragma once

#include <cctype>
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
      if (!std::isspace(static_cast<unsigned char>(c))) u += static_cast<char>(std::tolower(c));
    if (u.size() >= 2 && u.substr(u.size() - 2) == "/s") u.resize(u.size() - 2);
    if (!u.empty() && u.back() == 'h') u.pop_back();
    auto scale = si_scale(u);
    if (!scale) return std::nullopt;
    return hash_rate{value * *scale};
  }

  /// The multiplier of an SI prefix ("", k, m, g, t, p, e, z; case-insensitive).
  static constexpr std::optional<double> si_scale(std::string_view prefix) {
    if (prefix.empty()) return 1.0;
    if (prefix.size() != 1) return std::nullopt;
    switch (prefix[0]) {
      case 'k': case 'K': return 1e3;
      case 'm': case 'M': return 1e6;
      case 'g': case 'G': return 1e9;
      case 't': case 'T': return 1e12;
      case 'p': case 'P': return 1e15;
      case 'e': case 'E': return 1e18;
      case 'z': case 'Z': return 1e21;
      default: return std::nullopt;
    }
  }

  constexpr double hs() const { return hs_; }
  constexpr double ths() const { return hs_ / 1e12; }
  friend constexpr bool operator==(hash_rate, hash_rate) = default;

 private:
  constexpr explicit hash_rate(double hs) : hs_{hs} {}
  double hs_ = 0;
};

}  // namespace mc
