// Starts the mock pool and the real service on a temporary config dir, and a headless Chromium.
// Paths come from the environment (scripts/ci-web.sh sets them):
//   MC_BIN   the miner-controller binary      MC_MOCK  the mock_pool binary
//   MC_BUNDLED  bundled drivers dir            CHROMIUM  the browser (default /usr/bin/chromium)
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const here = new URL(".", import.meta.url).pathname;
export const WEB_DIR = resolve(here, "../dist");
export const WRITE_TOKEN = "e2e-write-token-0123456789abcdef";
export const WALLET_DGB = "dgb1qe2ewalletdemowalletdemowallet000";
export const WALLET_BCH = "bitcoincash:qe2ewalletdemowalletdemo00";

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`set ${name} (see scripts/ci-web.sh)`);
  return v;
}

/** Spawns a program and resolves with the first match of `pattern` in its output. */
function startAndWait(cmd, args, pattern, label) {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let seen = "";
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${label} did not start:\n${seen}`));
    }, 60_000);
    const onData = (chunk) => {
      seen += chunk.toString();
      if (process.env.E2E_VERBOSE) process.stderr.write(`[${label}] ${chunk}`);
      const m = seen.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, match: m });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const fail = (why) => {
      clearTimeout(timer);
      reject(new Error(`${label} ${why}:\n${seen}`));
    };
    child.on("error", (e) => fail(e.message));
    child.on("exit", (code) => fail(`exited with ${code}`));
  });
}

function pool(id, coin, region, port, api, extra = "") {
  return `driver: solopool
display_name: Solopool.org ${coin} ${region}
url: ${region.toLowerCase()}1.solopool.org
port: ${port}
coin: ${coin}
region: ${region}
mining_model: solo
fee_percent: 1
supports_shares: true
description: Solo mining ${coin} (mock pool)
poll_interval_s: 5
api_base_url: ${api}
${extra}`;
}

export async function startAll() {
  const frozen = Math.floor(Date.now() / 1000);
  const mock = await startAndWait(need("MC_MOCK"), ["--listen", "127.0.0.1:0", "--frozen-clock", String(frozen)],
    /listening on (127\.0\.0\.1:\d+)/, "mock");
  const mockUrl = `http://${mock.match[1]}`;

  const config = mkdtempSync(join(tmpdir(), "mc-e2e-"));
  mkdirSync(join(config, "pools"));
  // No BCH wallet in config.yaml: the dialog must ask for one for a BCH template.
  writeFileSync(join(config, "config.yaml"),
    `wallets:\n  dgb: ${WALLET_DGB}\nserver:\n  api_token: "${WRITE_TOKEN}"\n`, { mode: 0o600 });
  const p = (name, text) => writeFileSync(join(config, "pools", name), text);
  p("solopool-dgb-eu1.yaml", pool("solopool-dgb-eu1", "DGB", "EU", 8004, `${mockUrl}/solopool/dgb/api`));
  p("solopool-bch-eu2.yaml", pool("solopool-bch-eu2", "BCH", "EU", 8002, `${mockUrl}/solopool/bch/api`, `wallet: ${WALLET_BCH}`));
  // Nothing listens on port 9 of loopback: an unhealthy pool with its message.
  p("solopool-btc-eu3.yaml", pool("solopool-btc-eu3", "BTC", "EU", 8005, "http://127.0.0.1:9/solopool/btc/api", `wallet: bc1qe2ewallet0000000000000000000000`));
  // Templates only (not polled): Add Pool offers them.
  p("solopool-dgb-us1.yaml.example", pool("solopool-dgb-us1", "DGB", "US", 8004, `${mockUrl}/solopool/dgb/api`));
  p("solopool-bch-us1.yaml.example", pool("solopool-bch-us1", "BCH", "US", 8002, `${mockUrl}/solopool/bch/api`));
  // A pool file the service rejects, with its reasons.
  p("broken-pool.yaml", "driver: solopool\ndisplay_name: Typo\nurl: x.example\nport: 70000\ncoin: DGB\n");

  let service;
  try {
    service = await startAndWait(need("MC_BIN"),
      ["--config", config, "--listen", "127.0.0.1:0", "--bundled", need("MC_BUNDLED"), "--web", WEB_DIR],
      /Listening on (http:\/\/127\.0\.0\.1:\d+)/, "service");
  } catch (e) {
    mock.child.kill("SIGKILL");  // else the runner waits on it
    throw e;
  }
  const base = service.match[1];

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
  });

  return {
    base,
    mockUrl,
    config,
    frozen,
    browser,
    async stop() {
      await browser.close().catch(() => {});
      for (const c of [service.child, mock.child]) {
        if (c.exitCode === null) {
          const done = new Promise((r) => c.once("exit", r));
          c.kill("SIGTERM");
          await done;
        }
      }
      rmSync(config, { recursive: true, force: true });
      return service.child.exitCode;
    },
  };
}

export async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}
