import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";
import { ManualClock } from "../cloud/manualClock.js";
import { POSTGRES_AVAILABLE, type PostgresInstance, startPostgres } from "../support/postgres.js";
import { WebhookReceiver } from "../support/WebhookReceiver.js";

/**
 * Outgoing webhooks through the real cloud: endpoints created by API, events of the real flows
 * (an arrival issues an offer, the till redeems it), signatures checked by a receiver that computes
 * the HMAC itself, failures retried on the configured schedule, dead-lettered and replayed.
 */

/** A programme of a point per HKD 1, for the points tests. */
const LOYALTY_PROGRAM = {
  currency: "HKD",
  pointsValidityDays: 365,
  transfersAllowed: true,
  earnRules: [{ id: "base", points: 1, perAmountMinor: 100 }],
  visit: null,
  memberDays: [],
  tiers: [],
  tierWindowDays: 365,
};
describe("webhooks end to end", () => {
  let f: CloudFixture;
  let clock: ManualClock;
  const receivers: WebhookReceiver[] = [];
  let seq = 0;

  const api = async (
    key: string,
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    url: string,
    payload?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => {
    const res = await f.cloud.http.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers }, ...(payload === undefined ? {} : { payload }) });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };
  /** An endpoint for `events` at `r`; the receiver learns the secret the API shows once. */
  const endpointAt = async (r: WebhookReceiver, events: string[]) => {
    const created = await api(f.keys.admin, "POST", "/v1/webhooks/endpoints", { url: r.url, events, description: "test receiver" });
    expect(created.status).toBe(201);
    r.secrets.push(created.body.secret as string);
    return (created.body.endpoint as { id: string }).id;
  };
  /** Everything the flows reported, in the outbox and sent (what is due now). */
  const settle = async () => {
    await f.cloud.offers.idle();
    await f.cloud.webhookEvents.idle();
    await f.cloud.webhooks.drain();
  };
  const arrival = async (userSubject?: string) => {
    seq++;
    await f.ingest(
      [presenceEvent(seq, { at: clock.iso(), ...(userSubject === undefined ? {} : { subject: { kind: "ibeacon", id: userSubject } }) })],
      seq,
    );
  };

  beforeAll(async () => {
    clock = new ManualClock(Date.now());
    // The poll is left far off: passes run when something is queued and when the test drains.
    f = await createCloudFixture({
      clock,
      webhooks: { allowPrivateNetworks: true, maxAttempts: 3, retryBaseS: 10, retryMaxS: 60, pollIntervalMs: 60_000, timeoutMs: 30_000 },
    });
  });
  afterAll(async () => {
    await f.close();
    await Promise.all(receivers.map((r) => r.close()));
  });
  afterEach(async () => {
    // Each test owns its endpoints: remove them so they do not receive the next test's events.
    const listed = await api(f.keys.admin, "GET", "/v1/webhooks/endpoints");
    for (const e of listed.body.endpoints as { id: string }[]) await api(f.keys.admin, "DELETE", `/v1/webhooks/endpoints/${e.id}`);
  });
  beforeEach(() => {
    clock.advance(60_000);
  });

  it("signs an issued offer and its redemption at the till as the specification says", async () => {
    const r = await receiver();
    await endpointAt(r, ["offer.issued", "offer.redeemed"]);
    await arrival();
    await settle();
    expect(r.received.map((m) => m.payload.type)).toEqual(["offer.issued"]);
    const issued = r.received[0];
    if (issued === undefined) throw new Error("nothing received");
    expect(issued.signedBy).toEqual(r.secrets);
    expect(issued.id).toMatch(/^msg_/);
    expect(Number(issued.timestamp)).toBe(Math.floor(clock.now() / 1000));
    const offerId = issued.payload.data.offerId as string;
    expect(issued.payload.data).toMatchObject({ userId: "u1", storeId: "s1", ruleId: "r1" });
    // Ids, not names or offer texts.
    expect(issued.body).not.toContain("10% off");

    clock.advance(1000);
    const offer = await f.cloud.repositories.db.get<{ code: string }>("SELECT code FROM offers WHERE id = ?", [offerId]);
    const redeemed = await api(f.keys.pos, "POST", "/v1/redemptions", { code: offer?.code }, { "idempotency-key": `k-${offerId}` });
    expect(redeemed.status).toBe(201);
    await settle();
    expect(r.received.map((m) => m.payload.type)).toEqual(["offer.issued", "offer.redeemed"]);
    expect(r.received[1]?.payload.data).toMatchObject({ offerId, userId: "u1", storeId: "s1" });
    expect(r.received[1]?.signedBy).toEqual(r.secrets);

    const deliveries = await api(f.keys.admin, "GET", "/v1/webhooks/deliveries?status=sent");
    expect((deliveries.body.deliveries as { eventType: string; lastStatusCode: number }[]).map((d) => [d.eventType, d.lastStatusCode])).toEqual([
      ["offer.redeemed", 204],
      ["offer.issued", 204],
    ]);
  });

  it("retries a failing endpoint on schedule, dead-letters it, and replays the same message", async () => {
    const r = await receiver();
    r.behaviour = "fail";
    const endpointId = await endpointAt(r, ["offer.*"]);
    const queued = await api(f.keys.admin, "POST", `/v1/webhooks/endpoints/${endpointId}/test`);
    expect(queued.status).toBe(202);
    const deliveryId = queued.body.id as string;
    await settle();
    expect(r.received).toHaveLength(1);
    let delivery = await api(f.keys.admin, "GET", `/v1/webhooks/deliveries/${deliveryId}`);
    expect(delivery.body).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 500", lastStatusCode: 500 });
    expect(Date.parse(delivery.body.nextAttemptAt as string)).toBe(clock.now() + 10_000);

    // Not before its time, then once per step of the schedule (10 s, then 20 s).
    clock.advance(9_999);
    await settle();
    expect(r.received).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(r.received).toHaveLength(2);
    clock.advance(20_000);
    await settle();
    expect(r.received).toHaveLength(3);
    delivery = await api(f.keys.admin, "GET", `/v1/webhooks/deliveries/${deliveryId}`);
    expect(delivery.body).toMatchObject({ status: "dead", attempts: 3, lastError: "HTTP 500 (after 3 attempts)", nextAttemptAt: null });
    const dead = await api(f.keys.admin, "GET", `/v1/webhooks/deliveries?status=dead&endpointId=${endpointId}`);
    expect((dead.body.deliveries as { id: string }[]).map((d) => d.id)).toEqual([deliveryId]);

    r.behaviour = "ok";
    expect((await api(f.keys.admin, "POST", `/v1/webhooks/deliveries/${deliveryId}/replay`)).status).toBe(200);
    expect((await api(f.keys.admin, "POST", `/v1/webhooks/deliveries/${deliveryId}/replay`)).status).toBe(409);
    await settle();
    expect(r.received).toHaveLength(4);
    // One message: the same id and body on every attempt, each signed afresh.
    expect(new Set(r.received.map((m) => m.id))).toEqual(new Set([deliveryId]));
    expect(new Set(r.received.map((m) => m.body)).size).toBe(1);
    expect(r.received.every((m) => m.signedBy.length === 1)).toBe(true);
    expect((await api(f.keys.admin, "GET", `/v1/webhooks/deliveries/${deliveryId}`)).body).toMatchObject({ status: "sent", lastStatusCode: 204 });
    const metrics = await f.cloud.http.inject({ url: "/metrics", headers: { authorization: `Bearer ${f.keys.admin}` } });
    expect(metrics.body).toMatch(/^arrival_webhook_messages_total\{outcome="dead"\} 1$/m);
    expect(metrics.body).toMatch(/^arrival_webhook_messages_total\{outcome="retried"\} 2$/m);
  });

  it("counts a redirect as a failure and does not follow it", async () => {
    const r = await receiver();
    r.behaviour = "redirect";
    const endpointId = await endpointAt(r, ["*"]);
    const deliveryId = (await api(f.keys.admin, "POST", `/v1/webhooks/endpoints/${endpointId}/test`)).body.id as string;
    await settle();
    expect(r.received).toHaveLength(1);
    const delivery = await api(f.keys.admin, "GET", `/v1/webhooks/deliveries/${deliveryId}`);
    expect(delivery.body).toMatchObject({ status: "pending", lastStatusCode: 302 });
    expect(delivery.body.lastError).toMatch(/redirects are not followed/);
  });

  it("delivers to a healthy endpoint while another hangs", async () => {
    const hanging = await receiver();
    hanging.behaviour = "hang";
    const healthy = await receiver();
    const hangingId = await endpointAt(hanging, ["offer.issued"]);
    const healthyId = await endpointAt(healthy, ["offer.issued"]);
    const toHanging = (await api(f.keys.admin, "POST", `/v1/webhooks/endpoints/${hangingId}/test`)).body.id as string;
    const toHealthy = (await api(f.keys.admin, "POST", `/v1/webhooks/endpoints/${healthyId}/test`)).body.id as string;
    // One pass starts both attempts; the healthy one completes while the other is still open.
    await f.cloud.webhooks.pass();
    await Promise.all([hanging.until(1), healthy.until(1)]);
    await f.cloud.webhooks.attemptOf(toHealthy);
    expect((await api(f.keys.admin, "GET", `/v1/webhooks/deliveries/${toHealthy}`)).body).toMatchObject({ status: "sent", lastStatusCode: 204 });
    // The hanging endpoint's attempt is still in flight, its delivery pending.
    expect((await api(f.keys.admin, "GET", `/v1/webhooks/deliveries/${toHanging}`)).body).toMatchObject({ status: "pending", attempts: 0 });
    expect(f.cloud.webhooks.attemptOf(toHanging)).toBeDefined();
    // The hang ends with the connection: a failed attempt, to be retried.
    await hanging.close();
    await f.cloud.webhooks.attemptOf(toHanging);
    expect((await api(f.keys.admin, "GET", `/v1/webhooks/deliveries/${toHanging}`)).body).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
  });

  it("signs with both secrets during a rotation's grace, then with the new one only", async () => {
    const r = await receiver();
    const endpointId = await endpointAt(r, ["*"]);
    const [oldSecret] = r.secrets;
    const rotated = await api(f.keys.admin, "POST", `/v1/webhooks/endpoints/${endpointId}/secret`, { graceS: 3600 });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    r.secrets.push(newSecret);
    // The secret is shown at creation and rotation only.
    expect(JSON.stringify((await api(f.keys.admin, "GET", `/v1/webhooks/endpoints/${endpointId}`)).body)).not.toContain("whsec_");

    await api(f.keys.admin, "POST", `/v1/webhooks/endpoints/${endpointId}/test`);
    await settle();
    expect(r.received[0]?.signedBy).toEqual([oldSecret, newSecret]);
    expect(r.received[0]?.signature.split(" ")).toHaveLength(2);

    clock.advance(3_600_000);
    await api(f.keys.admin, "POST", `/v1/webhooks/endpoints/${endpointId}/test`);
    await settle();
    expect(r.received[1]?.signedBy).toEqual([newSecret]);
    expect(r.received[1]?.signature.split(" ")).toHaveLength(1);
    // With no grace given, the previous secret signs for a day.
    const again = await api(f.keys.admin, "POST", `/v1/webhooks/endpoints/${endpointId}/secret`, {});
    expect(again.status).toBe(200);
    expect((again.body.endpoint as { previousSecretUntil: string }).previousSecretUntil).toBe(new Date(clock.now() + 86_400_000).toISOString());
  });

  it("sends visit events only for members who consent to analytics", async () => {
    const r = await receiver();
    await endpointAt(r, ["visit.started"]);
    await arrival();
    await settle();
    expect(r.received.map((m) => [m.payload.type, m.payload.data.userId])).toEqual([["visit.started", "u1"]]);

    // u1 withdraws analytics consent: their next arrival is no webhook's business.
    expect((await api(f.keys.admin, "PUT", "/v1/users/u1/consent", { marketing: true, analytics: false })).status).toBeLessThan(300);
    clock.advance(3_600_000);
    await arrival();
    await settle();
    expect(r.received).toHaveLength(1);
    expect((await api(f.keys.admin, "PUT", "/v1/users/u1/consent", { marketing: true, analytics: true })).status).toBeLessThan(300);
  });

  it("tells the retailer's systems once when a click-and-collect customer arrives at the store", async () => {
    const r = await receiver();
    await endpointAt(r, ["pickup.arrived"]);
    const created = await api(f.keys.admin, "POST", "/v1/pickups", { orderId: "web-7731", storeId: "s1", userId: "u1" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { pickupId, expiresAt } = (created.body as { pickup: { pickupId: string; expiresAt: string } }).pickup;
    await settle();
    expect(r.received).toHaveLength(0);
    // u1's beacon is heard at s1: the store is told, once, however often she is seen.
    await arrival();
    await arrival();
    await settle();
    expect(r.received.map((m) => [m.payload.type, m.payload.data])).toEqual([
      ["pickup.arrived", { pickupId, orderId: "web-7731", storeId: "s1", userId: "u1", expiresAt }],
    ]);
  });

  it("reports points changes once per ledger entry, an idempotent repeat not again", async () => {
    const r = await receiver();
    await endpointAt(r, ["points.changed"]);
    expect((await api(f.keys.admin, "PUT", "/v1/loyalty/program", LOYALTY_PROGRAM)).status).toBe(200);
    const adjust = () => api(f.keys.admin, "POST", "/v1/users/u1/points/adjustments", { points: 10, reason: "goodwill" }, { "idempotency-key": "adjust-1" });
    expect((await adjust()).status).toBe(201);
    expect((await adjust()).status).toBeLessThan(300);
    await settle();
    expect(r.received.map((m) => m.payload.data)).toEqual([
      { entryId: expect.any(String) as unknown, userId: "u1", kind: "adjust", points: 10, balance: expect.any(Number) as unknown },
    ]);
  });

  it("reports the points a purchase spends and earns in one transaction, as entries of their own", async () => {
    const r = await receiver();
    await endpointAt(r, ["points.changed"]);
    const program = { ...LOYALTY_PROGRAM, pointsRedemption: { enabled: true, pointsPerCurrencyUnit: 1, maxShareOfBasket: 0.5, minPoints: 1 } };
    const put = await api(f.keys.admin, "PUT", "/v1/loyalty/program", program);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await api(f.keys.admin, "POST", "/v1/users/u1/points/adjustments", { points: 10, reason: "goodwill" }, { "idempotency-key": "adjust-2" })).status).toBe(201);
    // HKD 20 with 5 points paying HKD 5: the spend, and 15 points earned on the HKD 15 paid.
    const bought = await api(f.keys.pos, "POST", "/v1/purchases", {
      memberId: "u1",
      orderId: "till-webhook-1",
      storeId: "s1",
      currency: "HKD",
      totalMinor: 2000,
      lines: [{ sku: "bag", quantity: 1, unitPriceMinor: 2000 }],
      pointsToSpend: 5,
    });
    expect(bought.status, JSON.stringify(bought.body)).toBe(201);
    await settle();
    // Several messages of one endpoint are sent side by side: their order of arrival is not theirs.
    const kinds = r.received.map((m) => [m.payload.data.kind, m.payload.data.points] as [string, number]);
    expect(kinds.sort(([a], [b]) => a.localeCompare(b))).toEqual([
      ["adjust", 10],
      ["earn", 15],
      ["spend", -5],
    ]);
    // Each with the balance just after it: the spend's before the earning was added.
    const balanceAfter = (kind: string) => r.received.find((m) => m.payload.data.kind === kind)?.payload.data.balance as number;
    expect(balanceAfter("spend")).toBe(balanceAfter("adjust") - 5);
    expect(balanceAfter("earn")).toBe(balanceAfter("spend") + 15);
  });

  it("reports a gateway going offline once, not again when its retained status comes back", async () => {
    const r = await receiver();
    await endpointAt(r, ["gateway.*"]);
    const status = (state: "online" | "offline") =>
      f.cloud.fleet.handleStatus(gatewayTopic("s1", "g1", "status"), encodeMessage({ v: 1, state, at: clock.iso(), version: "0.1.0" }));
    await status("online");
    await status("offline");
    clock.advance(5000);
    await status("offline");
    await settle();
    expect(r.received.map((m) => [m.payload.type, m.payload.data])).toEqual([["gateway.offline", { gatewayId: "g1", storeId: "s1" }]]);
  });

  it("forgets a member's messages when the member is erased", async () => {
    const r = await receiver();
    const endpointId = await endpointAt(r, ["points.changed"]);
    await f.cloud.repositories.users.upsertUser(
      { id: "u9", orgId: "o1", displayName: "u9", segments: [], loyaltyTier: null, marketingConsent: false, analyticsConsent: true },
      clock.now(),
    );
    const data = { entryId: "e-u9", userId: "u9", kind: "adjust", points: 5, balance: 5 };
    expect(await f.cloud.webhookEvents.emit("o1", "points.changed", "e-u9", clock.now(), data, "u9")).toBe(1);
    const listed = async () => (await api(f.keys.admin, "GET", `/v1/webhooks/deliveries?endpointId=${endpointId}`)).body.deliveries as unknown[];
    expect(await listed()).toHaveLength(1);
    expect((await api(f.keys.admin, "DELETE", "/v1/users/u9")).status).toBe(200);
    expect(await listed()).toHaveLength(0);
  });

  it("refuses bad endpoints with clear messages, and keeps them to admins", async () => {
    const bad = await api(f.keys.admin, "POST", "/v1/webhooks/endpoints", { url: "https://crm.example.com/in", events: ["offer.sent"] });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toMatch(/unknown event type "offer.sent"/);
    const notUrl = await api(f.keys.admin, "POST", "/v1/webhooks/endpoints", { url: "crm", events: ["*"] });
    expect(notUrl.status).toBe(400);
    expect((notUrl.body.error as { message: string }).message).toMatch(/not an absolute URL/);
    const marketer = await api(f.keys.marketer, "POST", "/v1/webhooks/endpoints", { url: "https://crm.example.com/in", events: ["*"] });
    expect(marketer.status).toBe(403);
  });
});

describe("webhook endpoints without private networks allowed", () => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
  });
  afterAll(async () => {
    await f.close();
  });

  it.each(["http://127.0.0.1:8080/hook", "https://127.0.0.1/hook", "https://localhost/hook", "https://10.0.0.7/hook", "https://[::1]/hook", "https://169.254.169.254/latest"])(
    "refuses %s with a 400 that says why",
    async (url) => {
      const res = await f.cloud.http.inject({
        method: "POST",
        url: "/v1/webhooks/endpoints",
        headers: { authorization: `Bearer ${f.keys.admin}` },
        payload: { url, events: ["*"] },
      });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { code: string; message: string; details: { path: string }[] } }>().error;
      expect(body.code).toBe("VALIDATION_FAILED");
      expect(body.details[0]?.path).toBe("/url");
      expect(body.message).toMatch(/https|loopback|private/);
    },
  );
});

/**
 * Every ledger entry reaches the stream with its own member and balance, on each backend: both
 * sides of a transfer, and the lots the expiry sweep writes off.
 */
describe.each([
  { backend: "sqlite", skip: false },
  { backend: "postgres", skip: !POSTGRES_AVAILABLE },
])("points on the webhook stream ($backend)", ({ backend, skip }) => {
  let f: CloudFixture;
  let server: PostgresInstance | null = null;
  let r: WebhookReceiver;
  const clock = new ManualClock(Date.now());

  const api = async (method: "POST" | "PUT" | "GET", url: string, payload?: Record<string, unknown>, key?: string) => {
    const res = await f.cloud.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${f.keys.admin}`, ...(key === undefined ? {} : { "idempotency-key": key }) },
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  const settle = async () => {
    await f.cloud.webhookEvents.idle();
    await f.cloud.webhooks.drain();
  };
  /** A member of o1 without any points yet. */
  const member = (id: string) =>
    f.cloud.repositories.users.upsertUser(
      { id, orgId: "o1", displayName: id, segments: [], loyaltyTier: null, marketingConsent: false, analyticsConsent: false },
      clock.now(),
    );
  const adjust = async (userId: string, points: number, key: string) => {
    const res = await api("POST", `/v1/users/${userId}/points/adjustments`, { points, reason: "welcome" }, key);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  /**
   * The points messages received about `userId`: kind, points and balance, sorted; one per
   * `webhook-id`, as a receiver deduplicates (delivery is at least once).
   */
  const pointsOf = (userId: string) =>
    [...new Map(r.received.filter((m) => m.payload.type === "points.changed" && m.payload.data.userId === userId).map((m) => [m.id, m])).values()]
      .map((m) => [m.payload.data.kind, m.payload.data.points, m.payload.data.balance] as [string, number, number])
      .sort(([a], [b]) => a.localeCompare(b));

  beforeAll(async () => {
    if (skip) return;
    let storage: Record<string, unknown> | undefined;
    if (backend === "postgres") {
      server = await startPostgres();
      storage = { kind: "postgres", url: await server.createDatabase("webhook_points") };
    }
    f = await createCloudFixture({
      clock,
      seedRule: false,
      ...(storage ? { storage } : {}),
      webhooks: { allowPrivateNetworks: true, maxAttempts: 3, retryBaseS: 10, retryMaxS: 60, pollIntervalMs: 60_000, timeoutMs: 30_000 },
    });
    r = await WebhookReceiver.start();
    const created = await api("POST", "/v1/webhooks/endpoints", { url: r.url, events: ["points.changed"] });
    expect(created.status).toBe(201);
    r.secrets.push(created.body.secret as string);
    expect((await api("PUT", "/v1/loyalty/program", LOYALTY_PROGRAM)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    if (skip) return;
    await f?.close();
    await r?.close();
    await server?.stop();
  });

  it.skipIf(skip)("reports a transfer on both members, each with their own balance, once", async () => {
    await member("giver");
    await member("friend");
    await adjust("giver", 50, "transfer-seed-1");
    await adjust("friend", 3, "transfer-seed-2");
    const give = () => api("POST", "/v1/users/giver/points/transfers", { toUserId: "friend", points: 20 }, "transfer-give-1");
    expect((await give()).status).toBe(201);
    expect((await give()).status).toBe(200);
    await settle();
    expect(pointsOf("giver")).toEqual([
      ["adjust", 50, 50],
      ["transfer-out", -20, 30],
    ]);
    expect(pointsOf("friend")).toEqual([
      ["adjust", 3, 3],
      ["transfer-in", 20, 23],
    ]);
  });

  it.skipIf(skip)("reports the points the expiry sweep writes off, once", async () => {
    await member("lapsed");
    await adjust("lapsed", 12, "expiry-seed-1");
    // Sent before the clock jumps: a message in flight across the jump would outlive its lease
    // and be sent again (at least once), which is not what this test is about.
    await settle();
    // A year and a day on, the lot is past its 365 days of validity.
    clock.advance(366 * 86_400_000);
    expect((await f.cloud.membership.sweep()).expired).toBeGreaterThan(0);
    expect((await f.cloud.membership.sweep()).expired).toBe(0);
    await settle();
    expect(pointsOf("lapsed")).toEqual([
      ["adjust", 12, 12],
      ["expire", -12, 0],
    ]);
    const expired = r.received.find((m) => m.payload.data.userId === "lapsed" && m.payload.data.kind === "expire");
    expect((await api("GET", "/v1/users/lapsed/points/history")).body.entries).toContainEqual(
      expect.objectContaining({ id: expired?.payload.data.entryId, kind: "expire", points: -12 }),
    );
  });
});
