// A problem found in a config file: where it is and what is wrong, in words a user can act on.
#pragma once

#include <string>

namespace mc::config {

struct problem {
  std::string file;   // relative to the config dir: "pools/x.yaml"
  int line = 0;       // 1-based; 0 when the problem has no line
  std::string field;  // empty when the problem is about the file
  std::string reason;

  /// "pools/x.yaml:4: port: must be 1..65535, got 70000"
  std::string to_string() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    out += ": ";
    if (!field.empty()) out += field + ": ";
    return out + reason;
  }
};

}  // namespace mc::config
