import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/react";
import { PoolCard } from "./PoolCard";
import type { DashboardEntry } from "../types";

const now = Date.parse("2026-01-01T12:00:00Z");
function entry(over: Partial<DashboardEntry> = {}): DashboardEntry {
  return {
    pool_id: "dgb", display_name: "Solopool DGB", pool_type: "solopool", coin: "DGB", enabled: true, status: "active", warnings: [],
    tile_1_health: { health_status: true, health_message: "2 workers online", latency_ms: 1.9 },
    tile_2_network: { network_difficulty: 2e9, pool_hashrate: 1.2, pool_hashrate_hs: 1.2e12, estimated_seconds_to_block: 7e6, estimated_time_to_block: "82 days", pool_percentage: 8.57e-3, active_workers: 2 },
    tile_3_shares: { shares_valid: 2400, shares_invalid: 5, shares_stale: 1, reject_rate: 0.2494, accepted_difficulty: null },
    tile_4_blocks: { blocks_found_24h: 1, last_block_found: "2026-01-01T09:00:00Z", currency: "DGB", confirmed_balance: null, pending_balance: null, estimated_earnings_24h: null, best_share: null },
    last_updated: "2026-01-01T11:58:00Z", last_success: "2026-01-01T11:58:00Z", stale: false, ...over,
  };
}

afterEach(cleanup);

describe("PoolCard", () => {
  it("shows the four tiles in readable units", () => {
    render(<PoolCard pool={entry()} now={now} />);
    expect(screen.getByTestId("hashrate").textContent).toBe("1.20 TH/s");
    expect(screen.getByTestId("workers").textContent).toBe("2");
    expect(screen.getByText("2.00 G")).toBeTruthy();
    expect(screen.getByText("82 days")).toBeTruthy();
    expect(screen.getByText("0.00857 %")).toBeTruthy();
    expect(screen.getByTestId("shares-valid").textContent).toBe("2,400");
    expect(screen.getByText("0.25 %")).toBeTruthy();
    expect(screen.getByText("3 h ago")).toBeTruthy();
    expect(screen.getByText("healthy")).toBeTruthy();
    expect(screen.queryByText("Balance")).toBeNull();  // the driver reports no balance
  });

  it("makes an unhealthy or stale pool obvious, with its message", () => {
    const { container, rerender } = render(
      <PoolCard pool={entry({ tile_1_health: { health_status: false, health_message: "127.0.0.1: connection refused", latency_ms: 3 } })} now={now} />,
    );
    expect(container.querySelector("article")?.dataset.state).toBe("bad");
    expect(screen.getByRole("status").textContent).toContain("connection refused");
    rerender(<PoolCard pool={entry({ stale: true, last_success: "2026-01-01T11:30:00Z", tile_1_health: { health_status: true, health_message: "no update for 90 s", latency_ms: 1 } })} now={now} />);
    expect(container.querySelector("article")?.dataset.state).toBe("warn");
    expect(screen.getByRole("status").textContent).toBe("no update for 90 s · last good data 30 min ago");
    // Not polled yet is not an outage.
    rerender(<PoolCard pool={entry({ last_updated: null, last_success: null, tile_1_health: { health_status: false, health_message: "waiting for the first poll", latency_ms: null } })} now={now} />);
    expect(container.querySelector("article")?.dataset.state).toBe("wait");
    expect(screen.getByText("waiting")).toBeTruthy();
    expect(screen.queryByTestId("tile-network")).toBeNull();  // no numbers to show yet
  });
});
