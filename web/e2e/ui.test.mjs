// End-to-end: the built UI served by the real service, polling the mock pool, in headless
// Chromium. Run by scripts/ci-web.sh (npm run e2e); MC_SCREENSHOTS=DIR also saves screenshots.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { getJson, startAll, WALLET_DGB, WRITE_TOKEN } from "./harness.mjs";

let env;
let page;
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

before(async () => {
  env = await startAll();
  page = await env.browser.newPage({ viewport: LAPTOP });
  page.setDefaultTimeout(45_000);
});

after(async () => {
  const code = await env?.stop();
  assert.equal(code, 0, "the service exits 0 on SIGTERM");
});

/** "1.23 TH/s" → 1.23e12 */
function parseRate(text) {
  const m = text.match(/^([\d.]+) (k|M|G|T|P|E)?H\/s$/);
  assert.ok(m, `hash rate text: ${text}`);
  const scale = { undefined: 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 }[m[2]];
  return Number(m[1]) * scale;
}

test("the dashboard shows the tiles with the mock pool's numbers", async () => {
  await page.goto(`${env.base}/app/dashboard`);
  const card = page.getByTestId("pool-solopool-dgb-eu1");
  await card.and(page.locator("[data-state=ok]")).waitFor();

  const account = await getJson(`${env.mockUrl}/solopool/dgb/api/accounts/${WALLET_DGB}`);
  const tile = await getJson(`${env.base}/api/dashboard/pools?pool_id=solopool-dgb-eu1`);
  assert.equal(await card.getByTestId("workers").textContent(), String(account.workersOnline));
  const shown = parseRate(await card.getByTestId("hashrate").textContent());
  assert.ok(Math.abs(shown - account.currentHashrate) / account.currentHashrate < 0.01,
    `hash rate shown ${shown}, mock ${account.currentHashrate}`);
  assert.equal(await card.getByTestId("shares-valid").textContent(),
    tile.tile_3_shares.shares_valid.toLocaleString("en-US"));
  assert.equal(await card.getByTestId("blocks-24h").textContent(), String(tile.tile_4_blocks.blocks_found_24h));
  for (const t of ["tile-health", "tile-network", "tile-shares", "tile-blocks"])
    assert.ok(await card.getByTestId(t).isVisible(), t);

  // The pool nobody answers for is unhealthy, with the reason on its card.
  const down = page.getByTestId("pool-solopool-btc-eu3");
  await down.and(page.locator("[data-state=bad]")).waitFor();
  assert.match(await down.getByRole("status").textContent(), /127\.0\.0\.1.*(refused|connect)/i);
});

test("a validation error from the server shows at its field", async () => {
  await page.goto(`${env.base}/app/pools`);
  await page.getByRole("button", { name: "+ Add pool" }).click();
  const dialog = page.getByRole("dialog", { name: "Add pool" });
  const select = dialog.getByLabel("Template");
  // The dialog opens once the templates have loaded; evaluateAll() does not wait for it.
  await select.waitFor();
  assert.deepEqual(
    await select.locator("optgroup").evaluateAll((gs) => gs.map((g) => g.label)),
    ["Solopool.org · BCH", "Solopool.org · BTC", "Solopool.org · DGB"],
  );
  // config.yaml has no BCH wallet: the dialog asks for one.
  await select.selectOption("solopool-bch-us1");
  await dialog.getByLabel("BCH wallet").waitFor();
  await select.selectOption("solopool-dgb-us1");
  assert.equal(await dialog.getByLabel("DGB wallet").count(), 0);
  assert.equal(await dialog.getByLabel("Port").inputValue(), "8004");
  await dialog.getByLabel("Port").fill("70000");
  await dialog.getByRole("button", { name: "Add pool" }).click();
  // Writes need the token: the UI asks for it once and keeps it for the session.
  const prompt = page.getByRole("dialog", { name: "Write token needed" });
  await prompt.getByLabel("Write token").fill(WRITE_TOKEN);
  await prompt.getByRole("button", { name: "Continue" }).click();
  const error = dialog.locator("[data-field=port] .error");
  await error.waitFor();
  assert.match(await error.textContent(), /65535/);
  if (process.env.MC_SCREENSHOTS) await shoot("add-pool-dialog", LAPTOP);
  await dialog.getByRole("button", { name: "Cancel" }).click();
});

test("a pool added through the dialog appears, turns healthy and can be deleted", async () => {
  await page.goto(`${env.base}/app/pools`);
  await page.getByRole("button", { name: "+ Add pool" }).click();
  const dialog = page.getByRole("dialog", { name: "Add pool" });
  await dialog.getByLabel("Template").selectOption("solopool-dgb-us1");
  await dialog.getByLabel("Pool id").fill("my-dgb-rig");
  await dialog.getByRole("button", { name: "Add pool" }).click();
  await dialog.waitFor({ state: "detached" });

  const row = page.getByTestId("row-my-dgb-rig");
  await row.getByText("active").waitFor();
  await row.locator("[data-testid=health].ok").waitFor({ timeout: 60_000 });
  const pools = await getJson(`${env.base}/api/pools`);
  assert.equal(pools.find((p) => p.pool_id === "my-dgb-rig")?.status, "active");

  // Edit keeps the file's other lines; Disable stops polling and keeps the pool listed.
  await row.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: /^Edit / });
  await edit.getByLabel("Name").fill("My DGB rig");
  await edit.getByRole("button", { name: "Save" }).click();
  await row.getByText("My DGB rig").waitFor();
  await row.getByRole("button", { name: "Disable" }).click();
  await row.getByText("disabled", { exact: true }).waitFor();
  await row.getByRole("button", { name: "Enable" }).click();
  await row.getByText("active", { exact: true }).waitFor();

  await row.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete my-dgb-rig?" });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await row.waitFor({ state: "detached" });
  const after = await getJson(`${env.base}/api/pools`);
  assert.equal(after.some((p) => p.pool_id === "my-dgb-rig"), false);
});

test("drivers and settings show what the service loaded, secrets masked", async () => {
  await page.goto(`${env.base}/app/drivers`);
  await page.getByTestId("driver-solopool").waitFor();
  await page.getByText("port: must be 1..65535", { exact: false }).first().waitFor();
  await page.goto(`${env.base}/app/settings`);
  const wallets = page.getByTestId("settings-wallets");
  await wallets.getByText("DGB").waitFor();
  assert.equal(await page.getByText(WALLET_DGB).count(), 0, "the wallet is not shown in full");
  assert.equal(await page.getByText(WRITE_TOKEN).count(), 0, "the token is not shown");

  // A wallet is written, shown masked, and removed after a confirmation.
  await wallets.getByLabel("coin").fill("BCH");
  await wallets.getByLabel("payout address").fill("bitcoincash:qsettingswalletsettingswallet0042");
  await wallets.getByRole("button", { name: "Save" }).click();
  await wallets.getByText("***0042").waitFor();
  const settings = await getJson(`${env.base}/api/settings`);
  assert.equal(settings.wallets.BCH, "***0042");
  await wallets.locator("li", { hasText: "BCH" }).getByRole("button", { name: "Remove" }).click();
  await page.getByRole("dialog", { name: "Remove coin BCH?" }).getByRole("button", { name: "Remove" }).click();
  await wallets.getByText("***0042").waitFor({ state: "detached" });
});

test("unknown /app/ paths load the UI, a missing asset is 404", async () => {
  const res = await fetch(`${env.base}/app/no/such/page`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<div id="root">/);
  assert.equal((await fetch(`${env.base}/app/assets/nope.js`)).status, 404);
  // Sent as is: fetch() would resolve the dot segments before sending.
  assert.equal(await rawStatus(`/app/%2e%2e/%2e%2e/etc/passwd`), 400);
  assert.equal(await rawStatus(`/app/..%2f..%2fetc%2fpasswd`), 400);
});

function rawStatus(path) {
  const { hostname, port } = new URL(env.base);
  return new Promise((resolve, reject) =>
    http.get({ hostname, port, path }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on("error", reject));
}

async function shoot(name, viewport) {
  const dir = process.env.MC_SCREENSHOTS;
  mkdirSync(dir, { recursive: true });
  await page.setViewportSize(viewport);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}

test("screenshots of every page (MC_SCREENSHOTS)", { skip: !process.env.MC_SCREENSHOTS }, async () => {
  for (const [size, viewport] of [["laptop", LAPTOP], ["phone", PHONE]]) {
    await page.setViewportSize(viewport);
    for (const name of ["dashboard", "pools", "drivers", "settings"]) {
      await page.goto(`${env.base}/app/${name}`);
      await page.waitForLoadState("networkidle");
      if (name === "dashboard") await page.locator("[data-state=ok]").first().waitFor();
      if (name === "pools") await page.locator("[data-testid=health]").first().waitFor();
      await shoot(`${name}-${size}`, viewport);
    }
  }
  // The theme follows the system: the dark one too.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`${env.base}/app/dashboard`);
  await page.locator("[data-state=ok]").first().waitFor();
  await shoot("dashboard-dark", LAPTOP);
  await page.emulateMedia({ colorScheme: "light" });
});
