#include "actors/pool_writes.hpp"

#include <boost/json.hpp>
#include <ctime>

#include "actors/config_loader.hpp"
#include "actors/log.hpp"
#include "config/atomic_file.hpp"
#include "config/pool_config.hpp"
#include "config/pool_edit.hpp"
#include "config/settings_edit.hpp"
#include "http/api_json.hpp"

namespace mc::actors {

namespace fs = std::filesystem;
namespace js = boost::json;

namespace {

constexpr std::size_t max_file_bytes = 1 << 20;

api_reply reply(int status, const js::value& body) { return {status, js::serialize(body)}; }

// {"error": ..., "details": ["field: message"], "problems": [{"field", "message"}]}
api_reply rejected(int status, const std::string& error,
                   const std::vector<config::field_problem>& problems) {
  js::array details, structured;
  for (const auto& p : problems) {
    details.emplace_back(p.field.empty() ? p.message : p.field + ": " + p.message);
    structured.emplace_back(js::object{{"field", p.field}, {"message", p.message}});
  }
  return reply(status, js::object{{"error", error},
                                  {"details", std::move(details)},
                                  {"problems", std::move(structured)}});
}

api_reply rejected(int status, const std::string& error, const std::string& field,
                   const std::string& message) {
  return rejected(status, error, {{field, message}});
}

std::vector<config::field_problem> field_problems(const std::vector<config::problem>& ps) {
  std::vector<config::field_problem> out;
  for (const auto& p : ps)
    out.push_back({p.field, p.line > 0 && p.field.empty()
                                ? "line " + std::to_string(p.line) + ": " + p.reason
                                : p.reason});
  return out;
}

fs::path pool_path(const write_context& ctx, const std::string& id) {
  return ctx.config_dir / "pools" / (id + ".yaml");
}

bool file_exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(p, ec));
}

std::string today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Checks the text as a file, writes it atomically and applies it.
api_reply write_pool(write_context& ctx, const std::string& id, const config::pool_text& text,
                     int status) {
  auto checked = check_pool_text(id, text.text, ctx.settings, ctx.drivers);
  if (!checked.problems.empty())
    return rejected(400, "the pool config is not valid: nothing was written",
                    field_problems(checked.problems));
  // A file holding a token is kept private, like config.yaml.
  const unsigned mode = text.text.find("api_token:") != std::string::npos ? 0600 : 0644;
  if (auto err = config::write_file_atomic(pool_path(ctx, id), text.text, mode); !err.empty()) {
    log::error("Pool " + id + ": cannot write its file: " + err);
    return rejected(500, "cannot write pools/" + id + ".yaml: the old file is intact", "", err);
  }
  log::info("Pool " + id + (status == 201 ? ": created" : ": updated") + " through the API");
  auto changes = ctx.reload();
  js::object body;
  if (const auto* e = ctx.find(id)) body["pool"] = codec::pool_json(*e);
  body["normalised"] = text.normalised;
  body["changes"] = std::move(changes);
  return reply(status, body);
}

std::optional<std::string> read_text(const fs::path& p, std::string& error) {
  return config::read_small_file(p, max_file_bytes, error);
}

api_reply create_pool(write_context& ctx, const js::object& body) {
  const auto* id_value = body.if_contains("pool_id");
  if (!id_value || !id_value->is_string() || !config::valid_pool_id(id_value->as_string()))
    return rejected(400, "the pool config is not valid: nothing was written", "pool_id",
                    "required: [a-z0-9][a-z0-9._-]{0,63}, lower case");
  const std::string id(id_value->as_string());
  if (file_exists(pool_path(ctx, id)))
    return rejected(409, "pool " + id + " exists already: PUT /api/pools/" + id + " changes it",
                    "pool_id", "already exists");
  config::pool_text text;
  if (const auto* from = body.if_contains("from_template")) {
    const std::string tid = from->is_string() ? std::string(from->as_string()) : "";
    std::optional<std::string> base;
    std::string error;
    if (config::valid_pool_id(tid)) {
      for (const char* suffix : {".yaml", ".yaml.example"})
        if (!base) base = read_text(ctx.config_dir / "pools" / (tid + suffix), error);
    }
    if (!base)
      return rejected(400, "the pool config is not valid: nothing was written", "from_template",
                      "no template or pool named \"" + tid + "\" in pools/");
    const std::string header =
        "# Created through the API from template " + tid + " on " + today() + ".\n";
    text = config::patch_pool_text(header + config::without_leading_comments(*base), body);
  } else {
    text.problems = config::field_name_problems(body);
    text.text = config::new_pool_text(body, "Created through the API on " + today() + ".");
  }
  if (!text.problems.empty())
    return rejected(400, "the pool config is not valid: nothing was written", text.problems);
  return write_pool(ctx, id, text, 201);
}

api_reply update_pool(write_context& ctx, const std::string& id, const js::object& body) {
  const auto path = pool_path(ctx, id);
  if (!config::valid_pool_id(id) || !file_exists(path))
    return rejected(404, "no pool " + id, "", "no file pools/" + id + ".yaml");
  if (const auto* v = body.if_contains("pool_id"); v && !(v->is_string() && v->as_string() == id))
    return rejected(400, "the pool id is the file name and cannot change", "pool_id",
                    "create the new pool and delete this one to rename it");
  std::string error;
  auto current = read_text(path, error);
  if (!current) return rejected(500, "cannot read pools/" + id + ".yaml", "", error);
  auto text = config::patch_pool_text(*current, body);
  if (!text.problems.empty())
    return rejected(400, "the pool config is not valid: nothing was written", text.problems);
  return write_pool(ctx, id, text, 200);
}

api_reply delete_pool(write_context& ctx, const std::string& id) {
  const auto path = pool_path(ctx, id);
  if (!config::valid_pool_id(id) || !file_exists(path))
    return rejected(404, "no pool " + id, "", "no file pools/" + id + ".yaml");
  if (auto err = config::remove_file_durably(path); !err.empty())
    return rejected(500, "cannot delete pools/" + id + ".yaml", "", err);
  log::info("Pool " + id + ": deleted through the API");
  return reply(200, js::object{{"pool_id", id}, {"deleted", true}, {"changes", ctx.reload()}});
}

api_reply put_settings(write_context& ctx, const js::object& body) {
  const auto path = ctx.config_dir / "config.yaml";
  std::string text;
  if (file_exists(path)) {
    std::string error;
    auto read = read_text(path, error);
    if (!read) return rejected(500, "cannot read config.yaml", "", error);
    text = std::move(*read);
  }
  auto current =
      text.empty() ? config::settings_result{} : config::parse_settings("config.yaml", text);
  if (!current.readable)
    return rejected(409, "config.yaml is not valid YAML: fix it by hand first", "",
                    current.problems.empty() ? "" : current.problems.front().to_string());
  auto edited = config::patch_settings_text(text, current.value, body);
  if (!edited.problems.empty())
    return rejected(400, "the settings are not valid: nothing was written", edited.problems);
  if (auto err = config::write_file_atomic(path, edited.text, 0600, true); !err.empty()) {
    log::error("Cannot write config.yaml: " + err);
    return rejected(500, "cannot write config.yaml: the old file is intact", "", err);
  }
  log::info("Settings updated through the API");
  auto changes = ctx.reload();
  auto now = config::load_settings(path);
  auto out = config::settings_json(now);
  out["changes"] = std::move(changes);
  return reply(200, out);
}

}  // namespace

api_reply handle_write(const api_write& w, write_context& ctx) {
  using op = api_write::op;
  switch (w.what) {
    case op::create_pool:
      return create_pool(ctx, w.body);
    case op::update_pool:
      return update_pool(ctx, w.pool_id, w.body);
    case op::delete_pool:
      return delete_pool(ctx, w.pool_id);
    case op::reload:
      return reply(200, ctx.reload());
    case op::get_settings:
      return reply(200,
                   config::settings_json(config::load_settings(ctx.config_dir / "config.yaml")));
    case op::put_settings:
      return put_settings(ctx, w.body);
  }
  return rejected(500, "unknown write", "", "");
}

}  // namespace mc::actors
