import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { LIPSTICK_BATCH } from "../support/couponBatches.js";
import { chromiumAvailable, launchChromium, signedInPage } from "./browser.js";

const hasChromium = chromiumAvailable();

interface AxeResult {
  readonly violations: readonly { readonly id: string; readonly impact: string | null; readonly help: string; readonly nodes: readonly { readonly target: readonly unknown[] }[] }[];
}

/**
 * Every console page, as each role that may use it sees it, checked by axe-core against WCAG 2.1
 * A and AA in real Chromium: pages with data in them (a live rule, a shopper who arrived and got
 * an offer, a gateway, a coupon batch with a gift), the forms open, and a confirmation dialog.
 * axe is evaluated through the browser's debugging protocol, which the console's CSP (no inline
 * script) does not govern.
 */
describe("console accessibility", () => {
  let f: CloudFixture;
  let browser: Browser;
  let base: string;
  let axe: string;

  beforeAll(async () => {
    // Webhooks to a local port nothing listens on: the Webhooks page shows a failing endpoint.
    f = await createCloudFixture({ webhooks: { allowPrivateNetworks: true } });
    base = `http://127.0.0.1:${f.cloud.httpPort()}`;
    const endpoint = await f.cloud.http.inject({
      method: "POST",
      url: "/v1/webhooks/endpoints",
      headers: { authorization: `Bearer ${f.keys.admin}` },
      payload: { url: "http://127.0.0.1:9/arrival", events: ["offer.*"], description: "CRM" },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
    // A shopper arrives and gets the seeded rule's offer: the live view, funnel and "why" have rows.
    await f.ingest([presenceEvent(1)]);
    await f.cloud.pipeline.idle();
    // A coupon batch, for the Coupons pages.
    const batch = await f.cloud.http.inject({
      method: "POST",
      url: "/v1/coupon-batches",
      headers: { authorization: `Bearer ${f.keys.marketer}` },
      payload: {
        batchId: "b-lipstick",
        spec: { ...LIPSTICK_BATCH, title: "20 off lipsticks", text: "", giftable: true },
      },
    });
    expect(batch.statusCode, batch.body).toBe(201);
    // A gift of one of its coupons, for the batch's list of gifts.
    const app = { authorization: `Bearer ${f.keys.appU1}` };
    const claim = await f.cloud.http.inject({ method: "POST", url: "/v1/coupon-batches/b-lipstick/claims", headers: app, payload: {} });
    expect(claim.statusCode, claim.body).toBe(201);
    const gift = await f.cloud.http.inject({ method: "POST", url: `/v1/users/u1/coupons/${claim.json<{ coupon: { couponId: string } }>().coupon.couponId}/gifts`, headers: app });
    expect(gift.statusCode, gift.body).toBe(201);
    axe = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    if (hasChromium) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  const signedIn = async (key: string): Promise<Page> =>
    signedInPage(await browser.newContext({ viewport: { width: 1280, height: 900 } }), `${base}/console/`, key, []);

  /** The WCAG 2.1 A/AA violations on the page as it is now, one line each. */
  async function violations(page: Page): Promise<string[]> {
    if (!(await page.evaluate("typeof window.axe === 'object'"))) await page.evaluate(axe);
    const result = await page.evaluate<AxeResult>(
      "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })",
    );
    return result.violations.map((v) => `${v.id} (${v.impact ?? "?"}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`);
  }

  const check = async (page: Page, hash: string, ready: string) => {
    await page.goto(`${base}/console/${hash}`);
    await page.locator(ready).first().waitFor();
    return violations(page);
  };

  it.skipIf(!hasChromium)("finds no WCAG 2.1 AA violation on the sign-in page", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/console/`);
    await page.getByLabel("API key").waitFor();
    expect(await violations(page)).toEqual([]);
    // The refusal message shown after a wrong key too.
    await page.getByLabel("API key").fill("not-a-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("This API key is not valid.").waitFor();
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  });

  it.skipIf(!hasChromium)("finds no WCAG 2.1 AA violation on any page an admin uses, forms and dialogs open", async () => {
    const page = await signedIn(f.keys.admin);
    const found: Record<string, string[]> = {};
    for (const [hash, ready] of [
      ["#/rules", "table.rules tbody tr[data-rule]"],
      ["#/rules/r1", ".rule-state .badge"],
      ["#/rules/new", "[data-preview=offer]"],
      // Once their charts are drawn: the canvases and the lists beside them are checked too.
      ["#/live", "[data-store=s1]:has([data-offer]) figure.columns canvas"],
      ["#/analytics", "figure.funnel canvas"],
      ["#/fleet", "tr[data-gateway=g1]"],
      ["#/why/user/u1", "table.decisions tbody tr"],
      ["#/members/member/u1", "[data-stat=balance]"],
      ["#/members/programme", "form"],
      ["#/coupons", "a[href='#/coupons/batch/b-lipstick']"],
      ["#/coupons/batch/b-lipstick", "table.gifts tbody tr[data-gift]"],
      ["#/coupons/new", "main form"],
      ["#/coupons/analytics", "main h1"],
      ["#/pickups", "table.pickups, main p.empty"],
      ["#/webhooks", "tr[data-delivery]"],
      ["#/webhooks/new", "form.endpoint-form"],
      ["#/webhooks/push", "form[data-policy=organisation]"],
    ] as const) {
      found[hash] = await check(page, hash, ready);
    }
    // A new endpoint's secret, shown once; a store's own quiet hours, open.
    await page.goto(`${base}/console/#/webhooks/new`);
    await page.getByLabel("URL").fill("http://127.0.0.1:9/loyalty");
    await page.getByRole("checkbox", { name: "points.changed" }).check();
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await page.locator("input[data-secret]").waitFor();
    found["endpoint secret"] = await violations(page);
    await page.goto(`${base}/console/#/webhooks/push`);
    await page.getByLabel("Store", { exact: true }).selectOption("s1");
    await page.locator("form[data-policy=s1]").waitFor();
    found["store quiet hours"] = await violations(page);
    // A rule's End confirmation, open.
    await page.goto(`${base}/console/#/rules/r1`);
    await page.getByRole("button", { name: "End: r1" }).click();
    await page.getByRole("dialog").waitFor();
    found["End dialog"] = await violations(page);
    // A refused form: the problems are shown next to their fields.
    await page.goto(`${base}/console/#/rules/new`);
    await page.getByLabel("Valid for", { exact: true }).fill("0");
    await page.getByRole("button", { name: "Create draft" }).click();
    await page.locator("[aria-invalid=true]").first().waitFor();
    found["refused form"] = await violations(page);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    await page.context().close();
  });

  it.skipIf(!hasChromium)("finds no WCAG 2.1 AA violation where a role may not go", async () => {
    const page = await signedIn(f.keys.marketer);
    expect(await check(page, "#/fleet", "[data-refusal=fleet]")).toEqual([]);
    await page.context().close();
  });
});
