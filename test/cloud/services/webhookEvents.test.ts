import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteRepositories, type SqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import type { Coupon, CouponGift } from "../../../cloud/src/domain/coupons/index.js";
import { WebhookEvents } from "../../../cloud/src/services/webhooks/WebhookEvents.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { user } from "../contracts/repositoryContract.js";
import { webhookEndpoint } from "../contracts/webhookRepository.contract.js";
import { ManualClock } from "../manualClock.js";

/** What the flows report becomes deliveries of the endpoints that want it, once per event. */
describe("webhook events", () => {
  let dir: string;
  let db: SqliteDatabase;
  let repos: SqliteRepositories;
  let events: WebhookEvents;
  let queued: number;
  const clock = new ManualClock(1_000_000);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-webhook-events-"));
    db = await SqliteDatabase.open(join(dir, "cloud.db"));
    await migrate(db, 0);
    repos = createSqliteRepositories(db);
    await repos.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 3 }, 0);
    await repos.directory.upsertStore({ id: "s1", orgId: "o1", name: "s1", timezone: "UTC", lat: null, lon: null, tags: [] }, 0);
    await repos.users.upsertUser(user("u1", "o1"), 0);
    await repos.users.upsertUser(user("u2", "o1"), 0);
    queued = 0;
    events = new WebhookEvents({
      webhooks: repos.webhooks,
      stores: repos.directory,
      users: repos.users,
      clock,
      log: new RecordingLogger(),
      onQueued: (n) => (queued += n),
      endpointCacheMs: 0,
    });
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const bodies = async () =>
    (await repos.webhooks.deliveries({ orgId: "o1", endpointId: null, status: null, limit: 50, after: null }))
      .map((d) => JSON.parse(d.payload) as { type: string; data: Record<string, unknown> })
      .reverse();

  it("queues claims and accepted gifts for the endpoints that want coupons, each once", async () => {
    await repos.webhooks.createEndpoint(webhookEndpoint("coupons", { events: ["coupon.*"] }));
    await repos.webhooks.createEndpoint(webhookEndpoint("offers", { events: ["offer.*"] }));
    await repos.webhooks.createEndpoint(webhookEndpoint("off", { events: ["*"], enabled: false }));
    const coupon = { offerId: "c1", batchId: "b1", userId: "u1", channel: "campaign" } as unknown as Coupon;
    const gift = { giftId: "g1", couponId: "c1", fromUserId: "u1", toUserId: "u2" } as unknown as CouponGift;
    await events.couponEvent({ kind: "claimed", coupon, at: 1000 });
    await events.couponEvent({ kind: "claimed", coupon, at: 1000 });
    await events.couponEvent({ kind: "gift-offered", gift, at: 2000 });
    clock.advance(1000);
    await events.couponEvent({ kind: "gift-accepted", gift, coupon: { ...coupon, userId: "u2" }, at: 3000 });
    expect(await bodies()).toEqual([
      { type: "coupon.claimed", timestamp: new Date(1000).toISOString(), data: { couponId: "c1", batchId: "b1", userId: "u1", channel: "campaign" } },
      {
        type: "coupon.gifted",
        timestamp: new Date(3000).toISOString(),
        data: { giftId: "g1", couponId: "c1", batchId: "b1", toUserId: "u2" },
      },
    ]);
    expect(queued).toBe(2);
  });

  it("queues a member's tier change once, with the member and both tiers", async () => {
    await repos.webhooks.createEndpoint(webhookEndpoint("crm", { events: ["tier.changed", "points.*"] }));
    const change = { seq: 7, userId: "u1", fromTier: "silver", toTier: "gold", reason: "upgrade", at: 5_000 };
    await events.tierChanged("o1", change);
    await events.tierChanged("o1", change);
    expect(await bodies()).toEqual([
      { type: "tier.changed", timestamp: new Date(5_000).toISOString(), data: { userId: "u1", fromTier: "silver", toTier: "gold", reason: "upgrade" } },
    ]);
  });

  it("reports an offer delivered once per channel however often it is listed", async () => {
    await repos.webhooks.createEndpoint(webhookEndpoint("e1", { events: ["offer.delivered"] }));
    const offer = { offerId: "o-1", userId: "u1", storeId: "s1" };
    await events.offersDelivered([offer], "pull");
    await events.offersDelivered([offer], "pull");
    clock.advance(1000);
    await events.offersDelivered([offer], "mqtt");
    expect((await bodies()).map((b) => b.data.channel)).toEqual(["pull", "mqtt"]);
  });

  it("reads the endpoints again when one cached was deleted elsewhere", async () => {
    const cached = new WebhookEvents({
      webhooks: repos.webhooks,
      stores: repos.directory,
      users: repos.users,
      clock,
      log: new RecordingLogger(),
      onQueued: () => undefined,
      endpointCacheMs: 60_000,
    });
    await repos.webhooks.createEndpoint(webhookEndpoint("e1", { events: ["*"] }));
    await repos.webhooks.createEndpoint(webhookEndpoint("e2", { events: ["*"] }));
    expect(await cached.emit("o1", "gateway.offline", "g1:1", 0, { gatewayId: "g1", storeId: "s1" }, null)).toBe(2);
    // Another worker deletes e1: this one's cache still names it, and its row is gone.
    await repos.webhooks.deleteEndpoint("o1", "e1");
    expect(await cached.emit("o1", "gateway.offline", "g1:2", 0, { gatewayId: "g1", storeId: "s1" }, null)).toBe(1);
  });

  it("never throws into the flow that reported: a failed write is logged", async () => {
    await repos.webhooks.createEndpoint(webhookEndpoint("e1", { events: ["*"] }));
    await db.close();
    await expect(events.emit("o1", "gateway.offline", "g1", 0, { gatewayId: "g1", storeId: "s1" }, null)).resolves.toBe(0);
    db = await SqliteDatabase.open(join(dir, "cloud.db"));
  });
});
