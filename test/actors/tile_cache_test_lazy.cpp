// The tile cache's records encode a pool's entry and series only when read: what a snapshot
// shows must then still be the pool as of that snapshot, after later polls changed the pool
// and after a reload replaced the catalog the pool's entry lives in (the record keeps it alive:
// ASan would see a read of the freed one), and several threads reading first at once get the
// same bytes (TSan).
#define BOOST_TEST_MODULE tile cache lazy encodings
#include <boost/test/unit_test.hpp>
#include <thread>

#include "test/actors/tile_cache_fixture.hpp"

BOOST_FIXTURE_TEST_SUITE(lazy, fixture)

BOOST_AUTO_TEST_CASE(an_unread_snapshot_shows_the_pool_as_it_was_when_published) {
  load({pool("a")});
  next_snapshot();
  http->send(cache, poll_result{"a", 0, good_tile(1.2e12), 1764000000});
  const auto good = next_snapshot();  // not read yet
  mc::tile down;
  down.health_message = "pool.test: connection refused";
  down.latency_ms = 7;
  http->send(cache, poll_result{"a", 0, down, 1764000030});
  const auto failed = next_snapshot();

  // The failed poll changed the shown tile (copy on write): the older record still has its own.
  auto a = entry(*good, "a");
  BOOST_TEST(a.at("stale") == false);
  BOOST_TEST(a.at("tile_1_health").at("health_message") == "2 workers online");
  BOOST_TEST(a.at("last_updated") == "2025-11-24T16:00:00Z");
  BOOST_TEST(
      good->metrics()->find("mc_pool_up{pool_id=\"a\",driver=\"solopool\",coin=\"DGB\"} 1") !=
      std::string::npos);
  a = entry(*failed, "a");
  BOOST_TEST(a.at("stale") == true);
  BOOST_TEST(a.at("tile_1_health").at("health_message") == "pool.test: connection refused");
  BOOST_TEST(
      failed->metrics()->find("mc_pool_up{pool_id=\"a\",driver=\"solopool\",coin=\"DGB\"} 0") !=
      std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_old_snapshot_reads_its_pools_after_a_reload_freed_their_catalog) {
  load({pool("a"), pool("gone")});
  const auto before = next_snapshot();  // not read yet: its records point into the catalog
  auto renamed = pool("a");
  renamed.config.display_name = "Renamed";
  renamed.generation = 1;  // a new config: a new pool actor
  load({renamed});         // the cache and the test drop the first catalog
  const auto after = next_snapshot();

  BOOST_TEST(entry(*before, "a").at("display_name") == "Pool a");
  BOOST_TEST(entry(*before, "gone").at("display_name") == "Pool gone");
  BOOST_TEST(before->metrics()->find("pool_id=\"gone\"") != std::string::npos);
  BOOST_TEST(js::parse(*before->dashboard()).as_object().size() == 2u);
  BOOST_TEST(entry(*after, "a").at("display_name") == "Renamed");
  BOOST_TEST(!after->dashboard_of("gone"));
}

BOOST_AUTO_TEST_CASE(concurrent_first_readers_of_the_records_see_the_same_bytes) {
  load({pool("a"), pool("b"), pool("off", false)});
  next_snapshot();
  for (int round = 0; round < 20; ++round) {
    http->send(cache, poll_result{"a", 0, good_tile(1e12 + round), 1764000000 + round});
    http->send(cache, poll_result{"b", 0, good_tile(2e12 + round), 1764000000 + round});
    const auto s = next_snapshot();
    constexpr int threads = 4;
    std::vector<mc::http::body_ptr> a(threads), dash(threads), text(threads);
    std::vector<std::thread> readers;
    for (int t = 0; t < threads; ++t)
      readers.emplace_back([&, t] {
        // Some read one entry first, some the joined bodies.
        if (t % 2) a[t] = s->dashboard_of("a");
        text[t] = s->metrics();
        dash[t] = s->dashboard();
        a[t] = s->dashboard_of("a");
      });
    for (auto& r : readers) r.join();
    for (int t = 0; t < threads; ++t) {
      BOOST_TEST(a[t] == a[0]);  // one encoding: the same string for every reader
      BOOST_TEST(dash[t] == dash[0]);
      BOOST_TEST(text[t] == text[0]);
    }
    BOOST_TEST(entry(*s, "a").at("tile_2_network").at("pool_hashrate_hs") == 1e12 + round);
    BOOST_TEST(dash[0]->find(*a[0]) != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
