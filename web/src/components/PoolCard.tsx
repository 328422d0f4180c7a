import type { ReactNode } from "react";
import type { DashboardEntry } from "../types";
import { amount, compact, count, hashrate, latency, percent, relative } from "../format";

function Stat(props: { label: string; value: ReactNode; title?: string }) {
  return (
    <div className="stat" title={props.title}>
      <span className="label">{props.label}</span>
      <span className="value">{props.value}</span>
    </div>
  );
}

function Tile(props: { title: string; children: ReactNode; testid: string }) {
  return (
    <section className="tile" data-testid={props.testid}>
      <h4>{props.title}</h4>
      <div className="stats">{props.children}</div>
    </section>
  );
}

/** ok, stale (warn), unhealthy (bad), not polled yet (wait) or disabled (off). */
export function cardState(pool: DashboardEntry): "ok" | "warn" | "bad" | "wait" | "off" {
  if (!pool.enabled) return "off";
  if (!pool.tile_1_health.health_status) return pool.last_updated ? "bad" : "wait";
  return pool.stale ? "warn" : "ok";
}

/** One pool's four tiles. Unhealthy and stale pools get a coloured edge and their message on top. */
export function PoolCard({ pool, now }: { pool: DashboardEntry; now: number }) {
  const h = pool.tile_1_health;
  const n = pool.tile_2_network;
  const s = pool.tile_3_shares;
  const b = pool.tile_4_blocks;
  const state = cardState(pool);
  const stateText = { off: "disabled", wait: "waiting", bad: "unhealthy", warn: "stale", ok: "healthy" }[state];
  const cur = b.currency ?? pool.coin;
  const showMoney = b.confirmed_balance != null || b.pending_balance != null || b.estimated_earnings_24h != null;

  return (
    <article className={`card ${state}`} data-testid={`pool-${pool.pool_id}`} data-state={state}>
      <header>
        <div>
          <h3>{pool.display_name}</h3>
          <span className="sub">
            {pool.coin} · {pool.pool_type} · {pool.pool_id}
          </span>
        </div>
        <span className={`badge ${state}`}>{stateText}</span>
      </header>
      {state !== "ok" && (
        <p className={`banner ${state}`} role="status">
          {h.health_message}
          {pool.stale && pool.last_success && ` · last good data ${relative(pool.last_success, now)}`}
        </p>
      )}
      {pool.warnings.map((w) => (
        <p key={w} className="banner warn">
          {w}
        </p>
      ))}
      {/* Never polled successfully: there are no numbers to show, only the message above. */}
      {(state === "bad" || state === "wait") && !pool.last_success ? (
        <p className="muted no-data">No data from this pool yet{h.latency_ms != null && ` · last attempt took ${latency(h.latency_ms)}`}.</p>
      ) : (
        <div className="tiles">
          <Tile title="Health" testid="tile-health">
            <Stat label="Status" value={h.health_status ? "OK" : "Down"} />
            <Stat label="Latency" value={latency(h.latency_ms)} />
            <Stat label="Updated" value={relative(pool.last_updated, now)} title={pool.last_updated ?? ""} />
            {state === "ok" && <p className="message">{h.health_message}</p>}
          </Tile>
          <Tile title="Your hash rate" testid="tile-network">
            <Stat label="Hash rate" value={<span data-testid="hashrate">{hashrate(n.pool_hashrate_hs)}</span>} />
            <Stat label="Workers" value={<span data-testid="workers">{count(n.active_workers)}</span>} />
            <Stat label="Network difficulty" value={compact(n.network_difficulty)} />
            <Stat label="Time to block" value={n.estimated_time_to_block ?? "—"} />
            <Stat label="Share of network" value={percent(n.pool_percentage)} />
          </Tile>
          <Tile title="Shares" testid="tile-shares">
            <Stat label="Valid" value={<span data-testid="shares-valid">{count(s.shares_valid)}</span>} />
            <Stat label="Invalid" value={count(s.shares_invalid)} />
            <Stat label="Stale" value={count(s.shares_stale)} />
            <Stat label="Reject rate" value={percent(s.reject_rate)} />
          </Tile>
          <Tile title="Blocks & earnings" testid="tile-blocks">
            <Stat label="Blocks 24 h" value={<span data-testid="blocks-24h">{count(b.blocks_found_24h)}</span>} />
            <Stat label="Last block" value={relative(b.last_block_found, now)} title={b.last_block_found ?? ""} />
            {showMoney && (
              <>
                <Stat label="Balance" value={amount(b.confirmed_balance, cur)} />
                <Stat label="Pending" value={amount(b.pending_balance, cur)} />
                <Stat label="Est. 24 h" value={amount(b.estimated_earnings_24h, cur)} />
              </>
            )}
            {b.best_share != null && <Stat label="Best share" value={compact(b.best_share)} />}
          </Tile>
        </div>
      )}
    </article>
  );
}
