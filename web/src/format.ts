// Numbers and times as people read them: units that fit, relative times.

const HASH_UNITS = ["H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s", "ZH/s"];
const SI = ["", "k", "M", "G", "T", "P", "E", "Z"];

/** Three significant digits, no trailing noise: 1.23, 12.3, 123. */
function sig3(v: number): string {
  if (v === 0) return "0";
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return v.toFixed(digits);
}

function scaled(v: number, units: string[], sep: string): string {
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 999.5 && i < units.length - 1) {
    x /= 1000;
    ++i;
  }
  return `${sig3(x)}${sep}${units[i]}`.trimEnd();
}

/** 1.2e12 → "1.20 TH/s". */
export function hashrate(hs: number | null | undefined): string {
  if (hs == null || !Number.isFinite(hs)) return "—";
  return scaled(hs, HASH_UNITS, " ");
}

/** 2.0e9 → "2.00 G" (network difficulty). */
export function compact(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return "—";
  return scaled(v, SI, " ");
}

/** Whole numbers with separators: 12,345. */
export function count(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return "—";
  return Math.round(v).toLocaleString("en-US");
}

/** A percentage with the digits that matter: 24.9 %, 0.00857 %. */
export function percent(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return "—";
  if (v === 0) return "0 %";
  const abs = Math.abs(v);
  const text = abs >= 10 ? v.toFixed(1) : abs >= 0.1 ? v.toFixed(2) : v.toPrecision(3);
  return `${text} %`;
}

/** Coin amounts: up to 8 decimals, trailing zeros dropped. */
export function amount(v: number | null | undefined, currency?: string | null): string {
  if (v == null || !Number.isFinite(v)) return "—";
  const text = v.toFixed(8).replace(/\.?0+$/, "");
  return currency ? `${text} ${currency}` : text;
}

/** "just now", "2 min ago", "3 h ago", "5 days ago"; in the future: "in 2 min". */
export function relative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "never";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  const abs = Math.abs(s);
  let text: string;
  if (abs < 45) return "just now";
  if (abs < 3600) text = `${Math.round(abs / 60)} min`;
  else if (abs < 86400) text = `${Math.round(abs / 3600)} h`;
  else {
    const days = Math.round(abs / 86400);
    text = `${days} ${days === 1 ? "day" : "days"}`;
  }
  return s >= 0 ? `${text} ago` : `in ${text}`;
}

/** Latency: "1.9 ms", "230 ms", "1.2 s". */
export function latency(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}
