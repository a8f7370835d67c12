import type { Browser, BrowserContext, CDPSession } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleShopperPage, bundleShopperServiceWorker, SHOPPER_PAGE_HTML } from "../../scripts/demo/bundleShopperPage.js";
import { encodeAppToken } from "../../sdk/src/index.js";
import { presenceEvent } from "../cloud/cloudFixture.js";
import { chromiumAvailable, launchChromium } from "../console/browser.js";
import { createSdkCloudFixture, type SdkCloudFixture } from "../sdk/sdkCloudFixture.js";
import { FakeWebPushService } from "../support/FakeWebPushService.js";
import { webPushConfig } from "../support/pushConfig.js";
import { until } from "../support/until.js";

const haveChromium = chromiumAvailable();

/** The browser globals the page evaluations use (the project compiles without the DOM library). */
interface BrowserGlobals {
  Notification: { permission: string };
  navigator: {
    serviceWorker: {
      ready: Promise<{ getNotifications(): Promise<{ title: string; tag: string; body: string; data: unknown }[]> }>;
    };
  };
}

/**
 * The installable shopper page in real Chromium: it registers its service worker, asks to notify,
 * and a push the cloud sent through the local push service is shown as a notification by that
 * service worker.
 *
 * Chromium cannot subscribe against a local push service: its PushManager registers only with
 * Google's FCM (the push service is built in; no switch or policy names another), and it refuses
 * push outright in the off-the-record profile a fresh browser context uses ("Registration failed -
 * permission denied"). So the page's own subscribe is expected to fail here, the test registers the
 * local service's subscription for the shopper as the page would have, and the push the cloud sent
 * (decrypted by the local service, as the browser would) reaches the real service worker as a real
 * push event through the DevTools protocol (ServiceWorker.deliverPushMessage).
 */
describe.skipIf(!haveChromium)("shopper page push notifications in Chromium", () => {
  let sdk: SdkCloudFixture;
  let service: FakeWebPushService;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    sdk = await createSdkCloudFixture({
      push: await webPushConfig({ allowPrivateEndpoints: true, frequencyCapMinutes: 0 }),
      shopperPage: { html: SHOPPER_PAGE_HTML, script: await bundleShopperPage(), serviceWorker: await bundleShopperServiceWorker() },
    });
    const key = await sdk.f.cloud.http.inject({ url: "/v1/push/web-push-key", headers: { authorization: `Bearer ${sdk.f.keys.appU1}` } });
    service = new FakeWebPushService(key.json<{ publicKey: string }>().publicKey);
    await service.start();
    browser = await launchChromium();
    context = await browser.newContext();
    await context.grantPermissions(["notifications"], { origin: sdk.api() });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await sdk?.close();
  });

  it("is installable: a manifest with scope, start URL and icon, and its service worker", async () => {
    const manifest = await sdk.f.cloud.http.inject({ url: "/demo/shopper.webmanifest" });
    expect(manifest.headers["content-type"]).toContain("application/manifest+json");
    expect(manifest.json()).toMatchObject({ start_url: "/demo/shopper", scope: "/demo/", display: "standalone" });
    expect((await sdk.f.cloud.http.inject({ url: "/demo/shopper-icon.svg" })).statusCode).toBe(200);
    expect((await sdk.f.cloud.http.inject({ url: "/demo/shopper-sw.js" })).headers["content-type"]).toContain("javascript");
  });

  it("shows the offer's notification when the push arrives", { timeout: 90_000 }, async () => {
    const token = encodeAppToken(await sdk.appToken("u1", sdk.f.keys.appU1));
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    const cdp: CDPSession = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (event) => registrations.push(...event.registrations));
    await cdp.send("ServiceWorker.enable");
    await page.goto(`${sdk.api()}/demo/shopper#token=${token}`);
    expect(await page.locator('link[rel="manifest"]').getAttribute("href")).toBe("shopper.webmanifest");

    await page.locator("#push-toggle").click();
    const state = page.locator("#push-state");
    await until(
      async () => ["subscribed", "subscribe-failed", "denied", "unsupported"].includes((await state.getAttribute("data-push")) ?? ""),
      30_000,
      "the page's push set-up to end",
    );
    // Permission was granted and the worker registered; only the subscription with FCM fails here.
    expect(await state.getAttribute("data-push")).toBe("subscribe-failed");
    expect(await state.getAttribute("data-push-error")).toMatch(/Registration failed/);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).Notification.permission)).toBe("granted");

    // The subscription the browser would have made, from the local push service, for this shopper.
    const sub = service.subscribe();
    const registered = await sdk.f.cloud.http.inject({
      method: "PUT",
      url: "/v1/users/u1/push-registrations/chromium",
      headers: { authorization: `Bearer ${sdk.f.keys.appU1}` },
      payload: { provider: "webpush", token: sub.endpoint, keys: sub.keys },
    });
    expect(registered.statusCode).toBe(201);
    await sdk.f.ingest([presenceEvent(1)]);
    await sdk.f.cloud.offers.idle();
    await sdk.f.cloud.push.drain();
    expect(service.errors).toEqual([]);
    const pushed = service.received.find((p) => p.subscriptionId === sub.id);
    expect(pushed).toBeDefined();
    const payload = pushed?.payload as { offerId: string; title: string };

    const origin = new URL(sdk.api()).origin;
    const worker = registrations.find((r) => r.scopeURL === `${origin}/demo/` && !r.isDeleted);
    expect(worker).toBeDefined();
    const notifications = () =>
      page.evaluate(async () => {
        const registration = await (globalThis as unknown as BrowserGlobals).navigator.serviceWorker.ready;
        return (await registration.getNotifications()).map((n) => ({ title: n.title, tag: n.tag, body: n.body, data: n.data }));
      });
    // DevTools hands the message to the worker as the browser's push service would, but does not
    // queue it: on a busy machine a delivery made while the worker is being started was seen lost.
    // A push service redelivers what was not acknowledged, so the harness does too, up to three
    // times; the notification's tag makes a repeated delivery replace, not add, the notification.
    for (let attempt = 1; ; attempt++) {
      await cdp.send("ServiceWorker.deliverPushMessage", {
        origin,
        registrationId: worker?.registrationId ?? "",
        data: JSON.stringify(payload),
      });
      try {
        await until(async () => (await notifications()).length > 0, 10_000, "the service worker's notification");
        break;
      } catch (err) {
        if (attempt === 3) throw err;
      }
    }
    expect(await notifications()).toEqual([
      {
        title: payload.title,
        tag: `offer-${payload.offerId}`,
        body: "Tap to see it and its code.",
        data: { offerId: payload.offerId },
      },
    ]);
    expect(pageErrors).toEqual([]);
  });
});
