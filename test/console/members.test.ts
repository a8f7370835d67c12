import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addShopperWithoutAnalytics, type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { chromiumAvailable, launchChromium, signedInPage } from "./browser.js";

const hasChromium = chromiumAvailable();

/** What the members test earns with: a point per dollar at the till, two tiers. */
const PROGRAM = {
  currency: "HKD",
  pointsValidityDays: 365,
  transfersAllowed: false,
  earnRules: [{ id: "base", points: 1, perAmountMinor: 100 }],
  visit: null,
  memberDays: [],
  tiers: [{ name: "member" }, { name: "silver", minPoints: 100 }],
  tierWindowDays: 365,
};

/** Every field of the programme model, each optional part present, for the form's round trip. */
const RICH_PROGRAM = {
  currency: "HKD",
  pointsValidityDays: 730,
  transfersAllowed: true,
  earnRules: [
    { id: "base", points: 1, perAmountMinor: 100 },
    { id: "beauty-s1", points: 3, perAmountMinor: 1000, channels: ["till"], storeIds: ["s1"], categories: ["beauty", "skin-care"] },
  ],
  visit: { points: 5, maxPerDay: 2 },
  memberDays: [
    { id: "wednesday", when: { kind: "weekday", weekday: "wed" }, multiplier: 2 },
    { id: "eighth", when: { kind: "day-of-month", day: 8 }, multiplier: 1.5, storeIds: ["s1", "s2"] },
    { id: "last-friday", when: { kind: "last-weekday-of-month", weekday: "fri" }, multiplier: 3 },
    { id: "birthday", when: { kind: "birthday-month" }, multiplier: 2 },
  ],
  tiers: [{ name: "member" }, { name: "silver", minPoints: 100 }, { name: "gold", minPoints: 500, minSpendMinor: 500_000 }],
  tierWindowDays: 365,
  pointsRedemption: { enabled: true, pointsPerCurrencyUnit: 100, maxShareOfBasket: 0.5, minPoints: 200 },
};

interface Entry {
  seq: number;
  kind: string;
  source: string;
  points: number;
  at: string;
  reference: string | null;
  reason: string | null;
}

/**
 * The Members page in a real browser against a real cloud (SQLite in a temp dir, HTTP on port 0):
 * a member earns at the till through the API, an admin looks them up (profile, balance, the ledger
 * in the store's time, tier changes) and adjusts their points with a reason; a marketer reads the
 * same without the adjustment, which the API refuses them; the programme's form round-trips every
 * field and shows the API's problems beside their fields.
 */
describe("console: members", () => {
  let f: CloudFixture;
  let browser: Browser;
  let base: string;
  /** The till purchase's ledger entry, as the API gives it. */
  let purchase: Entry;

  const call = async (key: string, method: "GET" | "POST" | "PUT", url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await f.cloud.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  const history = async (userId: string) =>
    (await call(f.keys.admin, "GET", `/v1/users/${userId}/points/history?limit=500`)).body["entries"] as Entry[];
  const balance = async (userId: string) => (await call(f.keys.admin, "GET", `/v1/users/${userId}/points`)).body["balance"];

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
    base = `http://127.0.0.1:${f.cloud.httpPort()}`;
    expect((await call(f.keys.marketer, "PUT", "/v1/loyalty/program", PROGRAM)).status).toBe(200);
    // u1 buys at the till of s1, identified by member id: HKD 123.45 earns 123 points.
    const bought = await call(f.keys.pos, "POST", "/v1/purchases", {
      memberId: "u1",
      orderId: "till-0001",
      currency: "HKD",
      totalMinor: 12_345,
      lines: [{ sku: "tea-tin", category: "tea", quantity: 3, unitPriceMinor: 4115 }],
    });
    expect(bought.status).toBe(201);
    expect(bought.body).toMatchObject({ points: 123, balance: 123, tier: "silver" });
    const entries = await history("u1");
    expect(entries).toHaveLength(1);
    purchase = entries[0] as Entry;
    if (hasChromium) browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  const pageErrors: string[] = [];

  const signedIn = (context: BrowserContext, key: string): Promise<Page> => signedInPage(context, `${base}/console/`, key, pageErrors);

  /** An instant as the page writes it in Hong Kong (UTC+8, no daylight saving), the fixture's stores' zone. */
  const hongKong = (iso: string) => {
    const local = new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString();
    return `${local.slice(0, 10)} ${local.slice(11, 19)} Asia/Hong_Kong`;
  };

  it.skipIf(!hasChromium)("looks up a member who earned at the till, and lets an admin adjust with a reason", async () => {
    // Another browser zone than the store's: times of the till purchase must still be Hong Kong's.
    const context = await browser.newContext({ timezoneId: "America/New_York", viewport: { width: 1200, height: 900 } });
    const page = await signedIn(context, f.keys.admin);
    await page.getByRole("link", { name: "Members" }).click();
    await page.getByLabel("Member id").fill("u1");
    await page.getByRole("button", { name: "Look up" }).click();

    const stat = (name: string) => page.locator(`[data-stat=${name}]`);
    await stat("balance").waitFor();
    await expect(stat("balance").textContent()).resolves.toBe("123");
    await expect(stat("owed").textContent()).resolves.toBe("0");
    await expect(page.locator("[data-fact=segments]").textContent()).resolves.toBe("vip");
    await expect(page.locator("[data-fact=tier]").textContent()).resolves.toBe("silver");
    await expect(page.locator("[data-fact=programmeTier]").textContent()).resolves.toBe("silver");
    await expect(page.locator("[data-fact=analytics]").textContent()).resolves.toBe("yes");
    await expect(page.locator("[data-fact=nextExpiry]").textContent()).resolves.toMatch(/^123 points on \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} America\/New_York$/);

    // The ledger: the till purchase, in the store's time, with what the API says of it.
    const row = page.locator(`table.ledger tr[data-seq="${purchase.seq}"]`);
    await expect(row.getAttribute("data-kind")).resolves.toBe("earn");
    await expect(row.locator("td[data-label=Source]").textContent()).resolves.toBe("till-purchase");
    await expect(row.locator("td[data-label=Points]").textContent()).resolves.toBe("+123");
    await expect(row.locator("td[data-label=Reference]").textContent()).resolves.toBe("s1:till-0001");
    await expect(row.locator("td.when").textContent()).resolves.toBe(`${hongKong(purchase.at)}store s1`);

    // The tier change the purchase caused.
    const change = page.locator("table.tier-changes tbody tr").first();
    await expect(change.locator("td[data-label=To]").textContent()).resolves.toBe("silver");
    await expect(change.locator("td[data-label=From]").textContent()).resolves.toBe("gold");

    // An adjustment without a reason is not even offered for confirmation.
    await page.locator("form.adjust").getByLabel("Points").fill("50");
    await page.getByRole("button", { name: "Adjust points" }).click();
    const reason = page.getByLabel("Reason");
    await expect(reason.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator(`#${await reason.getAttribute("id")}-error`).textContent()).resolves.toBe("must say why");
    await expect(page.getByRole("button", { name: "Apply adjustment" }).isVisible()).resolves.toBe(false);

    // With a reason: confirmed first, then applied, and the new balance shown.
    await reason.fill("Goodwill: late delivery");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await expect(page.locator("#adjust-confirm-text").textContent()).resolves.toBe(
      "Add 50 points to u1 (balance 123 → 173) for “Goodwill: late delivery”?",
    );
    await expect(balance("u1")).resolves.toBe(123);
    await page.getByRole("button", { name: "Apply adjustment" }).click();
    await page.getByText("Adjusted by +50 points. New balance: 173.").waitFor();
    await expect(stat("balance").textContent()).resolves.toBe("173");
    const newest = page.locator("table.ledger tbody tr").first();
    await expect(newest.getAttribute("data-kind")).resolves.toBe("adjust");
    await expect(newest.locator("td[data-label=Points]").textContent()).resolves.toBe("+50");
    await expect(newest.locator("td[data-label=Reason]").textContent()).resolves.toMatch(/^Goodwill: late delivery \(by /);
    await expect(balance("u1")).resolves.toBe(173);

    // Taking more than the balance is refused before any confirmation, as the ledger would refuse it.
    const taken = page.locator("form.adjust").getByLabel("Points");
    await taken.fill("-500");
    await page.getByLabel("Reason").fill("Returned goods");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await expect(page.locator(`#${await taken.getAttribute("id")}-error`).textContent()).resolves.toBe("may take at most the balance, 173 points");
    await expect(page.getByRole("button", { name: "Apply adjustment" }).isVisible()).resolves.toBe(false);
    const adjusted = (await history("u1"))[0];
    expect(adjusted).toMatchObject({ kind: "adjust", source: "admin-adjustment", points: 50 });
    expect(adjusted?.reason).toMatch(/^Goodwill: late delivery/);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it.skipIf(!hasChromium)("shows a marketer the member without the adjustment, which the API refuses them", async () => {
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.marketer);
    await expect(page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "Members" }).count()).resolves.toBe(1);
    await page.goto(`${base}/console/#/members/member/u1`);
    await page.locator("[data-stat=balance]").waitFor();
    const before = await balance("u1");
    await expect(page.locator("[data-stat=balance]").textContent()).resolves.toBe(String(before));
    await expect(page.locator(`table.ledger tr[data-seq="${purchase.seq}"] td[data-label=Points]`).textContent()).resolves.toBe("+123");
    await expect(page.getByRole("button", { name: "Adjust points" }).count()).resolves.toBe(0);
    await expect(page.getByLabel("Reason").count()).resolves.toBe(0);

    const refused = await call(f.keys.marketer, "POST", "/v1/users/u1/points/adjustments", { points: 10, reason: "try" }, { "idempotency-key": "marketer-try-1" });
    expect(refused.status).toBe(403);
    await expect(balance("u1")).resolves.toBe(before);

    // A member without analytics consent: shown as the API gives them, the consent said.
    await addShopperWithoutAnalytics(f);
    await page.getByLabel("Member id").fill("u3");
    await page.getByRole("button", { name: "Look up" }).click();
    await page.locator("[data-member=u3]").waitFor();
    await expect(page.locator("[data-fact=analytics]").textContent()).resolves.toBe("no");
    await expect(page.locator("[data-consent-note=analytics]").count()).resolves.toBe(1);
    await page.locator("table.ledger tbody td", { hasText: "No ledger entries yet." }).waitFor();
    await expect(page.locator("table.ledger tbody tr").count()).resolves.toBe(1);

    // An unknown member is said so, not shown as an error code.
    await page.getByLabel("Member id").fill("nobody");
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByText("No member nobody in this organisation.").waitFor();

    // Store-ops reads no member's points: neither the page nor the API.
    const ops = await signedIn(context, f.keys.storeOps);
    await ops.goto(`${base}/console/#/members`);
    await expect(ops.locator("[data-refusal=members]").textContent()).resolves.toBe(
      "A store-ops key does not read members' points: the Members page is for marketer or admin keys.",
    );
    expect((await call(f.keys.storeOps, "GET", "/v1/users/u1/points")).status).toBe(403);
    await context.close();
  });

  it.skipIf(!hasChromium)("pages the ledger newest first, as the API orders it", async () => {
    for (let i = 1; i <= 25; i++) {
      const r = await call(f.keys.admin, "POST", "/v1/users/u2/points/adjustments", { points: i, reason: `entry ${i}` }, { "idempotency-key": `paging-${i}` });
      expect(r.status).toBe(201);
    }
    const all = (await history("u2")).map((e) => String(e.seq));
    expect(all).toHaveLength(25);
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.admin);
    await page.goto(`${base}/console/#/members/member/u2`);
    const rows = page.locator("table.ledger tbody tr[data-seq]");
    const seqs = () => page.evaluate(`[...document.querySelectorAll("table.ledger tbody tr[data-seq]")].map((tr) => tr.getAttribute("data-seq"))`);
    await rows.first().waitFor();
    await expect(seqs()).resolves.toEqual(all.slice(0, 20));
    await expect(page.locator("table.ledger caption").textContent()).resolves.toBe("Ledger, newest first: 20 entries shown");
    await page.getByRole("button", { name: "Older entries" }).click();
    await page.locator("table.ledger caption", { hasText: "25 entries shown" }).waitFor();
    await expect(seqs()).resolves.toEqual(all);
    await expect(page.getByRole("button", { name: "Older entries" }).isVisible()).resolves.toBe(false);
    await expect(rows.first().locator("td[data-label=Reason]").textContent()).resolves.toMatch(/^entry 25 \(by /);
    await context.close();
  });

  it.skipIf(!hasChromium)("shows the programme in words and round-trips every field through its form", async () => {
    expect((await call(f.keys.admin, "PUT", "/v1/loyalty/program", RICH_PROGRAM)).status).toBe(200);
    const version = (await call(f.keys.marketer, "GET", "/v1/loyalty/program")).body["version"] as number;
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.marketer);
    await page.goto(`${base}/console/#/members/programme`);
    await page.getByRole("heading", { name: `Programme, version ${version}` }).waitFor();
    const summary = (name: string) => page.locator(`[data-summary=${name}]`).innerText();
    await expect(summary("earnRules")).resolves.toBe(
      "base: 1 point per HKD 1.00 spent, every channel, in every store\n" +
        "beauty-s1: 3 points per HKD 10.00 spent, till only, in store s1, on beauty, skin-care only",
    );
    await expect(summary("visit")).resolves.toBe("Store visits: 5 points a visit, at most 2 visits a day per member and store (the store's local day).");
    await expect(summary("memberDays")).resolves.toBe(
      "wednesday: points ×2 on every Wednesday, in every store\n" +
        "eighth: points ×1.5 on the 8th of each month, in stores s1, s2\n" +
        "last-friday: points ×3 on the last Friday of each month, in every store\n" +
        "birthday: points ×2 on the member's birthday month, in every store",
    );
    await expect(summary("tiers")).resolves.toBe(
      "member: every member\nsilver: from 100 points earned within 365 days\ngold: from 500 points earned and HKD 5,000.00 spent within 365 days",
    );
    await expect(summary("points")).resolves.toBe(
      "Points expire 730 days after they are earned.\nMembers may give points to each other.\n" +
        "Points pay at the till: 100 points = HKD 1.00, up to 50 % of a basket, at least 200 points at once.",
    );

    // Saved unchanged: the API holds exactly what it had, as a new version.
    await page.getByRole("button", { name: "Save programme" }).click();
    await page.locator("main .notice", { hasText: `Programme saved as version ${version + 1}.` }).waitFor();
    const saved = (await call(f.keys.marketer, "GET", "/v1/loyalty/program")).body;
    expect(saved).toEqual({ program: RICH_PROGRAM, version: version + 1 });

    // An edit: two points per dollar, no more last Friday, a platinum tier.
    await page.locator("[data-path='/earnRules/0']").getByLabel("Points", { exact: true }).fill("2");
    await page.getByRole("button", { name: "Remove Member day last-friday" }).click();
    await page.getByRole("button", { name: "Add tier" }).click();
    const platinum = page.locator("[data-path='/tiers/3']");
    await platinum.getByLabel("Tier name").fill("platinum");
    await platinum.getByLabel("Points earned").fill("2000");
    await platinum.getByLabel("Spend (minor units)").fill("2000000");
    await page.getByRole("button", { name: "Save programme" }).click();
    await page.locator("main .notice", { hasText: `Programme saved as version ${version + 2}.` }).waitFor();
    const edited = (await call(f.keys.marketer, "GET", "/v1/loyalty/program")).body["program"];
    expect(edited).toEqual({
      ...RICH_PROGRAM,
      earnRules: [{ ...RICH_PROGRAM.earnRules[0], points: 2 }, RICH_PROGRAM.earnRules[1]],
      memberDays: RICH_PROGRAM.memberDays.filter((d) => d.id !== "last-friday"),
      tiers: [...RICH_PROGRAM.tiers, { name: "platinum", minPoints: 2000, minSpendMinor: 2_000_000 }],
    });
    await expect(summary("earnRules")).resolves.toMatch(/^base: 2 points per HKD 1\.00 spent/);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it.skipIf(!hasChromium)("shows each bad field of the programme beside it, and keeps what was typed", async () => {
    const before = (await call(f.keys.admin, "GET", "/v1/loyalty/program")).body;
    const context = await browser.newContext();
    const page = await signedIn(context, f.keys.admin);
    await page.goto(`${base}/console/#/members/programme`);
    const per = page.locator("[data-path='/earnRules/1']").getByLabel("Per amount (minor units)");
    await per.fill("0");
    await page.getByRole("button", { name: "Save programme" }).click();
    await page.locator("[aria-invalid=true]").first().waitFor();
    await expect(per.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator(`#${await per.getAttribute("id")}-error`).textContent()).resolves.toMatch(/1/);
    await expect(page.locator("[aria-invalid=true]").count()).resolves.toBe(1);
    await expect(per.inputValue()).resolves.toBe("0");

    // Fixed; now tiers out of order, which the programme's own check names by field.
    await per.fill("1000");
    const gold = page.locator("[data-path='/tiers/2']").getByLabel("Points earned");
    await gold.fill("50");
    await page.getByRole("button", { name: "Save programme" }).click();
    await page.locator("[data-path='/tiers/2/minPoints'][aria-invalid=true]").waitFor();
    await expect(per.getAttribute("aria-invalid")).resolves.toBeNull();
    await expect(gold.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator(`#${await gold.getAttribute("id")}-error`).textContent()).resolves.toBe(
      "must not be below the tier before it (tiers are listed lowest first)",
    );
    await expect(gold.inputValue()).resolves.toBe("50");
    expect((await call(f.keys.admin, "GET", "/v1/loyalty/program")).body).toEqual(before);
    await context.close();
  });

  it.skipIf(!hasChromium)("fits the member and programme views in a 390 px wide phone screen", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const overflow = (p: Page) => p.evaluate(`document.documentElement.scrollWidth`);
    const clipped = (p: Page) =>
      p.evaluate(`[...document.querySelectorAll("table.stack")].filter((t) => t.parentElement.scrollWidth > t.parentElement.clientWidth).map((t) => t.className)`);
    const page = await signedIn(context, f.keys.admin);
    for (const [path, ready] of [
      ["#/members/member/u1", "table.ledger tbody tr[data-seq]"],
      ["#/members/programme", "form.programme-form"],
    ] as const) {
      await page.goto(`${base}/console/${path}`);
      await page.locator(ready).first().waitFor();
      expect(await overflow(page), path).toBeLessThanOrEqual(390);
      await expect(clipped(page), path).resolves.toEqual([]);
      // A label for every control.
      const unlabelled = await page.evaluate(`[...document.querySelectorAll("main input, main select, main textarea, main button")]
        .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || (el.tagName === "BUTTON" && el.textContent.trim())))
        .map((el) => el.name || el.outerHTML)`);
      expect(unlabelled, path).toEqual([]);
    }
    const apply = await page.getByRole("button", { name: "Save programme" }).boundingBox();
    expect((apply?.x ?? 999) + (apply?.width ?? 0)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
