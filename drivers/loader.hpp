// Loads driver plugins (<type>_driver.so). Every way a file can fail (not a shared object,
// missing entry point, other ABI, throwing factory, duplicate type) becomes a load_failure
// naming the file and the reason; loading never throws and never stops the others.
#pragma once

#include <filesystem>
#include <memory>
#include <miner_controller/driver.hpp>
#include <string>
#include <variant>
#include <vector>

namespace mc::drivers {

struct loaded_driver {
  std::shared_ptr<const mc::driver> instance;  // keeps the library mapped while anyone holds it
  mc::driver_info info;
  std::filesystem::path file;
};

struct load_failure {
  std::filesystem::path file;
  std::string reason;
};

/// Loads one plugin file.
std::variant<loaded_driver, load_failure> load_driver(const std::filesystem::path& file);

struct load_result {
  std::vector<loaded_driver> loaded;
  std::vector<load_failure> rejected;
};

/// Loads every file; a second plugin of an already loaded type is rejected as a duplicate.
load_result load_drivers(const std::vector<std::filesystem::path>& files);

}  // namespace mc::drivers
