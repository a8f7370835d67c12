import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeQr, qrPath } from "../../scripts/demo/shopperPage/qrCode.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { LIPSTICK_BATCH } from "../support/couponBatches.js";
import { chromiumAvailable, launchChromium, signedInPage } from "./browser.js";

const hasChromium = chromiumAvailable();

/**
 * The Coupons page in a real browser against a real cloud (SQLite in a temp dir, HTTP on port 0):
 * a marketer creates a batch with the form and the API holds exactly what was typed; a refused
 * field shows its problem next to it; a coupon claimed online and redeemed at the till with a
 * basket, both through the real API, shows in the page's analytics and its CSV; a claim link and
 * its QR; a segment send, confirmed first; a key that may not create batches gets no form.
 */
describe.skipIf(!hasChromium)("console coupons", () => {
  let f: CloudFixture;
  let browser: Browser;
  let base: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
    base = `http://127.0.0.1:${f.cloud.httpPort()}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  const signedIn = (context: BrowserContext, key: string, hash = "#/coupons"): Promise<Page> =>
    signedInPage(context, `${base}/console/${hash}`, key, pageErrors);

  async function call(key: string, method: "GET" | "POST", url: string, payload?: Record<string, unknown>, headers: Record<string, string> = {}) {
    const res = await f.cloud.http.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  }

  /** A batch made through the API: a free item for a day from claim at s1 in Hong Kong, claimed online, unless `spec` says otherwise. */
  async function createBatch(key: string, batchId: string, spec: Record<string, unknown>): Promise<void> {
    const made = await call(key, "POST", "/v1/coupon-batches", {
      batchId,
      spec: { text: "", validity: { kind: "from-claim", hours: 24 }, timezone: "Asia/Hong_Kong", storeIds: ["s1"], channels: ["online"], ...spec },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
  }

  /** u1 claims a coupon of the batch online and offers it as a gift: the gift's link token and id. */
  async function giftOne(batchId: string): Promise<{ token: string; giftId: string }> {
    const claimed = await call(f.keys.appU1, "POST", `/v1/coupon-batches/${batchId}/claims`, {});
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(201);
    const couponId = (claimed.body["coupon"] as { couponId: string }).couponId;
    const gift = await call(f.keys.appU1, "POST", `/v1/users/u1/coupons/${couponId}/gifts`);
    expect(gift.status, JSON.stringify(gift.body)).toBe(201);
    return { token: gift.body["token"] as string, giftId: (gift.body["gift"] as { giftId: string }).giftId };
  }

  const menu = (page: Page) => page.getByRole("navigation", { name: "Console sections" }).getByRole("link").allTextContents();

  it("creates a batch from the form, with amounts in the currency and validity in days, as the API then holds it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signedIn(context, f.keys.marketer);
    await expect(menu(page)).resolves.toContain("Coupons");
    await page.getByRole("heading", { name: "Coupons" }).waitFor();
    await page.getByRole("link", { name: "New batch" }).click();
    await page.getByLabel("Batch id").waitFor();

    // Every control is labelled.
    const unlabelled = await page.evaluate(`[...document.querySelectorAll("main input, main select, main textarea, main button")]
      .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || (el.tagName === "BUTTON" && el.textContent.trim())))
      .map((el) => el.name || el.outerHTML)`);
    expect(unlabelled).toEqual([]);
    // The stores are picked from the store list, not typed.
    await expect(page.getByRole("checkbox", { name: "s2" }).count()).resolves.toBe(1);

    await page.getByLabel("Batch id").fill("spring-lips");
    await page.getByLabel("Title").fill("HKD 20.50 off lipsticks");
    await page.getByLabel("Text", { exact: true }).fill("Spend HKD 100 on lipsticks");
    await page.getByLabel("Discount", { exact: true }).selectOption("amount");
    await page.getByLabel("Amount off").fill("20.50");
    await page.getByLabel("Minimum spend").fill("100");
    await page.getByLabel("Eligible categories").fill("lipstick, gloss");
    await page.getByRole("checkbox", { name: "s1" }).check();
    await page.getByRole("checkbox", { name: "segment send" }).check();
    await page.getByLabel("Valid for").fill("2");
    await page.getByLabel("Total stock").fill("50");
    await page.getByLabel("Daily stock").fill("10");
    await page.getByLabel("Per member").fill("2");
    await page.getByLabel("Claim only when seen in a store within (minutes)").fill("30");
    await page.getByRole("checkbox", { name: "Members may give it to a friend" }).check();
    await page.getByLabel("An unaccepted gift returns after").fill("2");
    await page.getByLabel("Return unit").selectOption("days");
    await page.getByRole("button", { name: "Create batch" }).click();

    await page.getByRole("heading", { name: "HKD 20.50 off lipsticks" }).waitFor();
    const saved = await call(f.keys.marketer, "GET", "/v1/coupon-batches/spring-lips");
    expect(saved.status).toBe(200);
    expect((saved.body["batch"] as { spec: unknown }).spec).toEqual({
      title: "HKD 20.50 off lipsticks",
      text: "Spend HKD 100 on lipsticks",
      discount: { kind: "amount", amountMinor: 2050, currency: "HKD", minSpendMinor: 10000, eligible: { categories: ["lipstick", "gloss"] } },
      validity: { kind: "from-claim", hours: 48 },
      timezone: "Asia/Hong_Kong",
      totalStock: 50,
      dailyStock: 10,
      perMemberLimit: 2,
      storeIds: ["s1"],
      channels: ["online", "segment"],
      giftable: true,
      giftTimeoutHours: 48,
      presenceWithinMin: 30,
    });
    await expect(page.locator("[data-term=Discount]").textContent()).resolves.toBe("20.50 HKD off on categories lipstick, gloss, from 100.00 HKD spent");

    // The list: its terms in words and its stock.
    await page.getByRole("link", { name: "All batches" }).click();
    const row = page.locator("tr[data-batch=spring-lips]");
    await row.waitFor();
    await expect(row.locator("td[data-label=Validity]").textContent()).resolves.toBe("2 days from claim");
    await expect(row.locator("td[data-label=Stock]").textContent()).resolves.toBe("50 of 50 left");
    await expect(row.locator("td[data-label='Daily stock']").textContent()).resolves.toBe("10 of 10 left today");
    await expect(row.locator("td[data-label=Status]").textContent()).resolves.toBe("live");
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("shows a refused field's problem next to that field, keeps what was typed, and creates nothing", async () => {
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.marketer, "#/coupons/new");
    await page.getByLabel("Batch id").fill("too-many-a-day");
    await page.getByLabel("Title").fill("Ten a day of five");
    await page.getByLabel("Percent off").fill("15");
    await page.getByRole("checkbox", { name: "s1" }).check();
    await page.getByLabel("Total stock").fill("5");
    await page.getByLabel("Daily stock").fill("10");
    await page.getByRole("button", { name: "Create batch" }).click();

    // The cloud's cross-field check (daily stock over total), placed by its path /spec/dailyStock.
    const daily = page.getByLabel("Daily stock");
    await page.locator("[aria-invalid=true]").first().waitFor();
    await expect(page.evaluate(`[...document.querySelectorAll("[aria-invalid=true]")].map((e) => e.getAttribute("name"))`)).resolves.toEqual(["dailyStock"]);
    await expect(page.locator(`#${await daily.getAttribute("id")}-error`).textContent()).resolves.toBe("must not exceed totalStock (5)");
    await expect(page.getByLabel("Title").inputValue()).resolves.toBe("Ten a day of five");
    expect((await call(f.keys.marketer, "GET", "/v1/coupon-batches/too-many-a-day")).status).toBe(404);

    // An amount that is not one is refused at its field before anything is sent.
    await daily.fill("5");
    await page.getByLabel("At most (amount)").fill("ten");
    await page.getByRole("button", { name: "Create batch" }).click();
    const cap = page.getByLabel("At most (amount)");
    await expect(cap.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator(`#${await cap.getAttribute("id")}-error`).textContent()).resolves.toMatch(/^is not an amount in HKD/);
    await expect(daily.getAttribute("aria-invalid")).resolves.toBeNull();

    // The API's limit on an amount, in minor units, is said in the currency the field is typed in.
    await cap.fill("0");
    await page.getByRole("button", { name: "Create batch" }).click();
    await page.locator(`#${await cap.getAttribute("id")}-error`, { hasText: "must be >= 0.01 HKD" }).waitFor();
    await expect(page.locator(`#${await cap.getAttribute("id")}-error`).textContent()).resolves.toBe("must be >= 0.01 HKD");

    await cap.fill("30");
    await page.getByRole("button", { name: "Create batch" }).click();
    await page.getByRole("heading", { name: "Ten a day of five" }).waitFor();
    const saved = await call(f.keys.marketer, "GET", "/v1/coupon-batches/too-many-a-day");
    expect(saved.body["batch"]).toMatchObject({ spec: { discount: { kind: "percent", percent: 15, maxDiscountMinor: 3000 }, totalStock: 5, dailyStock: 5 } });
    await context.close();
  });

  it("shows a coupon claimed online and redeemed at the till with a basket in the analytics and their CSV", async () => {
    const batchId = "lips-20-off";
    await createBatch(f.keys.marketer, batchId, { ...LIPSTICK_BATCH, title: "20 off lipsticks", text: "" });
    // u1 claims online from a poster's link, u2 is issued one at the till, u3 online by an admin;
    // the tills redeem u1's and u2's with baskets of 153.50 and 200.00 HKD, u3 keeps hers.
    await f.cloud.repositories.users.upsertUser(
      { id: "u3", orgId: "o1", displayName: "u3", segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
      Date.now(),
    );
    const claims = [
      await call(f.keys.appU1, "POST", `/v1/coupon-batches/${batchId}/claims`, { channelTag: "poster-l2" }),
      await call(f.keys.pos, "POST", `/v1/coupon-batches/${batchId}/claims`, { userId: "u2" }),
      await call(f.keys.admin, "POST", `/v1/coupon-batches/${batchId}/claims`, { userId: "u3" }),
    ];
    for (const c of claims) expect(c.status, JSON.stringify(c.body)).toBe(201);
    const codes = claims.map((c) => (c.body["coupon"] as { code: string }).code);
    for (const [i, totalMinor] of [15350, 20000].entries()) {
      const redeemed = await call(
        f.keys.pos,
        "POST",
        "/v1/redemptions",
        {
          code: codes[i],
          basket: {
            orderId: `till-order-${i}`,
            totalMinor,
            currency: "HKD",
            lines: [
              { sku: "lip-1", category: "lipstick", quantity: 1, unitPriceMinor: 12000 },
              { sku: "brush-1", category: "tools", quantity: 1, unitPriceMinor: totalMinor - 12000 },
            ],
          },
        },
        { "idempotency-key": `coupon-console-${i}` },
      );
      expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(201);
    }

    const context = await browser.newContext({ acceptDownloads: true });
    const page = await signedIn(context, f.keys.marketer, "#/coupons/analytics");
    const row = page.locator("table.coupon-stats tbody tr", { hasText: `20 off lipsticks (${batchId})` });
    await row.waitFor();
    const cell = (r: typeof row, col: string) => r.locator(`[data-col=${col}]`).textContent();
    const expectRow = async (r: typeof row, want: Record<string, string>) => {
      for (const [col, text] of Object.entries(want)) await expect(cell(r, col), col).resolves.toBe(text);
    };
    await expectRow(row, {
      claimed: "3",
      giftsMade: "0",
      redeemed: "2",
      voided: "0",
      expired: "0",
      revenue: "353.50 HKD",
      discount: "40.00 HKD",
      average: "176.75 HKD",
      conversion: "66.7 %",
    });

    // By channel: the online claims (the poster's and the admin's) apart from the till's.
    await page.getByLabel("Group by").selectOption("channel");
    const online = page.locator("table.coupon-stats tbody tr", { hasText: "online claim (link, QR)" });
    await online.waitFor();
    await expectRow(online, { claimed: "2", redeemed: "1", revenue: "153.50 HKD", average: "153.50 HKD", conversion: "50.0 %" });
    await expectRow(page.locator("table.coupon-stats tbody tr", { hasText: "at the till" }), { claimed: "1", redeemed: "1", revenue: "200.00 HKD", conversion: "100.0 %" });
    // Charted by uPlot over the table (which screen readers read instead of the hidden canvas): one
    // chart, of the grouping shown.
    const chart = page.getByRole("figure", { name: "Coupons claimed, and redeemed inside, by channel" });
    await chart.locator("canvas").waitFor();
    await expect(chart.locator(".bar-canvas").getAttribute("aria-hidden")).resolves.toBe("true");
    await expect(page.locator("main .uplot").count()).resolves.toBe(1);

    // The CSV is the API's export of the same period: its lines of the batch add up to the same.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    const csv = await readFile(await download.path(), "utf8");
    const [header = "", ...lines] = csv.trim().split("\n");
    const columns = header.split(",");
    expect(columns).toEqual(expect.arrayContaining(["batchId", "channel", "storeId", "day", "claimed", "redeemed", "revenueMinor", "discountMinor"]));
    const ours = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [columns[i], v])) as Record<string, string>).filter((r) => r["batchId"] === batchId);
    const sum = (col: string) => ours.reduce((n, r) => n + Number(r[col]), 0);
    expect([sum("claimed"), sum("redeemed"), sum("revenueMinor"), sum("discountMinor")]).toEqual([3, 2, 35350, 4000]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("makes a claim link and its QR code for a channel tag, and sends to a segment once confirmed", async () => {
    const batchId = "vip-gift";
    await createBatch(f.keys.admin, batchId, {
      title: "A gift for our VIPs",
      discount: { kind: "free-item", item: "Tote bag", sku: "tote-1" },
      validity: { kind: "from-claim", hours: 72 },
      storeIds: ["s1", "s2"],
      channels: ["online", "segment"],
      totalStock: 10,
    });
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.marketer, `#/coupons/batch/${batchId}`);
    await page.getByRole("heading", { name: "A gift for our VIPs" }).waitFor();

    // A tag the API would refuse is refused at its field.
    await page.getByLabel("Claim page address").fill("https://shop.example/claim");
    await page.getByLabel("Channel tag").fill("mall poster");
    await page.getByRole("button", { name: "Make link and QR" }).click();
    await expect(page.getByLabel("Channel tag").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator(".qr-figure").count()).resolves.toBe(0);

    await page.getByLabel("Channel tag").fill("poster-l2");
    await page.getByRole("button", { name: "Make link and QR" }).click();
    const link = "https://shop.example/claim?batchId=vip-gift&channelTag=poster-l2";
    await expect(page.locator("a.claim-link").textContent()).resolves.toBe(link);
    const qr = page.getByRole("img", { name: `QR code of the claim link ${link}` });
    await qr.waitFor();
    // The symbol drawn is the shopper page encoder's for exactly that link.
    await expect(qr.locator("path").getAttribute("d")).resolves.toBe(qrPath(encodeQr(link), 4));

    // Segment send: nothing leaves before the confirmation; cancelling sends nothing.
    await page.getByLabel("Segment", { exact: true }).fill("vip");
    await page.getByRole("button", { name: "Send…" }).click();
    const confirm = page.getByRole("group", { name: "Confirm the send" });
    await expect(confirm.textContent()).resolves.toContain("to every member of segment vip who consents to marketing");
    await page.getByRole("button", { name: "Cancel" }).click();
    const wallet = async () =>
      ((await call(f.keys.admin, "GET", "/v1/users/u1/coupons")).body["coupons"] as { batchId: string; channel: string }[]).filter((c) => c.batchId === batchId);
    await expect(wallet()).resolves.toEqual([]);

    await page.getByRole("button", { name: "Send…" }).click();
    await page.getByRole("button", { name: "Send now" }).click();
    // u1 and u2 are both VIPs; only u1 consents to marketing.
    await expect(page.locator("[data-sent]").textContent()).resolves.toBe("1 member got a coupon.");
    await expect(wallet()).resolves.toEqual([expect.objectContaining({ channel: "segment" })]);
    await page.getByRole("button", { name: "Refresh the stock" }).click();
    await expect(page.locator("[data-term=Stock]").textContent()).resolves.toBe("9 of 10 left");
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("lists a batch's gifts with a state filter, in the batch's time, naming only members who consent to analytics", async () => {
    const batchId = "coffee-gift";
    await createBatch(f.keys.marketer, batchId, {
      title: "A coffee for a friend",
      discount: { kind: "free-item", item: "Regular coffee", sku: "CAFE-REG" },
      perMemberLimit: 5,
      giftable: true,
      giftTimeoutHours: 2,
    });
    // A friend without analytics consent, with an app of their own.
    await f.cloud.repositories.users.upsertUser(
      { id: "u-shy", orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: false },
      Date.now(),
    );
    const shyKey = (await f.cloud.credentials.issueApiKey({ role: "app", orgId: "o1", userId: "u-shy", label: "test app" }, "test")).key;
    const offer = () => giftOne(batchId);
    const accepted = await offer();
    expect((await call(shyKey, "POST", "/v1/gifts/accept", { token: accepted.token })).status).toBe(200);
    const declined = await offer();
    expect((await call(f.keys.appU2, "POST", "/v1/gifts/decline", { token: declined.token })).status).toBe(200);
    const pending = await offer();
    const listed = await call(f.keys.marketer, "GET", `/v1/coupon-batches/${batchId}/gifts`);
    const api = new Map((listed.body["gifts"] as { giftId: string; createdAt: string; expiresAt: string; resolvedAt: string | null }[]).map((g) => [g.giftId, g]));
    const hongKong = (iso: string | null | undefined) => {
      const local = new Date(new Date(iso ?? "").getTime() + 8 * 3_600_000).toISOString();
      return `${local.slice(0, 10)} ${local.slice(11, 19)} Asia/Hong_Kong`;
    };

    // A browser in New York: the batch's own timezone is shown, named.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "America/New_York" });
    const page = await signedIn(context, f.keys.marketer, `#/coupons/batch/${batchId}`);
    const rows = page.locator("table.gifts tbody tr[data-gift]");
    await rows.first().waitFor();
    await expect(page.locator("[data-gift-counts]").textContent()).resolves.toBe("3 gifts made: 1 waiting for the friend, 1 accepted, 1 declined, 0 timed out.");
    await expect(page.locator("[data-gift-shown]").textContent()).resolves.toBe("All gifts: 3 gifts");
    const cells = (giftId: string) =>
      page.evaluate<Record<string, string>>(`Object.fromEntries([...document.querySelectorAll('tr[data-gift="${giftId}"] td')].map((td) => [td.dataset.label, td.textContent]))`);
    await expect(cells(accepted.giftId)).resolves.toMatchObject({
      Made: hongKong(api.get(accepted.giftId)?.createdAt),
      From: "u1",
      // The friend does not consent to analytics.
      To: "not named",
      State: "accepted",
      Ended: hongKong(api.get(accepted.giftId)?.resolvedAt),
      "Times out": "—",
    });
    await expect(cells(declined.giftId)).resolves.toMatchObject({ From: "u1", To: "u2", State: "declined" });
    await expect(cells(pending.giftId)).resolves.toMatchObject({ To: "—", State: "waiting for the friend", Ended: "—", "Times out": hongKong(api.get(pending.giftId)?.expiresAt) });
    await expect(page.locator(`tr[data-gift="${declined.giftId}"] a[href="#/members/member/u2"]`).count()).resolves.toBe(1);

    // The filter asks the API for one state.
    await page.getByLabel("State", { exact: true }).selectOption("accepted");
    await page.getByRole("button", { name: "Show gifts" }).click();
    await page.getByText("Accepted: 1 gift").waitFor();
    await expect(page.evaluate(`[...document.querySelectorAll("table.gifts tbody tr")].map((tr) => tr.dataset.gift)`)).resolves.toEqual([accepted.giftId]);
    await page.getByLabel("State", { exact: true }).selectOption("timed-out");
    await page.getByRole("button", { name: "Show gifts" }).click();
    await page.getByText("No gifts: timed out.").waitFor();
    await expect(rows.count()).resolves.toBe(0);
    // No gift link's token reaches the page.
    const html = await page.content();
    for (const token of [accepted.token, declined.token, pending.token]) expect(html).not.toContain(token);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("pages through a batch's gifts, 50 at a time, newest first", async () => {
    const batchId = "many-gifts";
    await createBatch(f.keys.marketer, batchId, {
      title: "Gift a tea",
      discount: { kind: "free-item", item: "Tea", sku: "TEA" },
      perMemberLimit: 60,
      giftable: true,
    });
    for (let i = 0; i < 53; i++) await giftOne(batchId);
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.marketer, `#/coupons/batch/${batchId}`);
    await page.locator("table.gifts tbody tr[data-gift]").first().waitFor();
    await expect(page.locator("[data-gift-counts]").textContent()).resolves.toBe("53 gifts made: 53 waiting for the friend, 0 accepted, 0 declined, 0 timed out.");
    await expect(page.locator("[data-gift-shown]").textContent()).resolves.toBe("All gifts: the newest 50 gifts");
    await expect(page.locator("table.gifts tbody tr").count()).resolves.toBe(50);
    await page.getByRole("button", { name: "Show 50 more" }).click();
    await page.getByText("All gifts: 53 gifts", { exact: true }).waitFor();
    // The API's list, in its order, once each; the last page says so (no button for more).
    const listed = await call(f.keys.marketer, "GET", `/v1/coupon-batches/${batchId}/gifts?limit=200`);
    const ids = (listed.body["gifts"] as { giftId: string }[]).map((g) => g.giftId);
    await expect(page.evaluate(`[...document.querySelectorAll("table.gifts tbody tr")].map((tr) => tr.dataset.gift)`)).resolves.toEqual(ids);
    await expect(page.getByRole("button", { name: "Show 50 more" }).count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("gives no batch form to a key that may not create batches", async () => {
    const context = await browser.newContext();
    const ops = await signedIn(context, f.keys.storeOps, "#/coupons/new");
    await ops.locator("[data-refusal=coupons]").waitFor();
    await expect(ops.locator("[data-refusal=coupons]").textContent()).resolves.toBe(
      "A store-ops key does not manage coupon batches: the Coupons page is for marketer or admin keys.",
    );
    await expect(ops.locator("main form").count()).resolves.toBe(0);
    await expect(ops.locator("main input").count()).resolves.toBe(0);
    await expect(menu(ops)).resolves.not.toContain("Coupons");
    // The same address gives a marketer the form: the refusal above is the role's, not the page's.
    const marketer = await signedIn(context, f.keys.marketer, "#/coupons/new");
    await marketer.getByLabel("Batch id").waitFor();
    await expect(marketer.locator("[data-refusal]").count()).resolves.toBe(0);
    await context.close();
  });

  it("fits the coupon pages in a 390 px wide phone screen", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await signedIn(context, f.keys.marketer);
    const overflow = () => page.evaluate(`document.documentElement.scrollWidth`);
    const clipped = () =>
      page.evaluate(`[...document.querySelectorAll("table.stack")].filter((t) => t.parentElement.scrollWidth > t.parentElement.clientWidth).map((t) => t.className)`);
    for (const [path, ready] of [
      ["#/coupons", "table.batches tbody tr[data-batch]"],
      ["#/coupons/batch/vip-gift", "[data-term=Stock]"],
      ["#/coupons/new", "form.batch-form"],
      ["#/coupons/analytics", "table.coupon-stats tbody tr[data-group]"],
      ["#/coupons/batch/coffee-gift", "table.gifts tbody tr[data-gift]"],
    ] as const) {
      await page.goto(`${base}/console/${path}`);
      await page.locator(ready).first().waitFor();
      expect(await overflow(), path).toBeLessThanOrEqual(390);
      await expect(clipped(), path).resolves.toEqual([]);
    }
    await context.close();
  });
});
