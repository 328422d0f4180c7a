import { cloneElement, useId, useMemo, useState, type ReactElement, type ReactNode } from "react";
import { ApiError, write } from "../api";
import { Modal } from "./Modal";
import type { FieldProblem, Pool, PoolTemplate, Settings } from "../types";

/** Templates grouped as "<driver display name> · <COIN>", the regions as options. */
export function groupTemplates(templates: PoolTemplate[]) {
  const groups = new Map<string, { value: string; label: string }[]>();
  const sorted = [...templates].sort(
    (a, b) =>
      (a.pool_display_name || a.pool_type).localeCompare(b.pool_display_name || b.pool_type) ||
      a.coin.localeCompare(b.coin) ||
      (a.region ?? "").localeCompare(b.region ?? "") ||
      a.template_id.localeCompare(b.template_id),
  );
  for (const t of sorted) {
    const key = `${t.pool_display_name || t.pool_type} · ${t.coin}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push({ value: t.template_id, label: t.region || t.display_name });
  }
  // Two templates of one region (say, an example and a running copy) are told apart by id.
  for (const options of groups.values()) {
    const seen = new Map<string, number>();
    for (const o of options) seen.set(o.label, (seen.get(o.label) ?? 0) + 1);
    for (const o of options) if (seen.get(o.label)! > 1) o.label = `${o.label} (${o.value})`;
  }
  return [...groups.entries()].map(([label, options]) => ({ label, options }));
}

/** A free pool id based on the template's: "solopool-dgb-eu1", else "-2", "-3", ... */
export function suggestId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; ++i) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

function Field(props: { label: string; name: string; problems: FieldProblem[]; hint?: ReactNode; children: ReactElement }) {
  const id = useId();
  const mine = props.problems.filter((p) => p.field === props.name);
  return (
    <div className={mine.length ? "field invalid" : "field"} data-field={props.name}>
      <label htmlFor={id}>{props.label}</label>
      {cloneElement(props.children, { id, "aria-invalid": mine.length > 0 || undefined, "aria-describedby": `${id}-note` })}
      <div id={`${id}-note`}>
        {props.hint && !mine.length && <small className="hint">{props.hint}</small>}
        {mine.map((p) => (
          <small key={p.message} className="error" role="alert">
            {p.message}
          </small>
        ))}
      </div>
    </div>
  );
}

function portValue(text: string): number | string {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : text;  // the server says what is wrong
}

interface Props {
  templates: PoolTemplate[];
  settings: Settings | null;
  existing: Pool[];
  editing?: Pool;  // absent: Add Pool
  onClose: () => void;
  onSaved: (poolId: string) => void;
}

export function PoolDialog({ templates, settings, existing, editing, onClose, onSaved }: Props) {
  const taken = useMemo(() => new Set(existing.map((p) => p.pool_id)), [existing]);
  const groups = useMemo(() => groupTemplates(templates), [templates]);
  const [templateId, setTemplateId] = useState("");
  const template = templates.find((t) => t.template_id === templateId);
  const [form, setForm] = useState(() => ({
    pool_id: editing?.pool_id ?? "",
    display_name: editing?.display_name ?? "",
    url: editing?.url ?? "",
    port: editing ? String(editing.port) : "",
    wallet: editing?.wallet ?? "",
    api_token: "",
    api_base_url: editing?.api_base_url ?? "",
  }));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const coin = editing?.coin ?? template?.coin ?? "";
  const driver = editing?.driver ?? template?.pool_type ?? "";
  const hasWallet = !!settings?.wallets[coin];
  const hasKey = !!settings?.api_keys[driver];
  const askWallet = !!editing || (!!template && !hasWallet);
  // Editing: the pool's own token, if it has one; adding: when the driver needs one and Settings has none.
  const askToken = editing ? editing.api_token != null : !!template?.requires_auth && !hasKey;
  // Fields on screen: a problem with another one goes into the message at the bottom.
  const visible = [
    ...(editing ? [] : ["from_template", "pool_id"]),
    ...["display_name", "url", "port", "api_base_url"],
    ...(askWallet ? ["wallet"] : []),
    ...(askToken ? ["api_token"] : []),
  ];
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  function pick(id: string) {
    setTemplateId(id);
    const t = templates.find((x) => x.template_id === id);
    if (!t) return;
    setForm({
      ...form,
      pool_id: suggestId(t.template_id, taken),
      display_name: t.display_name,
      url: t.url,
      port: String(t.port),
    });
    setProblems([]);
  }

  function body(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const base = editing ?? template;
    if (!editing) {
      out.pool_id = form.pool_id.trim();
      out.from_template = templateId;
    }
    if (form.display_name !== base?.display_name) out.display_name = form.display_name;
    if (form.url !== base?.url) out.url = form.url;
    if (form.port !== String(base?.port ?? "")) out.port = portValue(form.port);
    const wallet = form.wallet.trim();
    if (editing ? wallet !== (editing.wallet ?? "") : wallet) out.wallet = wallet || null;
    if (form.api_token.trim()) out.api_token = form.api_token.trim();
    const apiBase = form.api_base_url.trim();
    if (editing ? apiBase !== (editing.api_base_url ?? "") : apiBase) out.api_base_url = apiBase || null;
    return out;
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setProblems([]);
    try {
      if (editing) await write("PUT", `/api/pools/${encodeURIComponent(editing.pool_id)}`, body());
      else await write("POST", "/api/pools", body());
      onSaved(editing?.pool_id ?? form.pool_id.trim());
    } catch (err) {
      if (err instanceof ApiError) {
        setProblems(err.problems);
        const elsewhere = err.problems.filter((p) => !visible.includes(p.field));
        setError(
          elsewhere.length
            ? `${err.message}: ${elsewhere.map((p) => (p.field ? `${p.field}: ` : "") + p.message).join("; ")}`
            : err.problems.length
              ? "Please fix the marked fields."
              : err.message,
        );
      } else setError(String(err));
    } finally {
      setBusy(false);
    }
  }

  const ready = editing || template;
  return (
    <Modal title={editing ? `Edit ${editing.display_name}` : "Add pool"} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        {!editing && (
          <Field
            label="Template"
            name="from_template"
            problems={problems}
            hint={
              template &&
              [`${template.pool_display_name || template.pool_type} · ${template.coin}`, template.region, template.mining_model, template.description]
                .filter(Boolean)
                .join(" · ")
            }
          >
            <select value={templateId} onChange={(e) => pick(e.target.value)} autoFocus name="template">
              <option value="">Choose a pool…</option>
              {groups.map((g) => (
                <optgroup key={g.label} label={g.label}>
                  {g.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </Field>
        )}
        {templates.length === 0 && !editing && <p className="muted">No templates: no driver or example pool is loaded.</p>}
        {ready && (
          <div className="grid2">
            {!editing && (
              <Field label="Pool id" name="pool_id" problems={problems} hint="the file name: pools/<id>.yaml">
                <input name="pool_id" value={form.pool_id} onChange={set("pool_id")} autoComplete="off" />
              </Field>
            )}
            <Field label="Name" name="display_name" problems={problems}>
              <input name="display_name" value={form.display_name} onChange={set("display_name")} />
            </Field>
            <Field label="Stratum host" name="url" problems={problems}>
              <input name="url" value={form.url} onChange={set("url")} autoComplete="off" />
            </Field>
            <Field label="Port" name="port" problems={problems}>
              <input name="port" inputMode="numeric" value={form.port} onChange={set("port")} />
            </Field>
            {askWallet ? (
              <Field
                label={`${coin} wallet`}
                name="wallet"
                problems={problems}
                hint={hasWallet ? `empty: the ${coin} wallet from Settings` : `Settings has no ${coin} wallet: enter the payout address`}
              >
                <input name="wallet" value={form.wallet} onChange={set("wallet")} autoComplete="off" spellCheck={false} />
              </Field>
            ) : (
              <p className="muted span2">Wallet: the {coin} wallet from Settings.</p>
            )}
            {askToken && (
              <Field
                label="API token"
                name="api_token"
                problems={problems}
                hint={editing?.api_token ? `set (${editing.api_token}); empty keeps it` : "the pool requires a read-only API token"}
              >
                <input name="api_token" type="password" value={form.api_token} onChange={set("api_token")} autoComplete="off" />
              </Field>
            )}
            <details className="span2" open={problems.some((p) => p.field === "api_base_url") || undefined}>
              <summary>Advanced</summary>
              <Field label="API address" name="api_base_url" problems={problems} hint="only for a local or mirrored pool API">
                <input name="api_base_url" value={form.api_base_url} onChange={set("api_base_url")} placeholder="the driver's default" />
              </Field>
            </details>
          </div>
        )}
        {error && (
          <p className="banner bad" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !ready}>
            {busy ? "Saving…" : editing ? "Save" : "Add pool"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
