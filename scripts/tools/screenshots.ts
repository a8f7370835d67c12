/**
 * `npm run -s screenshots`: runs the demo system (cloud, embedded broker, simulated store), waits
 * for its shoppers to receive offers, redeems one at the till, then photographs the console's main
 * pages in headless Chromium at tablet size into `screenshots/` (git-ignored), or the directory
 * given, e.g. `docs/images/console` for the pictures docs/console.md shows. For looking at the
 * layout and for docs; not test expectations.
 *
 * Options: ARRIVAL_CHROMIUM (default /usr/bin/chromium), ARRIVAL_SCREENSHOTS_DIR (default screenshots).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import type { Offer } from "../../cloud/src/domain/offers/index.js";
import { DEMO_BATCHES } from "../demo/demoStore.js";
import { startDemo } from "../demo/demoSystem.js";

const out = (line: string) => process.stdout.write(`${line}\n`);
const executablePath = process.env["ARRIVAL_CHROMIUM"] ?? "/usr/bin/chromium";
const dir = process.env["ARRIVAL_SCREENSHOTS_DIR"] ?? join(import.meta.dirname, "..", "..", "screenshots");

if (!existsSync(executablePath)) {
  console.error(`No chromium at ${executablePath} (apt-get install chromium, or set ARRIVAL_CHROMIUM).`);
  process.exit(2);
}

const dataDir = await mkdtemp(join(tmpdir(), "arrival-screens-"));
const parsed = parseCloudConfig({ dataDir, http: { port: 0 }, mqtt: { mode: "embedded", port: 0 }, log: { level: "silent" } });
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const issued: Offer[] = [];
const demo = await startDemo({
  cloudConfig: parsed.config,
  log: createLogger({ level: "silent", format: "json", name: "screens" }),
  seed: 11,
  firstArrivalMs: 500,
  onOfferIssued: (offer) => issued.push(offer),
});
const browser = await chromium.launch({
  executablePath,
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
});
try {
  out("Waiting for the demo shoppers to receive offers…");
  const deadline = Date.now() + 120_000;
  while (issued.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  const first = issued[0];
  if (first) {
    await demo.cloud.http.inject({
      method: "POST",
      url: "/v1/redemptions",
      headers: { authorization: `Bearer ${demo.credentials.posKey}`, "idempotency-key": "screens-1" },
      payload: { code: first.code },
    });
  }
  await mkdir(dir, { recursive: true });
  const base = `http://127.0.0.1:${demo.cloud.httpPort()}/console/`;
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(base);
  await page.screenshot({ path: join(dir, "0-sign-in.png") });
  await page.getByLabel("API key").fill(demo.credentials.marketerKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  const shots: [string, string, () => Promise<unknown>][] = [
    ["1-rules.png", "#/rules", () => page.locator("table.rules tbody tr").first().waitFor()],
    ["2-rule-edit.png", "#/rules/lipstick-counter", () => page.getByText("Status").first().waitFor()],
    ["3-live.png", "#/live", () => page.locator("[data-store]").first().waitFor()],
    [
      "4-analytics.png",
      "#/analytics",
      async () => {
        await page.locator("table.funnel-table tbody tr").first().waitFor();
        await page.locator("figure.trend canvas").waitFor();
        await page.locator("figure.funnel canvas").waitFor();
      },
    ],
    ["5-why-not.png", "#/why/user/u-ada", () => page.locator("table.decisions, .alert, p").last().waitFor()],
    ["6-fleet.png", "#/fleet", () => page.waitForTimeout(1000)],
  ];
  for (const [file, hash, ready] of shots) {
    await page.goto(`${base}${hash}`);
    await ready();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(dir, file), fullPage: true });
    out(`${join(dir, file)}`);
  }
  // The daily trends by campaign, offers issued: one line per rule or coupon batch.
  await page.goto(`${base}#/analytics`);
  await page.locator("figure.trend canvas").waitFor();
  await page.getByLabel("Break down by").selectOption("campaign");
  await page.getByLabel("Show", { exact: true }).selectOption("issued");
  await page.getByRole("button", { name: "Show trends" }).click();
  await page.getByRole("table", { name: "Offers issued per day, by campaign" }).waitFor();
  await page.waitForTimeout(300);
  await page.locator("section[aria-labelledby=trends-title]").screenshot({ path: join(dir, "4b-trends-by-campaign.png") });
  out(join(dir, "4b-trends-by-campaign.png"));
  // The demo's coffee batch: its gifts accepted, declined and waiting, on the batch's page.
  await page.goto(`${base}#/coupons/batch/${DEMO_BATCHES.friendCoffee.batchId}`);
  await page.locator("table.gifts tbody tr[data-gift]").first().waitFor();
  await page.waitForTimeout(300);
  await page.locator("section[aria-labelledby=gifts-title]").screenshot({ path: join(dir, "10-gifts.png") });
  out(join(dir, "10-gifts.png"));
  // The funnel and the holdout on a phone: labels wrapped whole, values written after the bars.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}#/analytics`);
  await page.locator("figure.funnel canvas").waitFor();
  await page.waitForTimeout(300);
  await page.locator("section[aria-labelledby=funnel-total]").screenshot({ path: join(dir, "4c-funnel-phone.png") });
  out(join(dir, "4c-funnel-phone.png"));
  const holdout = page.locator("section[aria-labelledby=holdout-title]");
  if ((await holdout.count()) > 0) {
    await holdout.locator("canvas").first().waitFor();
    await holdout.screenshot({ path: join(dir, "4d-holdout-phone.png") });
    out(join(dir, "4d-holdout-phone.png"));
  }
  // The rule form at a portrait tablet width.
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(`${base}#/rules/new`);
  await page.getByLabel("Title").waitFor();
  await page.screenshot({ path: join(dir, "7-new-rule-portrait.png"), fullPage: true });
  out(join(dir, "7-new-rule-portrait.png"));
  // An admin's Webhooks page with an endpoint, and the push policy with quiet hours.
  const admin = { authorization: `Bearer ${demo.credentials.adminKey}` };
  await demo.cloud.http.inject({
    method: "POST",
    url: "/v1/webhooks/endpoints",
    headers: admin,
    payload: { url: "https://crm.example.com/arrival", events: ["gateway.offline"], description: "CRM: gateways gone quiet" },
  });
  await demo.cloud.http.inject({ method: "PUT", url: "/v1/push/policy", headers: admin, payload: { quietHours: { start: "22:00", end: "08:00" }, frequencyCapMinutes: 120 } });
  const adminPage = await (await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 })).newPage();
  await adminPage.goto(base);
  await adminPage.getByLabel("API key").fill(demo.credentials.adminKey);
  await adminPage.getByRole("button", { name: "Sign in" }).click();
  await adminPage.getByRole("heading", { name: "Rules" }).waitFor();
  for (const [file, hash, ready] of [
    ["8-webhooks.png", "#/webhooks", "tr[data-endpoint]"],
    ["9-reaching-phones.png", "#/webhooks/push", "form[data-policy=organisation]"],
  ] as const) {
    await adminPage.goto(`${base}${hash}`);
    await adminPage.locator(ready).first().waitFor();
    await adminPage.screenshot({ path: join(dir, file), fullPage: true });
    out(join(dir, file));
  }
} finally {
  await browser.close();
  await demo.stop();
  await rm(dataDir, { recursive: true, force: true });
}
