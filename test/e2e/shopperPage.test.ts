import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { type DemoSystem, startDemo } from "../../scripts/demo/demoSystem.js";
import { encodeQr, qrPath } from "../../scripts/demo/shopperPage/qrCode.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.ARRIVAL_TEST_REQUIRE_CHROMIUM === "1") {
  throw new Error(`${CHROMIUM} is missing and ARRIVAL_TEST_REQUIRE_CHROMIUM=1`);
}

/**
 * The demo shopper page in a real browser: the client library, bundled by the demo, signs in
 * with Ada's app token, connects over MQTT on WebSocket, and shows the offer the rules engine
 * issues when the simulated Ada walks into the demo store.
 */
describe.skipIf(!haveChromium)(`demo shopper page in headless Chromium${haveChromium ? "" : " (skipped: no /usr/bin/chromium)"}`, () => {
  let dir: string;
  let demo: DemoSystem;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-shopper-page-"));
    const parsed = parseCloudConfig({
      dataDir: dir,
      http: { port: 0 },
      mqtt: { mode: "embedded", port: 0, websocket: { port: 0 } },
      log: { level: "silent" },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const log = createLogger({ level: "silent", format: "json", name: "shopper-page" });
    demo = await startDemo({ cloudConfig: parsed.config, log, seed: 11, firstArrivalMs: 1000, shopperPage: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // The simulated store runs in real time: on a loaded machine Ada's arrival can take most of the
  // 90 s the offer is waited for, so the test gets room beyond the suite's 60 s default.
  it("shows Ada's offer with its countdown and code when she arrives", { timeout: 150_000 }, async () => {
    const url = demo.shopperPageUrl("u-ada");
    expect(url).not.toBeNull();
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    // A Content-Security-Policy violation is reported on the console, not as a page error.
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    const response = await page.goto(url ?? "");
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp.split("; ")).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "worker-src 'self' blob:",
        expect.stringMatching(/^style-src 'sha256-[A-Za-z0-9+/]+=*'$/),
        "connect-src 'self' ws://127.0.0.1:* wss://127.0.0.1:*",
        "frame-ancestors 'none'",
      ]),
    );
    await page.locator('#status[data-state="connected"]').waitFor({ timeout: 30_000 });
    const offer = page.locator(".offer").first();
    await offer.waitFor({ timeout: 90_000 });
    const code = (await offer.locator(".code").textContent()) ?? "";
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    expect(await offer.locator(".countdown").textContent()).toMatch(/^\d+:\d{2} left$/);
    // The redemption payload as a QR code image: the symbol of the page's encoder (checked against
    // reference symbols in qrCode.test.ts), drawn with its quiet zone at a size a till can scan.
    const payload = `arrival:redeem:v1:${code}`;
    const qr = offer.locator(".qr");
    expect(await qr.getAttribute("data-payload")).toBe(payload);
    const symbol = encodeQr(payload);
    expect(symbol.version).toBe(3);
    const image = qr.locator("svg");
    expect(await image.getAttribute("viewBox")).toBe(`0 0 ${symbol.size + 8} ${symbol.size + 8}`);
    expect(await image.locator("path").getAttribute("d")).toBe(qrPath(symbol));
    expect(await image.locator("rect").getAttribute("fill")).toBe("#fff");
    const box = await image.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(150);
    expect(box?.height).toBe(box?.width);
    expect(await offer.textContent()).not.toContain("QR: ");
    // The page is the app: the cloud has the offer with the code it shows, delivered and viewed.
    const offerId = await offer.getAttribute("data-offer-id");
    const pending = await demo.cloud.repositories.offers.pendingOffers("u-ada", Date.now());
    const shown = pending.find((o) => o.offerId === offerId);
    expect(shown?.code).toBe(code);
    expect(pageErrors).toEqual([]);
  });
});
