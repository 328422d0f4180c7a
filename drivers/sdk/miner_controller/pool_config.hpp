// A pool config as a driver sees it: the fields of DESIGN §1 after validation, with
// wallet / username / api_token already resolved from config.yaml when the pool file has none.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

namespace mc {

struct pool_config {
  std::string pool_id;  // file name without .yaml
  std::string driver;   // a loaded driver's type
  std::string display_name;
  std::string url;  // stratum host, no scheme
  int port = 0;
  std::string coin;  // upper case
  std::string region;
  std::string mining_model = "pool";  // "solo" or "pool"
  std::optional<double> fee_percent;
  bool requires_auth = false;
  bool supports_shares = false;
  bool supports_earnings = false;
  bool supports_balance = false;
  std::string description;
  bool enabled = true;
  int poll_interval_s = 30;
  std::string api_base_url;   // empty: the driver's default
  std::string wallet;         // resolved: pool file, else config.yaml wallets[coin]
  std::string username;       // resolved like wallet
  std::string api_token;      // a secret; resolved: pool file, else config.yaml api_keys[driver]
  boost::json::object extra;  // every other key of the file, for the driver

  /// The user name a pool knows the miner by: username if set, else the wallet.
  const std::string& account() const { return username.empty() ? wallet : username; }
};

}  // namespace mc
