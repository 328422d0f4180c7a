import { get } from "../api";
import { usePoll } from "../usePoll";
import { Badge } from "../components/Badge";
import { PageHead } from "../components/PageHead";
import type { Drivers, Pool } from "../types";

export function DriversPage() {
  const { data, error } = usePoll(
    async () => ({
      drivers: await get<Drivers>("/api/drivers"),
      pools: await get<Pool[]>("/api/pools"),
    }),
    30_000,
  );
  const rejectedPools = (data?.pools ?? []).filter((p) => p.status === "rejected" || p.status === "failed");
  return (
    <>
      <PageHead title="Drivers" error={error} />
      {data && (
        <>
          <section className="panel">
            <h2>Loaded</h2>
            {data.drivers.loaded.length === 0 && <p className="muted">No driver is loaded: put *_driver.so files in drivers/.</p>}
            <table className="table">
              <thead>
                <tr>
                  <th>Driver</th>
                  <th>Version</th>
                  <th>Coins</th>
                  <th>File</th>
                </tr>
              </thead>
              <tbody>
                {data.drivers.loaded.map((d) => (
                  <tr key={d.type} data-testid={`driver-${d.type}`}>
                    <td data-label="Driver">
                      <strong>{d.display_name}</strong> <span className="muted">{d.type}</span>
                    </td>
                    <td data-label="Version">{d.version}</td>
                    <td data-label="Coins">
                      {d.coins.length === 0 && <span className="muted">any (set per pool)</span>}
                      {d.coins.map((c) => (
                        <span key={c} className="chip">
                          {c}
                        </span>
                      ))}
                    </td>
                    <td data-label="File" className="mono">
                      {d.file}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel">
            <h2>Rejected files</h2>
            {data.drivers.rejected.length === 0 && rejectedPools.length === 0 && data.drivers.problems.length === 0 && (
              <p className="muted">Nothing rejected: every driver and pool file loaded.</p>
            )}
            <ul className="rejects">
              {data.drivers.rejected.map((r) => (
                <li key={r.file}>
                  <Badge kind="bad">driver</Badge> <span className="mono">{r.file}</span>
                  <ul>
                    {r.reasons.map((x) => (
                      <li key={x}>{x}</li>
                    ))}
                  </ul>
                </li>
              ))}
              {rejectedPools.map((p) => (
                <li key={p.pool_id}>
                  <Badge kind="bad">{`pool ${p.status}`}</Badge> <span className="mono">{p.file}</span>
                  <ul>
                    {p.reasons.map((x) => (
                      <li key={x}>{x}</li>
                    ))}
                  </ul>
                </li>
              ))}
              {data.drivers.problems.map((x) => (
                <li key={x}>
                  <Badge kind="warn">problem</Badge> {x}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}
