import { describe, expect, it } from "vitest";
import { amount, compact, count, hashrate, latency, percent, relative } from "./format";

describe("format", () => {
  it("picks the hash rate unit that reads well", () => {
    expect(hashrate(0)).toBe("0 H/s");
    expect(hashrate(950)).toBe("950 H/s");
    expect(hashrate(1500)).toBe("1.50 kH/s");
    expect(hashrate(2.5e6)).toBe("2.50 MH/s");
    expect(hashrate(480e9)).toBe("480 GH/s");
    expect(hashrate(1.2e12)).toBe("1.20 TH/s");
    expect(hashrate(12.34e12)).toBe("12.3 TH/s");
    expect(hashrate(999.9e12)).toBe("1.00 PH/s");
    expect(hashrate(3.2e15)).toBe("3.20 PH/s");
    expect(hashrate(null)).toBe("—");
  });
  it("shortens big numbers and keeps small percentages readable", () => {
    expect(compact(2.0e9)).toBe("2.00 G");
    expect(compact(1.5e14)).toBe("150 T");
    expect(count(12345)).toBe("12,345");
    expect(count(null)).toBe("—");
    expect(percent(24.93765)).toBe("24.9 %");
    expect(percent(0.249)).toBe("0.25 %");
    expect(percent(8.571428e-3)).toBe("0.00857 %");
    expect(percent(0)).toBe("0 %");
    expect(amount(0.12345678, "BTC")).toBe("0.12345678 BTC");
    expect(amount(1.5, "DGB")).toBe("1.5 DGB");
    expect(latency(1.94)).toBe("1.9 ms");
    expect(latency(1234)).toBe("1.2 s");
  });
  it("says times relative to now", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(relative("2026-01-01T11:59:50Z", now)).toBe("just now");
    expect(relative("2026-01-01T11:58:00Z", now)).toBe("2 min ago");
    expect(relative("2026-01-01T09:00:00Z", now)).toBe("3 h ago");
    expect(relative("2025-12-31T12:00:00Z", now)).toBe("1 day ago");
    expect(relative("2025-12-27T12:00:00Z", now)).toBe("5 days ago");
    expect(relative("2026-01-01T12:10:00Z", now)).toBe("in 10 min");
    expect(relative(null, now)).toBe("never");
  });
});
