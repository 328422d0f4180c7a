import { useState } from "react";
import { describe, get, write } from "../api";
import { PageHead, type Notice } from "../components/PageHead";
import { usePoll } from "../usePoll";
import { Badge, statusKind } from "../components/Badge";
import { Confirm } from "../components/Modal";
import { PoolDialog } from "../components/PoolDialog";
import { cardState } from "../components/PoolCard";
import type { DashboardEntry, Pool, PoolTemplate, Settings } from "../types";

interface Data {
  pools: Pool[];
  tiles: Record<string, DashboardEntry>;
}

async function load(): Promise<Data> {
  const [pools, tiles] = await Promise.all([
    get<Pool[]>("/api/pools"),
    get<Record<string, DashboardEntry>>("/api/dashboard/pools"),
  ]);
  return { pools: [...pools].sort((a, b) => a.pool_id.localeCompare(b.pool_id)), tiles };
}

function healthKind(tile?: DashboardEntry) {
  if (!tile || !tile.enabled) return null;
  return cardState(tile);
}

function Health({ tile }: { tile?: DashboardEntry }) {
  const kind = healthKind(tile);
  if (!tile || !kind) return null;
  const h = tile.tile_1_health;
  return (
    <span className={`health ${kind}`} data-testid="health">
      <span className="dot" /> {{ ok: "healthy", warn: "stale", bad: "unhealthy", wait: "waiting", off: "disabled" }[kind]}
      <small> · {h.health_message}</small>
    </span>
  );
}

export function Pools() {
  const { data, error, refresh } = usePoll(load, 10_000);
  const [dialog, setDialog] = useState<{ edit?: Pool; templates: PoolTemplate[]; settings: Settings | null } | null>(null);
  const [confirm, setConfirm] = useState<Pool | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  async function openDialog(edit?: Pool) {
    try {
      const [templates, settings] = await Promise.all([
        get<PoolTemplate[]>("/api/pool-templates"),
        get<Settings>("/api/settings").catch(() => null),
      ]);
      setDialog({ edit, templates, settings });
    } catch (e) {
      setNotice({ kind: "bad", text: `Cannot load the templates: ${describe(e)}` });
    }
  }

  async function act(what: string, call: () => Promise<unknown>) {
    try {
      await call();
      setNotice({ kind: "ok", text: what });
    } catch (e) {
      setNotice({ kind: "bad", text: describe(e) });
    }
    await refresh();
  }

  const pools = data?.pools ?? [];
  return (
    <>
      <PageHead title="Pools" error={error} notice={notice}>
        <button className="primary" onClick={() => openDialog()}>
          + Add pool
        </button>
      </PageHead>
      {data && pools.length === 0 && <p className="empty">No pool files yet: add one from a template.</p>}
      <ul className="pool-list">
        {pools.map((p) => (
          <li
            key={p.pool_id}
            className={`pool-row ${p.status === "active" ? (healthKind(data?.tiles[p.pool_id]) ?? "ok") : statusKind(p.status)}`}
            data-testid={`row-${p.pool_id}`}
          >
            <div className="pool-main">
              <div className="pool-title">
                <strong>{p.display_name || p.pool_id}</strong>
                <Badge kind={statusKind(p.status)}>{p.status}</Badge>
                <Health tile={data?.tiles[p.pool_id]} />
              </div>
              <div className="muted">
                {[p.pool_id, p.coin, p.driver_display_name ?? p.driver, p.url && `${p.url}:${p.port}`, p.region]
                  .filter(Boolean)
                  .join(" · ")}
              </div>
              {[...p.reasons, ...p.warnings].map((r) => (
                <div key={r} className={p.reasons.includes(r) ? "reason bad" : "reason warn"}>
                  {r}
                </div>
              ))}
            </div>
            <div className="row-actions">
              <button onClick={() => openDialog(p)}>
                Edit
              </button>
              <button
                onClick={() =>
                  act(`${p.pool_id} ${p.enabled ? "disabled" : "enabled"}`, () =>
                    write("PUT", `/api/pools/${encodeURIComponent(p.pool_id)}`, { enabled: !p.enabled }),
                  )
                }
              >
                {p.enabled ? "Disable" : "Enable"}
              </button>
              <button className="danger" onClick={() => setConfirm(p)}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      {dialog && (
        <PoolDialog
          templates={dialog.templates}
          settings={dialog.settings}
          existing={pools}
          editing={dialog.edit}
          onClose={() => setDialog(null)}
          onSaved={(id) => {
            setDialog(null);
            setNotice({ kind: "ok", text: `${id} saved` });
            void refresh();
          }}
        />
      )}
      {confirm && (
        <Confirm
          title={`Delete ${confirm.pool_id}?`}
          message={
            <>
              This deletes <code>pools/{confirm.pool_id}.yaml</code> and stops polling it. It cannot be undone.
            </>
          }
          action="Delete"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const p = confirm;
            setConfirm(null);
            void act(`${p.pool_id} deleted`, () => write("DELETE", `/api/pools/${encodeURIComponent(p.pool_id)}`));
          }}
        />
      )}
    </>
  );
}
