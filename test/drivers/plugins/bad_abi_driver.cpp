// A plugin built against another SDK version: the loader must reject it before any C++ call.
#include <miner_controller/driver.hpp>

extern "C" __attribute__((visibility("default"))) mc::driver_abi mc_driver_abi() {
  auto abi = mc::current_driver_abi();
  abi.version += 1;
  return abi;
}
extern "C" __attribute__((visibility("default"))) mc::driver* mc_driver_create() {
  __builtin_trap();  // never reached: the loader checks the ABI first
}
extern "C" __attribute__((visibility("default"))) void mc_driver_destroy(mc::driver*) {}
