import { useState } from "react";
import { describe, get, getToken, setToken, write } from "../api";
import { PageHead, type Notice } from "../components/PageHead";
import { Confirm } from "../components/Modal";
import { usePoll } from "../usePoll";
import type { Drivers, Settings } from "../types";

type Section = "wallets" | "api_keys";

/** Entries of one section: masked values are shown, new ones are typed and never read back. */
function SecretList(props: {
  section: Section;
  title: string;
  keyLabel: string;
  valueLabel: string;
  note: string;
  entries: Record<string, string>;
  suggestions: string[];
  save: (patch: Record<string, unknown>) => Promise<boolean>;
  remove: (what: string, patch: Record<string, unknown>) => void;
}) {
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const keys = Object.keys(props.entries).sort();
  const missing = props.suggestions.filter((s) => !keys.some((k) => k.toLowerCase() === s.toLowerCase()));
  return (
    <section className="panel" data-testid={`settings-${props.section}`}>
      <h2>{props.title}</h2>
      <p className="muted">{props.note}</p>
      <ul className="secrets">
        {keys.map((k) => (
          <li key={k}>
            <span className="key">{k}</span>
            <span className="mono masked">{props.entries[k]}</span>
            <button className="danger small" onClick={() => props.remove(`${props.keyLabel} ${k}`, { [props.section]: { [k]: null } })}>
              Remove
            </button>
          </li>
        ))}
        {keys.length === 0 && <li className="muted">None yet.</li>}
      </ul>
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await props.save({ [props.section]: { [key.trim()]: value.trim() } })) {
            setKey("");
            setValue("");
          }
        }}
      >
        <input
          className="key-input"
          aria-label={props.keyLabel}
          placeholder={props.keyLabel}
          list={`${props.section}-keys`}
          value={key}
          onChange={(e) => setKey(e.target.value)}
        />
        <datalist id={`${props.section}-keys`}>
          {missing.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <input
          aria-label={props.valueLabel}
          type="password"
          placeholder={props.valueLabel}
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="primary" disabled={!key.trim() || !value.trim()}>
          Save
        </button>
      </form>
    </section>
  );
}

export function SettingsPage() {
  const { data, error, refresh } = usePoll(
    async () => ({ settings: await get<Settings>("/api/settings"), drivers: await get<Drivers>("/api/drivers") }),
    0,
  );
  const [notice, setNotice] = useState<Notice>(null);
  const [newToken, setNewToken] = useState("");
  const [removing, setRemoving] = useState<{ what: string; patch: Record<string, unknown> } | null>(null);
  const remove = (what: string, patch: Record<string, unknown>) => setRemoving({ what, patch });
  const [, rerender] = useState(0);

  async function save(patch: Record<string, unknown>, done = "Saved"): Promise<boolean> {
    try {
      await write("PUT", "/api/settings", patch);
      setNotice({ kind: "ok", text: done });
      await refresh();
      return true;
    } catch (e) {
      setNotice({ kind: "bad", text: describe(e) });
      return false;
    }
  }

  const s = data?.settings;
  const coins = [...new Set((data?.drivers.loaded ?? []).flatMap((d) => d.coins))].sort();
  const driverTypes = (data?.drivers.loaded ?? []).map((d) => d.type);
  return (
    <>
      <PageHead title="Settings" error={error} notice={notice} />
      {s && (
        <>
          {s.problems.map((p) => (
            <p key={p} className="banner warn">
              {p}
            </p>
          ))}
          <SecretList
            section="wallets"
            title="Wallets"
            keyLabel="coin"
            valueLabel="payout address"
            note="One payout address per coin, used by every pool of that coin that has no wallet of its own. Shown masked, never read back."
            entries={s.wallets}
            suggestions={coins}
            save={save}
            remove={remove}
          />
          <SecretList
            section="api_keys"
            title="API keys"
            keyLabel="driver"
            valueLabel="read-only API token"
            note="Tokens for pools whose API needs one (per driver). Shown masked, never read back."
            entries={s.api_keys}
            suggestions={driverTypes}
            save={save}
            remove={remove}
          />
          <section className="panel" data-testid="settings-token">
            <h2>Write token</h2>
            <p>
              {s.server.api_token_set ? (
                <>
                  Changes need a token: <span className="mono">{s.server.api_token}</span>.
                </>
              ) : (
                <>Changes are open to anyone on the network. Set a long random token to protect them.</>
              )}{" "}
              {getToken() ? "This browser holds a token for this session." : ""}
            </p>
            <form
              className="inline-form"
              onSubmit={async (e) => {
                e.preventDefault();
                const token = newToken.trim();
                if (await save({ server: { api_token: token } }, "Write token set")) {
                  setToken(token);
                  setNewToken("");
                }
              }}
            >
              <input
                aria-label="new write token"
                type="password"
                placeholder="new token (openssl rand -hex 24)"
                autoComplete="off"
                value={newToken}
                onChange={(e) => setNewToken(e.target.value)}
              />
              <button type="submit" className="primary" disabled={newToken.trim().length < 12}>
                Set token
              </button>
              {s.server.api_token_set && (
                <button type="button" className="danger" onClick={() => remove("the write token", { server: { api_token: null } })}>
                  Remove
                </button>
              )}
              {getToken() && (
                <button
                  type="button"
                  onClick={() => {
                    setToken("");
                    rerender((n) => n + 1);
                  }}
                >
                  Forget in this browser
                </button>
              )}
            </form>
          </section>
        </>
      )}
      {removing && (
        <Confirm
          title={`Remove ${removing.what}?`}
          message={<>This removes it from config.yaml; pools that use it restart without it.</>}
          action="Remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const r = removing;
            setRemoving(null);
            void save(r.patch, `Removed ${r.what}`);
          }}
        />
      )}
    </>
  );
}
