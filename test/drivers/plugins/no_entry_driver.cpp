// A shared object that is not a driver: no mc_driver_abi symbol.
extern "C" __attribute__((visibility("default"))) int some_other_function() { return 42; }
