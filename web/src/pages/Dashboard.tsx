import { useState, useEffect } from "react";
import { get } from "../api";
import { usePoll } from "../usePoll";
import { cardState, PoolCard } from "../components/PoolCard";
import { navigate } from "../router";
import { relative } from "../format";
import { PageHead } from "../components/PageHead";
import type { DashboardEntry } from "../types";

export const REFRESH_MS = 30_000;
// A pool not polled yet gets its first tile within a second or two of the start: a dashboard
// opened then would show "waiting" for a whole REFRESH_MS.
export const WAITING_REFRESH_MS = 2_000;

// Trouble first, then by name: what needs attention is at the top.
const RANK = { bad: 0, warn: 1, wait: 2, ok: 3, off: 4 };
const rank = (p: DashboardEntry) => RANK[cardState(p)];

export function Dashboard() {
  const [waiting, setWaiting] = useState(false);
  const { data, error } = usePoll(
    () => get<Record<string, DashboardEntry>>("/api/dashboard/pools"),
    waiting ? WAITING_REFRESH_MS : REFRESH_MS,
  );
  useEffect(() => setWaiting(!!data && Object.values(data).some((p) => cardState(p) === "wait")), [data]);
  const [loadedAt, setLoadedAt] = useState(0);
  const [now, setNow] = useState(Date.now());
  useEffect(() => setLoadedAt(Date.now()), [data]);
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 15_000);
    return () => window.clearInterval(t);
  }, []);

  const pools = data ? Object.values(data).sort((a, b) => rank(a) - rank(b) || a.display_name.localeCompare(b.display_name)) : [];
  const down = pools.filter((p) => rank(p) < RANK.wait).length;

  return (
    <>
      <PageHead title="Dashboard" error={error && `${error}${data ? " (showing the last data)" : ""}`}>
        <span className="muted" data-testid="summary">
          {data && `${pools.length} pool${pools.length === 1 ? "" : "s"}${down ? `, ${down} need attention` : ", all healthy"} · refreshed ${relative(new Date(loadedAt).toISOString(), now)}`}
        </span>
      </PageHead>
      {data && pools.length === 0 && (
        <div className="empty">
          <p>No pools yet.</p>
          <button className="primary" onClick={() => navigate("pools")}>
            Add a pool
          </button>
        </div>
      )}
      <div className="cards">
        {pools.map((p) => (
          <PoolCard key={p.pool_id} pool={p} now={now} />
        ))}
      </div>
    </>
  );
}
