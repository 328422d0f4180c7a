// Config faults, end to end (issue 7, item 4): the real service on a config dir full of hostile
// files (an alias bomb, 10 MB, bytes that are not UTF-8, duplicate keys, an unreadable file, a
// symlink out of the dir, a file name that is not UTF-8) and a driver plugin that throws in
// validate, plan and parse. Each must be a rejected file or a failure tile with a clear reason,
// every answer valid JSON, and the service must run on. Then API writes on a full disk (a
// file-size limit set on the running service: write() fails mid-file as on ENOSPC) and on a
// pools/ dir it may not write (EACCES, as a read-only mount gives EROFS, at the same step):
// a clear 500 and the old file intact, byte for byte.
//
// As root, chmod does not stop the service: it then runs under setpriv without
// CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so file modes apply to it as to any user.
#define BOOST_TEST_MODULE config faults
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "test/bench/http_client.hpp"
#include "test/integration/service_fixture.hpp"

namespace fs = std::filesystem;
namespace js = boost::json;
using namespace std::chrono_literals;

namespace {

std::string faulty_pool(const std::string& fault) {
  return "driver: faulty\ndisplay_name: " + fault +
         "\nurl: 127.0.0.1\nport: 3333\ncoin: BTC\npoll_interval_s: 5\nfault: " + fault + "\n";
}

// Nine levels of ten aliases: 10^9 values once expanded, a few hundred bytes as YAML.
std::string alias_bomb() {
  std::string out =
      faulty_pool("none") + "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level < 9; ++level) {
    const auto prev = "*l" + std::to_string(level - 1);
    out += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) out += (i ? ", " : "") + prev;
    out += "]\n";
  }
  return out;
}

struct config_faults : mc::test::service_fixture {
  fs::path outside;  // a pool file outside the config dir, for the symlink

  config_faults() {
    install_driver("solopool");
    fs::copy_file(MC_FAULTY_DRIVER, dir / "drivers" / "faulty_driver.so");
    if (::geteuid() == 0)
      service_prefix = {"setpriv", "--inh-caps=-all",
                        "--bounding-set=-dac_override,-dac_read_search", "--"};
    outside = dir.parent_path() / (dir.filename().string() + "-outside.yaml");
    std::ofstream(outside) << faulty_pool("none");
  }
  ~config_faults() {
    std::error_code ec;
    fs::permissions(dir / "pools", fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove(outside, ec);
  }

  // The load is logged before the first snapshot is published: wait for /readyz too.
  void start(const std::string& until_log) {
    start_service(until_log);
    BOOST_REQUIRE(eventually(20s, [&] {
      return mc::test::http_get("127.0.0.1", service_port, "/readyz").status == 200;
    }));
  }

  js::object pool_status(const std::string& id) {
    const auto pools = get_json("/api/pools");
    for (const auto& p : pools.as_array())
      if (p.at("pool_id") == id.c_str()) return p.as_object();
    BOOST_FAIL("no pool " << id << " in GET /api/pools");
    return {};
  }

  std::string reasons(const std::string& id) {
    auto p = pool_status(id);
    BOOST_TEST(p.at("status") == "rejected", id << " is " << p.at("status"));
    return js::serialize(p.at("reasons"));
  }

  std::string pools_file(const std::string& id) {
    std::ifstream in(dir / "pools" / (id + ".yaml"), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  bool no_temp_files() {
    for (const auto& e : fs::directory_iterator(dir / "pools"))
      if (e.path().filename().string().find(".tmp-") != std::string::npos) return false;
    return true;
  }

  mc::test::http_result call(const std::string& method, const std::string& target,
                             const std::string& body = "") {
    mc::test::http_connection c("127.0.0.1", service_port);
    return c.request(method, target, body);
  }
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string message_of(const js::value& entry) {
  return std::string(entry.at("tile_1_health").at("health_message").as_string());
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(hostile_files_are_rejected_with_reasons_and_the_service_runs_on,
                        config_faults) {
  write("pools/alias-bomb.yaml", alias_bomb());
  write("pools/huge.yaml", faulty_pool("none") + "# " + std::string(10 << 20, 'x') + "\n");
  write("pools/bad-utf8.yaml", faulty_pool("none") + "region: caf\xe9\n");  // Latin-1, not UTF-8
  std::string e_acute;
  for (int i = 0; i < 30; ++i) e_acute += "\xc3\xa9";  // é é ...: a cut at 40 bytes splits one
  write("pools/long-utf8.yaml",
        "driver: faulty\ndisplay_name: x\nurl: 127.0.0.1\ncoin: BTC\nport: \"x" + e_acute + "\"\n");
  write("pools/dup-keys.yaml", faulty_pool("none") + "port: 4444\n");
  write("pools/unreadable.yaml", faulty_pool("none"));
  fs::permissions(dir / "pools/unreadable.yaml", fs::perms::none);
  fs::create_symlink(outside, dir / "pools/escape.yaml");
  write("pools/\xff\xfe.yaml", faulty_pool("none"));
  for (const char* f : {"parse_std", "parse_other", "plan_other", "validate_other", "none"}) {
    std::string id = f;
    std::replace(id.begin(), id.end(), '_', '-');
    write("pools/" + id + ".yaml", faulty_pool(f));
  }
  // config.yaml: an alias bomb under an unknown key is reported, never expanded.
  write("config.yaml", "wallets: {btc: bc1qfaults}\nbomb: &b [lol, lol]\nboom: [*b, *b]\n");

  // Before the fix the alias bomb hung the loader: the start log would never come.
  start("Loaded 2 driver(s)");

  BOOST_TEST(has(reasons("alias-bomb"), "more than 10000 values"), reasons("alias-bomb"));
  BOOST_TEST(has(reasons("huge"), "file is larger than 1048576 bytes"), reasons("huge"));
  BOOST_TEST(has(reasons("bad-utf8"), "pools/bad-utf8.yaml:8: not UTF-8 text (byte"),
             reasons("bad-utf8"));
  BOOST_TEST(has(reasons("long-utf8"), "port: must be a whole number, got \\\"x"),
             reasons("long-utf8"));
  BOOST_TEST(has(reasons("dup-keys"), "port: duplicate key (first at line 4)"),
             reasons("dup-keys"));
  BOOST_TEST(has(reasons("unreadable"), "cannot read the file"), reasons("unreadable"));
  BOOST_TEST(has(reasons("validate-other"), "validate() threw an unknown exception"),
             reasons("validate-other"));
  const auto problems = js::serialize(get_json("/api/drivers").at("problems"));
  BOOST_TEST(has(problems, "pools/escape.yaml: skipped: a symlink that leaves the config dir"),
             problems);
  BOOST_TEST(has(problems, "pools/??.yaml: skipped: the file name is not valid UTF-8"), problems);
  BOOST_TEST(has(problems, "config.yaml:2: bomb: unknown setting (ignored)"), problems);
  const auto pools = get_json("/api/pools");
  for (const auto& p : pools.as_array()) BOOST_TEST(p.at("pool_id") != "escape");

  // Exceptions from the plugin become failure tiles; the service and the other pools run on.
  BOOST_TEST(eventually(15s, [&] {
    const auto dash = get_json("/api/dashboard/pools").as_object();
    for (const char* id : {"parse-std", "parse-other", "plan-other", "none"})
      if (!dash.contains(id) || dash.at(id).at("last_updated").is_null()) return false;
    return true;
  }));
  const auto dash = get_json("/api/dashboard/pools").as_object();
  BOOST_TEST(message_of(dash.at("parse-std")) == "driver error: parse exploded");
  BOOST_TEST(message_of(dash.at("parse-other")) == "driver error: unknown exception");
  BOOST_TEST(message_of(dash.at("plan-other")) == "driver error: unknown exception");
  BOOST_TEST(message_of(dash.at("none")) == "faulty driver: fine");
  BOOST_TEST(pool_status("parse-std").at("status") == "active");
  BOOST_TEST(pool_status("plan-other").at("status") == "active");  // not crashed and restarted
  BOOST_TEST(stop_service() == 0);
}

BOOST_FIXTURE_TEST_CASE(
    writes_on_a_full_disk_or_an_unwritable_dir_fail_clearly_and_keep_the_old_file, config_faults) {
  write("pools/good.yaml", faulty_pool("none"));
  write("config.yaml", "wallets: {btc: bc1qfaults}\n");
  start("Loaded 2 driver(s) and 1 pool config(s)");
  const auto old_pool = pools_file("good");
  std::ifstream settings_in(dir / "config.yaml", std::ios::binary);
  const std::string old_settings{std::istreambuf_iterator<char>(settings_in), {}};

  // Full disk: writes past 200 bytes fail (EFBIG; SIGXFSZ must not kill the service). Only the
  // soft limit changes, so it can be raised again without CAP_SYS_RESOURCE.
  rlimit original{};
  BOOST_REQUIRE(::prlimit(service_pid(), RLIMIT_FSIZE, nullptr, &original) == 0);
  rlimit small{200, original.rlim_max};
  BOOST_REQUIRE(::prlimit(service_pid(), RLIMIT_FSIZE, &small, nullptr) == 0);
  const std::string long_text(2000, 'd');
  const std::string long_wallet(250, 'w');
  auto r = call("PUT", "/api/pools/good", R"({"description":")" + long_text + R"("})");
  BOOST_TEST(r.status == 500u, r.body);
  BOOST_TEST(has(r.body, "cannot write pools/good.yaml: the old file is intact"), r.body);
  BOOST_TEST(has(r.body, "File too large"), r.body);
  r = call("PUT", "/api/settings", R"({"wallets":{"btc":")" + long_wallet + R"("}})");
  BOOST_TEST(r.status == 500u, r.body);
  BOOST_TEST(has(r.body, "cannot write config.yaml: the old file is intact"), r.body);
  r = call("POST", "/api/pools",
           R"({"pool_id":"new","from_template":"good","description":")" + long_text + R"("})");
  BOOST_TEST(r.status == 500u, r.body);
  BOOST_TEST(!fs::exists(dir / "pools/new.yaml"));
  BOOST_TEST(pools_file("good") == old_pool);
  std::ifstream settings_after(dir / "config.yaml", std::ios::binary);
  BOOST_TEST(std::string(std::istreambuf_iterator<char>(settings_after), {}) == old_settings);
  BOOST_TEST(no_temp_files());
  BOOST_REQUIRE(::prlimit(service_pid(), RLIMIT_FSIZE, &original, nullptr) == 0);

  // An unwritable pools/ dir: no temp file can be made, nothing can be removed.
  fs::permissions(dir / "pools", fs::perms::owner_read | fs::perms::owner_exec |
                                     fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec);
  r = call("PUT", "/api/pools/good", R"({"enabled":false})");
  BOOST_TEST(r.status == 500u, r.body);
  BOOST_TEST(has(r.body, "cannot write pools/good.yaml: the old file is intact"), r.body);
  BOOST_TEST(has(r.body, "Permission denied"), r.body);
  r = call("DELETE", "/api/pools/good");
  BOOST_TEST(r.status == 500u, r.body);
  BOOST_TEST(has(r.body, "cannot delete pools/good.yaml"), r.body);
  BOOST_TEST(pools_file("good") == old_pool);
  fs::permissions(dir / "pools", fs::perms::owner_all, fs::perm_options::add);

  // Both faults gone: the same write now succeeds, the service never stopped.
  r = call("PUT", "/api/pools/good", R"({"description":")" + long_text + R"("})");
  BOOST_TEST(r.status == 200u, r.body);
  BOOST_TEST(has(pools_file("good"), long_text));
  BOOST_TEST(no_temp_files());
  BOOST_TEST(stop_service() == 0);
}

// The isolation limit, and what is done about it: a plugin that crashes in its factory kills
// the service (no in-process host can survive a SIGSEGV), but the next start does not load the
// same file again, so a restart policy does not turn it into a crash loop.
BOOST_FIXTURE_TEST_CASE(a_plugin_that_crashes_kills_one_start_and_is_not_loaded_again,
                        config_faults) {
  fs::copy_file(MC_CRASHING_DRIVER, dir / "drivers" / "crashing_driver.so");
  auto first = mc::test::child_process::start(
      MC_SERVICE_PATH,
      {"--config", dir.string(), "--listen", "127.0.0.1:0", "--bundled", MC_BUNDLED_DIR});
  BOOST_TEST(first.wait(60s) != 0);  // died in the factory (ASan reports the SEGV first)

  start("Loaded 2 driver(s)");
  const auto rejected = js::serialize(get_json("/api/drivers").at("rejected"));
  BOOST_TEST(has(rejected, "crashing_driver.so"), rejected);
  BOOST_TEST(has(rejected, "this file crashed the service while loading"), rejected);
  BOOST_TEST(stop_service() == 0);

  // A new version of the file is tried again (here: the same crash would follow, so it is
  // replaced by a working driver under that name).
  fs::copy_file(MC_FAULTY_DRIVER, dir / "drivers" / "crashing_driver.so",
                fs::copy_options::overwrite_existing);
  log.clear();
  start("Loaded 2 driver(s)");  // faulty twice: one is a duplicate type
  const auto after = js::serialize(get_json("/api/drivers").at("rejected"));
  BOOST_TEST(!has(after, "crashed the service"), after);
  BOOST_TEST(has(after, "duplicate driver type"), after);
  BOOST_TEST(stop_service() == 0);
}
