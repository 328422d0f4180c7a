#define BOOST_TEST_MODULE driver sdk helpers
#include <boost/test/unit_test.hpp>
#include <miner_controller/driver_support.hpp>
#include <miner_controller/hash_rate.hpp>
#include <thread>
#include <vector>

namespace sp = mc::support;

// Found by fuzzing braiins and solopool: two workers with 9e18 shares each overflowed int64.
BOOST_AUTO_TEST_CASE(add_count_sums_known_counts_and_saturates) {
  std::optional<std::int64_t> sum;
  sp::add_count(sum, std::nullopt);
  BOOST_TEST(!sum.has_value());
  sp::add_count(sum, 2);
  sp::add_count(sum, 3);
  BOOST_TEST(*sum == 5);
  sp::add_count(sum, 9'000'000'000'000'000'000);
  sp::add_count(sum, 9'000'000'000'000'000'000);
  BOOST_TEST(*sum == INT64_MAX);
}

// Seen while writing the hash_rate fuzz target (its invariant: a rate is finite): 1e300 Zh/s
// was an infinite rate.
BOOST_AUTO_TEST_CASE(a_rate_that_overflows_its_unit_is_unknown) {
  BOOST_TEST(!mc::hash_rate::from_unit(1e300, "Zh/s").has_value());
  BOOST_TEST(mc::hash_rate::from_unit(2.5, "TH/s")->hs() == 2.5e12);
}

BOOST_AUTO_TEST_CASE(a_body_reads_as_its_text) {
  const mc::response_body none;
  BOOST_TEST(none.empty());
  BOOST_TEST(none.view() == "");
  BOOST_TEST(none.json() == nullptr);
  const mc::response_body text = std::string("not json {");
  BOOST_TEST(text.size() == 10u);
  BOOST_TEST(text == "not json {");
  BOOST_TEST(text.json() == nullptr);
  BOOST_TEST(text.json() == nullptr);  // the failed parse is remembered, not retried
}

// The host hands one coalesced answer to every pool that asked: copies share the text and the
// document, which lives on after the first body is gone.
BOOST_AUTO_TEST_CASE(copies_share_one_buffer_and_one_document) {
  auto first = std::make_unique<mc::response_body>(std::string(R"({"stats":{"difficulty":2}})"));
  const mc::response_body copy = *first;
  BOOST_TEST(copy.data() == first->data());
  const auto* doc = first->json();
  BOOST_REQUIRE(doc != nullptr);
  BOOST_TEST(copy.json() == doc);
  first.reset();
  BOOST_TEST(sp::number(sp::member(sp::member(copy.json(), "stats"), "difficulty")).value() == 2.0);
}

BOOST_AUTO_TEST_CASE(concurrent_first_reads_parse_once_and_agree) {
  for (int round = 0; round < 20; ++round) {
    const mc::response_body body =
        std::string(R"({"blocks":[1,2,3],"n":)") + std::to_string(round) + "}";
    std::vector<const boost::json::value*> seen(4);
    std::vector<std::thread> readers;
    for (std::size_t i = 0; i < seen.size(); ++i)
      readers.emplace_back([copy = body, &seen, i] { seen[i] = copy.json(); });
    for (auto& t : readers) t.join();
    for (const auto* doc : seen) {
      BOOST_TEST(doc == seen[0]);
      BOOST_TEST(sp::count(sp::member(doc, "n")).value() == round);
    }
  }
}

BOOST_AUTO_TEST_CASE(json_object_gives_the_shared_document_or_the_users_message) {
  mc::http_response r;
  r.id = "stats";
  r.host = "pool.test";
  r.status = 200;
  r.body = std::string(R"({"a":1})");
  auto object = sp::json_object(r);
  BOOST_REQUIRE(std::holds_alternative<const boost::json::value*>(object));
  BOOST_TEST(std::get<const boost::json::value*>(object) == r.body.json());
  r.body = std::string("[1]");
  BOOST_TEST(std::get<std::string>(sp::json_object(r)) ==
             "unexpected response from pool.test (stats): not a JSON object");
  r.body = std::string("{");
  BOOST_TEST(std::get<std::string>(sp::json_object(r)) ==
             "unparsable response from pool.test (stats): not JSON");
}
