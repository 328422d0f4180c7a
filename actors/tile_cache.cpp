#include "actors/tile_cache.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "actors/log.hpp"
#include "actors/messages.hpp"
#include "http/api_json.hpp"
#include "http/poll_error_kind.hpp"

namespace mc::actors {

namespace {

namespace js = boost::json;
using namespace std::chrono;

std::int64_t unix_now() {
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

// A pool with no news for this long is shown stale even if its actor went silent: the
// dashboard never presents old numbers as current.
std::int64_t silence_limit(const config::pool_entry& p) {
  return 2 * std::int64_t{p.config.poll_interval_s} + 30;
}

}  // namespace

namespace {

using self_ptr = caf::stateful_actor<tile_cache_state>*;

pool_slot* find_slot(tile_cache_state& st, std::string_view pool_id) {
  const auto i = st.index ? st.index->find(pool_id) : http::pool_index::npos;
  return i == http::pool_index::npos ? nullptr : &st.pools[i];
}

// Exact size: serialize() leaves up to half of its string unused, and the cache keeps these for
// as long as the catalog does.
http::body_ptr body(const js::value& v) {
  auto text = js::serialize(v);
  text.shrink_to_fit();
  return std::make_shared<const std::string>(std::move(text));
}

// Publishes the slot's facts as its part: a copy of a few pointers and counters. Encoding waits
// for a reader (pool_record). Its chunk is rebuilt by the next publish.
void encode(tile_cache_state& st, pool_slot& s) {
  s.part = std::make_shared<const pool_record>(s.facts);
  st.changed_chunks[static_cast<std::size_t>(&s - st.pools.data()) / http::part_chunk_size] = true;
}

// Copy on write: the tile shown may be shared with published records.
mc::tile& own_tile(pool_slot& s) {
  auto copy = std::make_shared<mc::tile>(*s.facts.shown);
  auto& t = *copy;
  s.facts.shown = std::move(copy);
  return t;
}

void publish(self_ptr self);

void schedule_publish(self_ptr self) {
  if (self->state.publish_pending) return;
  self->state.publish_pending = true;
  self->delayed_send(self, self->state.args.coalesce, publish_atom::value);
}

// The templates and GET /api/pools are encoded by their first reader (an HTTP thread), from the
// catalog they hold: a start-up or reload of 10 000 pools need not wait for 20 000 encodings.
void encode_catalog(tile_cache_state& st) {
  const auto& cat = *st.catalog;
  std::vector<const config::pool_entry*> offered;
  for (const auto& p : cat.pools)
    if (p.status != config::pool_status::rejected) offered.push_back(&p);
  for (const auto& p : cat.examples) offered.push_back(&p);
  std::sort(offered.begin(), offered.end(),
            [](const auto* a, const auto* b) { return a->pool_id < b->pool_id; });
  std::map<std::string, std::vector<std::size_t>> groups;
  // Every loaded driver answers, even one without pools: [] rather than 404.
  for (const auto& d : cat.drivers) groups[d.info.type];
  for (std::size_t i = 0; i < offered.size(); ++i) {
    const auto& c = offered[i]->config;
    groups[c.driver].push_back(i);
    groups[c.driver + "/" + c.coin].push_back(i);
  }
  const auto count = offered.size();
  st.templates = std::make_shared<const http::template_set>(
      count,
      [cat = st.catalog, offered = std::move(offered)](std::size_t i) {
        return js::serialize(codec::template_json(*offered[i]));
      },
      groups);
  st.drivers = body(codec::drivers_json(cat));
}

// /api/pools: the catalog's entries with the runtime status (a crashing pool is "failed").
void encode_pools(tile_cache_state& st) {
  // Only the pools whose actor's status differs from the catalog's, by position in it.
  std::map<std::size_t, config::pool_entry> changed;
  const auto& pools = st.catalog->pools;
  for (std::size_t i = 0; i < pools.size(); ++i) {
    const auto* slot = find_slot(st, pools[i].pool_id);
    if (!slot || slot->facts.runtime_status == pools[i].status) continue;
    auto& e = changed[i] = pools[i];
    e.status = slot->facts.runtime_status;
    if (!slot->facts.runtime_message.empty()) e.reasons.push_back(slot->facts.runtime_message);
  }
  st.pools_json =
      std::make_shared<const http::lazy_body>([cat = st.catalog, changed = std::move(changed)] {
        // Element by element: the same bytes as the whole array, without holding 10 000
        // JSON objects at once.
        std::string out = "[";
        for (std::size_t i = 0; i < cat->pools.size(); ++i) {
          auto c = changed.find(i);
          if (i > 0) out += ',';
          out += js::serialize(codec::pool_json(c == changed.end() ? cat->pools[i] : c->second));
        }
        out += ']';
        out.shrink_to_fit();
        return out;
      });
}

void apply_catalog(self_ptr self, config::catalog_ptr cat) {
  auto& st = self->state;
  // The old slots keep their catalog alive (facts.entry) until replaced.
  st.catalog = std::move(cat);
  std::vector<std::string> ids;
  std::vector<pool_slot> next;
  next.reserve(st.catalog->pools.size());
  for (const auto& p : st.catalog->pools) {
    if (p.status == config::pool_status::rejected) continue;
    auto* old = find_slot(st, p.pool_id);
    pool_slot s;
    // A pool whose actor keeps running across a reload keeps its tile; a restarted one (new
    // config, wallet or driver) starts afresh rather than show numbers of its old config.
    if (old && old->facts.entry->generation == p.generation) s = std::move(*old);
    s.facts.entry = std::shared_ptr<const config::pool_entry>(st.catalog, &p);
    s.facts.runtime_status = p.status;
    s.facts.runtime_message.clear();
    s.part = std::make_shared<const pool_record>(s.facts);
    ids.push_back(p.pool_id);
    next.push_back(std::move(s));
  }
  st.index = std::make_shared<const http::pool_index>(std::move(ids));
  st.pools = std::move(next);
  const auto chunks = http::part_chunk_count(st.pools.size());
  st.chunks.assign(chunks, nullptr);
  st.changed_chunks.assign(chunks, true);
  encode_catalog(st);
  encode_pools(st);
  // At once, not coalesced: readiness and a reload's answer wait for this one.
  publish(self);
}

void apply_result(self_ptr self, poll_result& r) {
  auto* slot = find_slot(self->state, r.pool_id);
  if (!slot) return;  // removed by a reload while polling
  auto& s = *slot;
  auto& f = s.facts;
  if (r.generation != f.entry->generation) return;  // from an actor a reload has stopped
  const bool was_healthy = f.shown && f.shown->health_status && !f.stale;
  f.last_updated = r.polled_at;
  ++f.polls;
  if (!r.tile.health_status) {
    // Copy on write; failing polls only.
    auto errors = f.poll_errors ? std::make_shared<poll_error_counts>(*f.poll_errors)
                                : std::make_shared<poll_error_counts>();
    ++(*errors)[std::string(http::poll_error_kind(r.tile.health_message))];
    f.poll_errors = std::move(errors);
  }
  if (r.tile.health_status) {
    f.shown = std::make_shared<const mc::tile>(std::move(r.tile));
    s.has_good = true;
    f.last_success = r.polled_at;
    f.stale = false;
    if (!was_healthy && f.last_updated)
      log::info("Pool " + r.pool_id + " healthy: " + f.shown->health_message);
  } else {
    if (was_healthy || !f.shown)
      log::warn("Pool " + r.pool_id + " unhealthy: " + r.tile.health_message);
    if (s.has_good) {
      // Keep the last good numbers visible, marked stale, under the new message.
      auto& t = own_tile(s);
      t.health_status = false;
      t.health_message = std::move(r.tile.health_message);
      t.latency_ms = r.tile.latency_ms;
      f.stale = true;
    } else {
      f.shown = std::make_shared<const mc::tile>(std::move(r.tile));
    }
  }
  if (f.runtime_status == config::pool_status::failed || !f.runtime_message.empty()) {
    log::info("Pool " + r.pool_id + " polls again after its restart");
    f.runtime_status = config::pool_status::active;
    f.runtime_message.clear();
    encode_pools(self->state);
  }
  encode(self->state, s);
  schedule_publish(self);
}

void sweep(self_ptr self) {
  const auto now = unix_now();
  bool changed = false;
  for (auto& s : self->state.pools) {
    auto& f = s.facts;
    if (!s.has_good || f.stale || !f.last_updated || !f.entry->config.enabled) continue;
    if (now - *f.last_updated <= silence_limit(*f.entry)) continue;
    f.stale = true;
    auto& t = own_tile(s);
    t.health_status = false;
    t.health_message = "no update for " + std::to_string(now - *f.last_updated) + " s";
    encode(self->state, s);
    changed = true;
  }
  if (changed) schedule_publish(self);
  self->delayed_send(self, self->state.args.sweep_every, sweep_atom::value);
}

void publish(self_ptr self) {
  auto& st = self->state;
  st.publish_pending = false;
  if (!st.catalog) return;
  auto snap = std::make_shared<http::snapshot>();
  snap->ready = true;
  snap->templates = st.templates;
  snap->drivers = st.drivers;
  snap->pools = st.pools_json;
  // Pointers only, and only the changed chunks' anew: the snapshot joins the whole dashboard
  // and the metrics when first read.
  for (std::size_t c = 0; c < st.chunks.size(); ++c) {
    if (!st.changed_chunks[c]) continue;
    const auto begin = c * http::part_chunk_size;
    const auto end = std::min(begin + http::part_chunk_size, st.pools.size());
    std::vector<http::pool_part_ptr> parts;
    parts.reserve(end - begin);
    for (auto i = begin; i < end; ++i) parts.push_back(st.pools[i].part);
    st.chunks[c] = std::make_shared<const http::part_chunk>(std::move(parts));
    st.changed_chunks[c] = false;
  }
  snap->set_pool_chunks(st.index, st.chunks);
  self->send(st.args.http, http::snapshot_ptr{std::move(snap)});
}

}  // namespace

caf::behavior tile_cache(caf::stateful_actor<tile_cache_state>* self, tile_cache_args args) {
  self->state.args = std::move(args);
  self->delayed_send(self, self->state.args.sweep_every, sweep_atom::value);
  return {
      [=](config::catalog_ptr& cat) { apply_catalog(self, std::move(cat)); },
      [=](poll_result& r) { apply_result(self, r); },
      [=](pool_runtime& r) {
        auto* slot = find_slot(self->state, r.pool_id);
        if (!slot) return;
        slot->facts.runtime_status = r.status;
        slot->facts.runtime_message = std::move(r.message);
        encode(self->state, *slot);
        encode_pools(self->state);
        schedule_publish(self);
      },
      [=](publish_atom) { publish(self); },
      // The snapshot goes to the HTTP actor before this reply does: a write's answer is sent
      // only once a read would see the write.
      [=](flush_atom) -> bool {
        publish(self);
        return true;
      },
      [=](sweep_atom) { sweep(self); },
  };
}

}  // namespace mc::actors
