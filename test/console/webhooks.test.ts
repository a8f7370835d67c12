import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { until } from "../support/until.js";
import { chromiumAvailable, launchChromium, signedInPage } from "./browser.js";

const hasChromium = chromiumAvailable();

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * The Webhooks page in a real browser against a real cloud (SQLite in a temp dir, HTTP on port 0)
 * sending to a real HTTP receiver: an endpoint made in the form is what the cloud holds; its secret
 * is shown once and signs what the receiver gets; an offer issued by a shopper's arrival shows as a
 * delivery; a dead message is replayed from the page; quiet hours saved in the form are what the
 * API answers; only admins get the page.
 */
describe.skipIf(!hasChromium)("console webhooks and push", () => {
  let f: CloudFixture;
  let browser: Browser;
  let base: string;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  /** The receiver answers 500 on `/fail` while this holds. */
  let failing = true;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.statusCode = req.url === "/fail" && failing ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    f = await createCloudFixture({ webhooks: { allowPrivateNetworks: true, maxAttempts: 1, pollIntervalMs: 50 } });
    base = `http://127.0.0.1:${f.cloud.httpPort()}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await f?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const signedIn = (context: BrowserContext, key: string, hash = "#/webhooks"): Promise<Page> =>
    signedInPage(context, `${base}/console/${hash}`, key, pageErrors);

  async function call(key: string, method: "GET" | "POST" | "PUT", url: string, payload?: Record<string, unknown>) {
    const res = await f.cloud.http.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  }

  type DeliveryBody = { id: string; endpointId: string; eventType: string; status: string };
  const deliveries = async (endpointId: string) =>
    (await call(f.keys.admin, "GET", `/v1/webhooks/deliveries?endpointId=${endpointId}`)).body["deliveries"] as DeliveryBody[];

  it("creates an endpoint from the form, shows its secret once, and lists the offer an arrival issued", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signedIn(context, f.keys.admin);
    await page.getByRole("link", { name: "New endpoint" }).click();
    await page.getByLabel("URL").fill(`${receiverUrl}/crm`);
    await page.getByLabel("Description").fill("CRM feed");
    await page.getByRole("checkbox", { name: "offer.issued" }).check();
    await page.getByRole("checkbox", { name: "offer.redeemed" }).check();
    await page.getByRole("button", { name: "Create endpoint" }).click();
    const secretInput = page.locator("input[data-secret]");
    await secretInput.waitFor();
    const secret = await secretInput.inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);

    const { endpoints } = (await call(f.keys.admin, "GET", "/v1/webhooks/endpoints")).body as { endpoints: { id: string; url: string; events: string[]; description: string; enabled: boolean }[] };
    expect(endpoints).toHaveLength(1);
    const [endpoint] = endpoints;
    if (!endpoint) throw new Error("no endpoint");
    expect(endpoint).toMatchObject({ url: `${receiverUrl}/crm`, events: ["offer.issued", "offer.redeemed"], description: "CRM feed", enabled: true });

    // Never again: not in the list, not in the endpoint's own page.
    await page.getByRole("link", { name: "All endpoints" }).click();
    const row = page.locator(`tr[data-endpoint="${endpoint.id}"]`);
    await row.waitFor();
    await expect(row.locator("td[data-label=Events]").textContent()).resolves.toBe("offer.issued, offer.redeemed");
    await expect(row.locator("td[data-label=State]").textContent()).resolves.toBe("healthy");
    await expect(page.content()).resolves.not.toContain(secret);
    await row.getByRole("link", { name: `${receiverUrl}/crm` }).click();
    await page.getByRole("button", { name: "Save endpoint" }).waitFor();
    await expect(page.content()).resolves.not.toContain(secret);
    await expect(page.getByRole("checkbox", { name: "offer.issued" }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole("checkbox", { name: "coupon.claimed" }).isChecked()).resolves.toBe(false);

    // A shopper arrives; the rule issues an offer; the receiver gets it, signed with that secret.
    await f.ingest([presenceEvent(1)]);
    await until(() => received.some((r) => r.path === "/crm" && r.body.includes("offer.issued")), 10_000, "offer.issued at the receiver");
    const message = received.find((r) => r.path === "/crm" && r.body.includes("offer.issued"));
    if (!message) throw new Error("no message");
    const messageId = String(message.headers["webhook-id"]);
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`${messageId}.${String(message.headers["webhook-timestamp"])}.${message.body}`).digest("base64");
    expect(String(message.headers["webhook-signature"]).split(" ")).toContain(`v1,${expected}`);

    await page.goto(`${base}/console/#/webhooks`);
    const delivery = page.locator(`tr[data-delivery="${messageId}"]`);
    await delivery.waitFor();
    await expect(delivery.getAttribute("data-event")).resolves.toBe("offer.issued");
    await expect(delivery.locator("td[data-label=Status]").textContent()).resolves.toBe("sent");
    await expect(delivery.locator("td[data-label=Attempts]").textContent()).resolves.toBe("1");
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("refuses an endpoint without events beside the events, and a bad URL beside the URL", async () => {
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.admin, "#/webhooks/new");
    await page.getByLabel("URL").fill("ftp://example.com/x");
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await expect(page.locator("#events-error").textContent()).resolves.toBe("tick at least one event");
    await page.getByRole("checkbox", { name: "tier.changed" }).check();
    await page.getByRole("button", { name: "Create endpoint" }).click();
    const url = page.getByLabel("URL");
    await page.locator("input[name=url][aria-invalid=true]").waitFor();
    await expect(page.locator(`#${await url.getAttribute("id")}-error`).textContent()).resolves.not.toBe("");
    await expect(url.inputValue()).resolves.toBe("ftp://example.com/x");
    const { endpoints } = (await call(f.keys.admin, "GET", "/v1/webhooks/endpoints")).body as { endpoints: { url: string }[] };
    expect(endpoints.map((e) => e.url)).not.toContain("ftp://example.com/x");
    await context.close();
  });

  it("sends a test to a failing endpoint, shows it dead, replays it, and disables after asking", async () => {
    const created = await call(f.keys.admin, "POST", "/v1/webhooks/endpoints", { url: `${receiverUrl}/fail`, events: ["gateway.offline"] });
    expect(created.status).toBe(201);
    const id = (created.body["endpoint"] as { id: string }).id;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signedIn(context, f.keys.admin);
    const row = page.locator(`tr[data-endpoint="${id}"]`);
    await row.getByRole("button", { name: "Send test" }).click();
    await page.locator("main .notice", { hasText: "A webhook.test message is queued" }).waitFor();
    await until(async () => (await deliveries(id)).some((d) => d.status === "dead"), 10_000, "the test message dead");
    const dead = (await deliveries(id)).find((d) => d.status === "dead");
    if (!dead) throw new Error("no dead message");
    expect(dead.eventType).toBe("webhook.test");

    await page.goto(`${base}/console/#/webhooks`);
    await expect(row.locator("td[data-label=State]").textContent()).resolves.toBe("failing: 1 dead message");
    const line = page.locator(`tr[data-delivery="${dead.id}"]`);
    await expect(line.locator("td[data-label=Status]").textContent()).resolves.toBe("dead");
    await expect(line.locator("td[data-label='Last error']").textContent()).resolves.toMatch(/^HTTP 500/);

    // The receiver is fixed; Replay sends the same message again, and it is delivered.
    failing = false;
    await line.getByRole("button", { name: "Replay" }).click();
    await page.locator("main .notice", { hasText: `Message ${dead.id} queued again.` }).waitFor();
    await until(async () => (await deliveries(id)).find((d) => d.id === dead.id)?.status === "sent", 10_000, "the replayed message sent");

    // Disabling asks first; cancelled, nothing changes; confirmed, the endpoint is off.
    await row.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    expect(((await call(f.keys.admin, "GET", `/v1/webhooks/endpoints/${id}`)).body as { enabled: boolean }).enabled).toBe(true);
    await row.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disable" }).click();
    await row.locator("td[data-label=Enabled]", { hasText: "no" }).waitFor();
    expect(((await call(f.keys.admin, "GET", `/v1/webhooks/endpoints/${id}`)).body as { enabled: boolean }).enabled).toBe(false);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("edits an endpoint's events, rotates its secret and removes it after asking, as the API then holds it", async () => {
    const created = await call(f.keys.admin, "POST", "/v1/webhooks/endpoints", { url: `${receiverUrl}/edit`, events: ["offer.*"] });
    const id = (created.body["endpoint"] as { id: string }).id;
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.admin, `#/webhooks/endpoint/${id}`);
    await page.getByRole("button", { name: "Save endpoint" }).waitFor();
    // A family is shown as its members ticked, and said as it is now.
    await expect(page.getByRole("checkbox", { name: "offer.delivered" }).isChecked()).resolves.toBe(true);
    await expect(page.getByText("Now: offer.*; saving writes the boxes ticked.").count()).resolves.toBe(1);
    await page.getByRole("checkbox", { name: "offer.delivered" }).uncheck();
    await page.getByRole("checkbox", { name: "coupon.claimed" }).check();
    await page.getByLabel("Description").fill("Offers and claims");
    await page.getByRole("button", { name: "Save endpoint" }).click();
    await page.locator(`tr[data-endpoint="${id}"]`).waitFor();
    expect((await call(f.keys.admin, "GET", `/v1/webhooks/endpoints/${id}`)).body).toMatchObject({
      events: ["offer.issued", "offer.redeemed", "coupon.claimed"],
      description: "Offers and claims",
      enabled: true,
    });

    // Rotation, asked first: a new secret shown once, the previous one signing beside it for a day.
    await page.goto(`${base}/console/#/webhooks/endpoint/${id}`);
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate" }).click();
    const rotated = await page.locator("input[data-secret]").inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(created.body["secret"]);
    const graceEnds = (await call(f.keys.admin, "GET", `/v1/webhooks/endpoints/${id}`)).body["previousSecretUntil"] as string;
    expect(Date.parse(graceEnds) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await page.reload();
    await page.getByRole("button", { name: "Rotate secret" }).waitFor();
    await expect(page.content()).resolves.not.toContain(rotated);

    await page.getByRole("button", { name: "Remove endpoint" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await page.getByRole("heading", { name: "Endpoints" }).waitFor();
    expect((await call(f.keys.admin, "GET", `/v1/webhooks/endpoints/${id}`)).status).toBe(404);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("saves quiet hours and the frequency cap as the API then answers them, and a store's own in its timezone", async () => {
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.admin, "#/webhooks/push");
    const org = page.locator("form[data-policy=organisation]");
    await org.waitFor();
    await expect(org.locator(".hint").first().textContent()).resolves.toContain("Asia/Hong_Kong");
    await org.getByRole("checkbox", { name: "Quiet hours" }).check();
    await org.getByLabel("Quiet from").fill("21:30");
    await org.getByLabel("Quiet until").fill("07:15");
    await org.getByLabel("Frequency cap (minutes)").fill("90");
    await org.getByRole("button", { name: "Save policy" }).click();
    await page.locator("main .notice", { hasText: "Policy saved." }).waitFor();
    expect((await call(f.keys.admin, "GET", "/v1/push/policy")).body).toEqual({ quietHours: { start: "21:30", end: "07:15" }, frequencyCapMinutes: 90 });
    // What the page shows after the save is what it read back.
    await expect(page.locator("form[data-policy=organisation]").getByLabel("Quiet from").inputValue()).resolves.toBe("21:30");

    await page.getByLabel("Store", { exact: true }).selectOption("s2");
    const store = page.locator("form[data-policy=s2]");
    await store.waitFor();
    await expect(store.locator(".hint").first().textContent()).resolves.toContain("in the store's timezone, Asia/Hong_Kong");
    await store.getByRole("checkbox", { name: "This store has its own quiet hours" }).check();
    await store.getByLabel("Quiet from").fill("23:00");
    await store.getByLabel("Quiet until").fill("09:00");
    await store.getByRole("button", { name: "Save store s2" }).click();
    await page.locator("main .notice", { hasText: "Store s2's quiet hours saved." }).waitFor();
    expect((await call(f.keys.admin, "GET", "/v1/stores/s2/push-policy")).body).toEqual({ quietHours: { start: "23:00", end: "09:00" }, frequencyCapMinutes: null });
    expect((await call(f.keys.admin, "GET", "/v1/push/policy")).body).toMatchObject({ quietHours: { start: "21:30", end: "07:15" } });
    await expect(page.getByText("None: every notification reached its push service.").count()).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("gives the page to admins only, as the API does", async () => {
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.marketer, "#/webhooks");
    await expect(page.locator("[data-refusal=webhooks]").textContent()).resolves.toBe(
      "A marketer key does not manage webhooks or push: the Webhooks page is for admin keys.",
    );
    await expect(page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "Webhooks" }).count()).resolves.toBe(0);
    expect((await call(f.keys.marketer, "GET", "/v1/webhooks/endpoints")).status).toBe(403);
    const admin = await signedIn(context, f.keys.admin, "#/rules");
    await expect(admin.getByRole("navigation", { name: "Console sections" }).getByRole("link").allTextContents()).resolves.toEqual([
      "Rules",
      "Live",
      "Analytics",
      "Coupons",
      "Pick-ups",
      "Members",
      "Fleet",
      "Webhooks",
      "Why not",
    ]);
    await context.close();
  });

  it("fits the endpoints, deliveries and push forms in a 390 px wide phone screen", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await signedIn(context, f.keys.admin);
    for (const [path, ready] of [
      ["#/webhooks", "tr[data-delivery]"],
      ["#/webhooks/new", "form.endpoint-form"],
      ["#/webhooks/push", "form[data-policy=organisation]"],
    ] as const) {
      await page.goto(`${base}/console/${path}`);
      await page.locator(ready).first().waitFor();
      expect(await page.evaluate(`document.documentElement.scrollWidth`), path).toBeLessThanOrEqual(390);
      await expect(
        page.evaluate(`[...document.querySelectorAll("table.stack")].filter((t) => t.parentElement.scrollWidth > t.parentElement.clientWidth).map((t) => t.className)`),
        path,
      ).resolves.toEqual([]);
      const unlabelled = await page.evaluate(`[...document.querySelectorAll("main input, main select, main textarea, main button")]
        .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || (el.tagName === "BUTTON" && el.textContent.trim())))
        .map((el) => el.name || el.outerHTML)`);
      expect(unlabelled, path).toEqual([]);
    }
    await context.close();
  });
  it("lists click-and-collect orders as the shop, the shopper's arrival and the counter left them", async () => {
    const order = async (orderId: string, storeId: string, userId: string) =>
      (await call(f.keys.admin, "POST", "/v1/pickups", { orderId, storeId, userId })).body as { pickup: { pickupId: string; code: string } };
    const waiting = await order("web-100", "s1", "u1");
    const handed = await order("web-101", "s2", "u2");
    // The shopper walks into s1: the gateway's enter marks the order arrived.
    await f.ingest([presenceEvent(900)]);
    await until(
      async () => ((await call(f.keys.admin, "GET", `/v1/pickups/${waiting.pickup.pickupId}`)).body as { pickup: { state: string } }).pickup.state === "arrived",
      10_000,
      "the order arrived",
    );
    expect((await call(f.keys.posOtherStore, "POST", "/v1/pickups/collect", { code: handed.pickup.code })).status).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signedIn(context, f.keys.admin, "#/pickups");
    const rows = () =>
      page.evaluate(`[...document.querySelectorAll("table.pickups tbody tr")].map((tr) => tr.getAttribute("data-order") + ":" + tr.getAttribute("data-state"))`);
    await page.locator("table.pickups tbody tr").first().waitFor();
    await expect(rows()).resolves.toEqual(["web-100:arrived"]);
    const arrivedAt = ((await call(f.keys.admin, "GET", `/v1/pickups/${waiting.pickup.pickupId}`)).body as { pickup: { arrivedAt: string } }).pickup.arrivedAt;
    const shown = await page.locator("tr[data-order=web-100] td[data-label=Arrived]").textContent();
    expect(shown).toMatch(/ Asia\/Hong_Kong$/);
    expect(shown?.slice(0, 16)).toBe(new Date(Date.parse(arrivedAt) + 8 * 3_600_000).toISOString().replace("T", " ").slice(0, 16));
    await page.getByLabel("State").selectOption("collected");
    await page.getByRole("button", { name: "Show" }).click();
    await page.locator("tr[data-order=web-101]").waitFor();
    await expect(rows()).resolves.toEqual(["web-101:collected"]);
    await page.getByLabel("State").selectOption("all");
    await page.getByLabel("Store").selectOption("s1");
    await page.getByRole("button", { name: "Show" }).click();
    await page.locator("h2#pickups-title", { hasText: "All: 1 order" }).waitFor();
    await expect(rows()).resolves.toEqual(["web-100:arrived"]);
    await expect(page.getByText(waiting.pickup.code).count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
