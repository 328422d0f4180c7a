#include "actors/http_actor.hpp"

#include <boost/json.hpp>

#include "actors/log.hpp"
#include "actors/messages.hpp"
#include "http/auth.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace mc::actors {

namespace {

namespace js = boost::json;
using self_ptr = caf::stateful_actor<http_state>*;
using op = api_write::op;

// Which write a request is; the router let only these through.
std::optional<api_write> classify(const http::api_request& r) {
  const auto seg = http::path_segments(r.path);
  api_write w;
  if (seg.size() == 2 && seg[1] == "pools" && r.method == "POST") {
    w.what = op::create_pool;
  } else if (seg.size() == 3 && seg[1] == "pools" && (r.method == "PUT" || r.method == "DELETE")) {
    w.what = r.method == "PUT" ? op::update_pool : op::delete_pool;
    w.pool_id = seg[2];
  } else if (seg.size() == 2 && seg[1] == "reload" && r.method == "POST") {
    w.what = op::reload;
  } else if (seg.size() == 2 && seg[1] == "settings") {
    w.what = r.method == "PUT" ? op::put_settings : op::get_settings;
  } else {
    return std::nullopt;
  }
  return w;
}

bool needs_body(op what) {
  return what == op::create_pool || what == op::update_pool || what == op::put_settings;
}

void on_write(self_ptr self, write_call& call) {
  auto& st = self->state;
  auto respond = std::move(call.respond);
  const auto& req = call.request;
  if (!st.supervisor) {
    auto r = http::error_response(503, "starting up: try again in a moment");
    r.headers.emplace_back("Retry-After", "1");
    return respond(std::move(r));
  }
  if (req.method != "GET" && req.method != "HEAD" && !st.api_token.empty() &&
      !http::bearer_matches(req.authorization, st.api_token)) {
    log::warn("Refused " + req.method + " " + req.path + ": " +
              (req.authorization.empty() ? "no" : "a wrong") + " bearer token");
    auto r = http::error_response(
        401, "this server needs Authorization: Bearer <server.api_token> for changes");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"miner-controller\"");
    return respond(std::move(r));
  }
  auto w = classify(req);
  if (!w) return respond(http::error_response(404, "no such write endpoint"));
  if (needs_body(w->what)) {
    boost::system::error_code ec;
    auto v = js::parse(req.body, ec);
    if (ec) return respond(http::error_response(400, "malformed JSON: " + ec.message()));
    if (!v.is_object()) return respond(http::error_response(400, "the body must be a JSON object"));
    w->body = std::move(v.as_object());
  }
  auto failed = [respond](caf::error& e) {
    respond(http::error_response(
        503, "the service did not apply the change in time (" + to_string(e) + ")"));
  };
  self->request(st.supervisor, st.write_timeout, std::move(*w))
      .then(
          [=](api_reply& r) {
            auto answer = std::make_shared<http::api_response>(
                http::make_response(r.status, std::move(r.body)));
            if (r.status >= 400 || !self->state.cache) return respond(std::move(*answer));
            self->request(self->state.cache, self->state.write_timeout, flush_atom::value)
                .then([=](bool) { respond(std::move(*answer)); }, failed);
          },
          failed);
}

}  // namespace

caf::behavior http_actor(caf::stateful_actor<http_state>* self,
                         std::shared_ptr<mc::http::server> server) {
  self->state.server = std::move(server);
  return {
      [=](http::snapshot_ptr& snap) { self->state.server->publish(std::move(snap)); },
      [=](server_settings& s) {
        self->state.api_token = std::move(s.api_token);
        self->state.supervisor = std::move(s.supervisor);
        self->state.cache = std::move(s.cache);
      },
      [=](write_call& call) { on_write(self, call); },
  };
}

}  // namespace mc::actors
