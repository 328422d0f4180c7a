import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, render, screen } from "@testing-library/react";
import { Dashboard, REFRESH_MS, WAITING_REFRESH_MS } from "./Dashboard";
import type { DashboardEntry } from "../types";

function entry(polled: boolean): DashboardEntry {
  return {
    pool_id: "dgb", display_name: "Solopool DGB", pool_type: "solopool", coin: "DGB", enabled: true, status: "active", warnings: [],
    tile_1_health: { health_status: polled, health_message: polled ? "1 worker online" : "", latency_ms: polled ? 2 : null },
    tile_2_network: { network_difficulty: null, pool_hashrate: null, pool_hashrate_hs: null, estimated_seconds_to_block: null, estimated_time_to_block: null, pool_percentage: null, active_workers: null },
    tile_3_shares: { shares_valid: null, shares_invalid: null, shares_stale: null, reject_rate: null, accepted_difficulty: null },
    tile_4_blocks: { blocks_found_24h: null, last_block_found: null, currency: "DGB", confirmed_balance: null, pending_balance: null, estimated_earnings_24h: null, best_share: null },
    last_updated: polled ? "2026-01-01T11:58:00Z" : null, last_success: polled ? "2026-01-01T11:58:00Z" : null, stale: false,
  } as DashboardEntry;
}

const answer = (polled: boolean) =>
  new Response(JSON.stringify({ dgb: entry(polled) }), { status: 200, headers: { "Content-Type": "application/json" } });

// Lets the fetch promises and React's updates settle under fake timers.
async function settle() {
  for (let i = 0; i < 5; ++i) await act(async () => void (await Promise.resolve()));
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("Dashboard", () => {
  it("refreshes soon while a pool waits for its first poll, then at the normal pace", async () => {
    vi.useFakeTimers();
    const fetchMock = vi.fn().mockImplementation(async () => answer(fetchMock.mock.calls.length > 1));
    vi.stubGlobal("fetch", fetchMock);
    render(<Dashboard />);
    await settle();
    const card = () => screen.getByTestId("pool-dgb").dataset.state;
    expect(card()).toBe("wait");
    const before = fetchMock.mock.calls.length;
    await act(async () => void vi.advanceTimersByTime(WAITING_REFRESH_MS));
    await settle();
    expect(fetchMock.mock.calls.length).toBeGreaterThan(before);
    expect(card()).toBe("ok");

    // Every pool polled: no more fast refreshes.
    const polled = fetchMock.mock.calls.length;
    await act(async () => void vi.advanceTimersByTime(REFRESH_MS - 1));
    await settle();
    expect(fetchMock.mock.calls.length).toBe(polled);
    await act(async () => void vi.advanceTimersByTime(1));
    await settle();
    expect(fetchMock.mock.calls.length).toBe(polled + 1);
  });
});
