// The snapshot's lazy bodies: each pool's entry and series (pool_part), the whole dashboard,
// the pools' metrics, the templates and their arrays (template_set) and GET /api/pools
// (lazy_body) are built on first read, once,
// with the same bytes for every reader, also when several threads read at once (run under TSan
// by the tsan preset).
#define BOOST_TEST_MODULE http snapshot
#include "http/snapshot.hpp"

#include <atomic>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <map>
#include <stdexcept>
#include <thread>

#include "test/support/fixed_pool_part.hpp"

using namespace mc::http;
using mc::test::fixed_part;

namespace {

metrics::pool_lines up_line(const std::string& id) {
  metrics::pool_sample p;
  p.pool_id = id;
  p.up = true;
  p.polls = 3;
  return metrics::render_pool(p);
}

// Three pools, "b" first (the catalog's order, not the ids'), "off" without series.
std::vector<pool_part_ptr> three_parts() {
  return {fixed_part(R"({"n":1})", up_line("b")), fixed_part(R"({"n":2})", up_line("a\"q")),
          fixed_part(R"({"n":3})")};
}

std::shared_ptr<snapshot> make(const pool_index_ptr& index,
                               std::vector<pool_part_ptr> parts = three_parts()) {
  auto s = std::make_shared<snapshot>();
  s->set_pools(index, std::move(parts));
  return s;
}

pool_index_ptr three() {
  return std::make_shared<const pool_index>(std::vector<std::string>{"b", "a\"q", "off"});
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_dashboard_joins_the_entries_in_order_with_escaped_ids) {
  const auto s = make(three());
  BOOST_TEST(*s->dashboard() == R"({"b":{"n":1},"a\"q":{"n":2},"off":{"n":3}})");
  BOOST_TEST(s->dashboard() == s->dashboard());  // built once: the same string
  BOOST_TEST(*s->dashboard_of("a\"q") == R"({"n":2})");
  BOOST_TEST(!s->dashboard_of("a"));
}

BOOST_AUTO_TEST_CASE(the_metrics_are_the_joined_series_of_the_pools_that_have_them) {
  const auto s = make(three());
  const auto b_lines = up_line("b"), q_lines = up_line("a\"q");
  const auto want = metrics::join_pools({&b_lines, &q_lines});
  BOOST_TEST(*s->metrics() == want);
  BOOST_TEST(s->metrics()->find("mc_pool_up{pool_id=\"b\",driver=\"\",coin=\"\"} 1\n") !=
             std::string::npos);
  BOOST_TEST(s->metrics() == s->metrics());
}

BOOST_AUTO_TEST_CASE(no_pools_yet_means_no_bodies_and_zero_pools_means_empty_ones) {
  const snapshot none;
  BOOST_TEST(!none.dashboard());
  BOOST_TEST(!none.metrics());
  BOOST_TEST(!none.dashboard_of("b"));
  snapshot empty;
  empty.set_pools(std::make_shared<const pool_index>(std::vector<std::string>{}), {});
  BOOST_TEST(*empty.dashboard() == "{}");
  BOOST_TEST(empty.metrics()->empty());
}

BOOST_AUTO_TEST_CASE(parts_must_match_the_index) {
  snapshot s;
  BOOST_CHECK_THROW(s.set_pools(three(), {fixed_part("{}")}), std::invalid_argument);
  BOOST_CHECK_THROW(s.set_pools(nullptr, {}), std::invalid_argument);
  BOOST_CHECK_THROW(s.set_pools(three(), {fixed_part("{}"), nullptr, fixed_part("{}")}),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(pools_past_one_chunk_keep_their_order_entries_and_series) {
  // 70 pools: chunks of 32, 32 and 6.
  std::vector<std::string> ids;
  std::vector<pool_part_ptr> parts;
  std::string want = "{";
  std::vector<metrics::pool_lines> lines;
  for (int i = 0; i < 70; ++i) {
    ids.push_back("p" + std::to_string(i));
    lines.push_back(up_line(ids.back()));
    parts.push_back(fixed_part(R"({"n":)" + std::to_string(i) + "}", lines.back()));
    want += (i ? ",\"" : "\"") + ids.back() + R"(":{"n":)" + std::to_string(i) + "}";
  }
  want += "}";
  const auto s = make(std::make_shared<const pool_index>(ids), std::move(parts));
  BOOST_TEST(s->pool_chunks().size() == 3u);
  BOOST_TEST(*s->dashboard() == want);
  BOOST_TEST(*s->dashboard_of("p69") == R"({"n":69})");
  BOOST_TEST(*s->dashboard_of("p32") == R"({"n":32})");
  std::vector<const metrics::pool_lines*> all;
  for (const auto& l : lines) all.push_back(&l);
  BOOST_TEST(*s->metrics() == metrics::join_pools(all));
}

BOOST_AUTO_TEST_CASE(chunks_must_cover_the_index_in_full_chunks_but_the_last) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < part_chunk_size + 1; ++i) ids.push_back("p" + std::to_string(i));
  const auto index = std::make_shared<const pool_index>(ids);
  auto chunk_of = [](std::size_t n) {
    return std::make_shared<const part_chunk>(std::vector<pool_part_ptr>(n, fixed_part("{}")));
  };
  snapshot s;
  s.set_pool_chunks(index, {chunk_of(part_chunk_size), chunk_of(1)});  // fits
  BOOST_CHECK_THROW(s.set_pool_chunks(index, {chunk_of(part_chunk_size)}), std::invalid_argument);
  BOOST_CHECK_THROW(s.set_pool_chunks(index, {chunk_of(1), chunk_of(part_chunk_size)}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(s.set_pool_chunks(index, {chunk_of(part_chunk_size), nullptr}),
                    std::invalid_argument);
  BOOST_CHECK_THROW(chunk_of(part_chunk_size + 1), std::invalid_argument);
  BOOST_CHECK_THROW(part_chunk({fixed_part("{}"), nullptr}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(snapshots_of_one_catalog_share_its_index) {
  const auto index = three();
  const auto first = make(index), second = make(index);
  BOOST_TEST(*first->dashboard() == *second->dashboard());
  BOOST_TEST(first->dashboard() != second->dashboard());  // each its own memo
  BOOST_TEST(index.use_count() == 3);
}

BOOST_AUTO_TEST_CASE(a_part_encodes_only_when_read_and_once_for_every_snapshot_holding_it) {
  const auto on = fixed_part(R"({"n":1})", up_line("b"));
  const auto off = fixed_part(R"({"n":3})");
  const auto index = std::make_shared<const pool_index>(std::vector<std::string>{"b", "off"});
  const auto first = make(index, {on, off});
  BOOST_TEST(on->encodings() == 0);  // published, not read: nothing encoded
  BOOST_TEST(*first->dashboard_of("b") == R"({"n":1})");
  BOOST_TEST(on->encodings() == 1);  // the entry only, not the series
  BOOST_TEST(off->encodings() == 0);
  // A second publish of unchanged pools shares their parts and what they have encoded.
  const auto second = make(index, {on, off});
  BOOST_TEST(second->dashboard_of("b") == first->dashboard_of("b"));
  BOOST_TEST(*second->dashboard() == R"({"b":{"n":1},"off":{"n":3}})");
  BOOST_TEST(*first->metrics() == *second->metrics());
  BOOST_TEST(on->encodings() == 2);  // entry and series, once each
  BOOST_TEST(off->encodings() == 2);
  BOOST_TEST(!off->metrics());  // no series
}

BOOST_AUTO_TEST_CASE(concurrent_first_readers_build_once_and_see_the_same_bytes) {
  constexpr int threads = 4;
  for (int round = 0; round < 50; ++round) {
    const auto parts = three_parts();
    const snapshot_ptr s = make(three(), parts);
    std::vector<body_ptr> dash(threads), text(threads), entry(threads);
    std::vector<std::thread> readers;
    for (int t = 0; t < threads; ++t)
      readers.emplace_back([&, t] {
        // Half start with one pool's entry and the metrics, half with the dashboard.
        if (t % 2) {
          entry[t] = s->dashboard_of("a\"q");
          text[t] = s->metrics();
        }
        dash[t] = s->dashboard();
        text[t] = s->metrics();
        entry[t] = s->dashboard_of("a\"q");
      });
    for (auto& r : readers) r.join();
    for (int t = 0; t < threads; ++t) {
      BOOST_TEST(dash[t] == dash[0]);  // one build: every reader got the same string
      BOOST_TEST(text[t] == text[0]);
      BOOST_TEST(entry[t] == entry[0]);
    }
    for (const auto& p : parts)  // each part encoded its entry and its series once
      BOOST_TEST(static_cast<const mc::test::fixed_pool_part&>(*p).encodings() == 2);
    BOOST_TEST(*dash[0] == R"({"b":{"n":1},"a\"q":{"n":2},"off":{"n":3}})");
  }
}

namespace {

std::shared_ptr<const template_set> two_templates() {
  return std::make_shared<const template_set>(
      std::vector<std::string>{R"({"id":"a","n":[1,2]})", R"({"id":"b"})"},
      std::map<std::string, std::vector<std::size_t>>{
          {"solopool", {0, 1}}, {"solopool/DGB", {1}}, {"braiins", {}}});
}

}  // namespace

BOOST_AUTO_TEST_CASE(template_arrays_are_the_bytes_of_serializing_the_array_whole) {
  const auto t = two_templates();
  boost::json::array whole{boost::json::parse(R"({"id":"a","n":[1,2]})"),
                           boost::json::parse(R"({"id":"b"})")};
  BOOST_TEST(*t->all() == boost::json::serialize(whole));
  BOOST_TEST(*t->group("solopool") == *t->all());
  BOOST_TEST(*t->group("solopool/DGB") == R"([{"id":"b"}])");
  BOOST_TEST(*t->group("braiins") == "[]");  // a driver without pools
  BOOST_TEST(!t->group("ckpool"));
  BOOST_TEST(t->all() == t->all());  // built once
  BOOST_CHECK_THROW(
      template_set({"{}"}, std::map<std::string, std::vector<std::size_t>>{{"x", {1}}}),
      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(concurrent_first_template_readers_see_one_array) {
  for (int round = 0; round < 50; ++round) {
    const auto t = two_templates();
    std::vector<body_ptr> got(4);
    std::vector<std::thread> readers;
    for (int i = 0; i < 4; ++i)
      readers.emplace_back([&, i] { got[i] = i % 2 ? t->group("solopool") : t->all(); });
    for (auto& r : readers) r.join();
    BOOST_TEST(got[0] == got[2]);
    BOOST_TEST(got[1] == got[3]);
    BOOST_TEST(*got[0] == *got[1]);
  }
}

BOOST_AUTO_TEST_CASE(templates_are_encoded_on_the_first_request_only) {
  std::atomic<int> calls{0};
  const template_set t(
      2,
      [&](std::size_t i) {
        ++calls;
        return i == 0 ? std::string(R"({"id":"a"})") : std::string(R"({"id":"b"})");
      },
      std::map<std::string, std::vector<std::size_t>>{{"solopool/DGB", {1}}});
  BOOST_TEST(calls == 0);  // nothing at construction: a start-up does not wait for them
  BOOST_TEST(*t.group("solopool/DGB") == R"([{"id":"b"}])");
  BOOST_TEST(calls == 2);  // all of them at once, each one time
  BOOST_TEST(*t.all() == R"([{"id":"a"},{"id":"b"}])");
  BOOST_TEST(calls == 2);
  BOOST_CHECK_THROW(template_set(
                        1, [](std::size_t) { return std::string("{}"); },
                        std::map<std::string, std::vector<std::size_t>>{{"x", {1}}}),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_lazy_body_is_encoded_once_by_its_first_of_many_readers) {
  for (int round = 0; round < 50; ++round) {
    std::atomic<int> calls{0};
    const lazy_body b([&] {
      ++calls;
      return std::string("[1,2]");
    });
    BOOST_TEST(calls == 0);
    std::vector<body_ptr> got(4);
    std::vector<std::thread> readers;
    for (int i = 0; i < 4; ++i) readers.emplace_back([&, i] { got[i] = b.get(); });
    for (auto& r : readers) r.join();
    BOOST_TEST(calls == 1);
    BOOST_TEST(*got[0] == "[1,2]");
    for (const auto& g : got) BOOST_TEST(g == got[0]);
  }
  const auto ready = lazy_body::of(std::make_shared<const std::string>("{}"));
  BOOST_TEST(*ready->get() == "{}");
}
