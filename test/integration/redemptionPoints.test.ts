import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import { webhookEndpoint } from "../cloud/contracts/webhookRepository.contract.js";
import { ManualClock } from "../cloud/manualClock.js";
import { LIPSTICK_BATCH } from "../support/couponBatches.js";
import { POSTGRES_AVAILABLE, type PostgresInstance, startPostgres } from "../support/postgres.js";

/**
 * A coupon redeemed at the till with the basket earns the member's points as the same purchase
 * without a coupon would, on what the member paid; once per redemption; a void takes them back;
 * an order redeemed and also reported as a purchase earns once. Over the real HTTP app, on SQLite
 * and on PostgreSQL.
 */

/** Tuesday 2026-11-24 17:00 UTC: already Wednesday 01:00 in Hong Kong, where the fixture's stores are. */
const HK_WEDNESDAY_1AM = "2026-11-24T17:00:00.000Z";
/** Tuesday 2026-11-24 10:00 in Hong Kong. */
const HK_TUESDAY = "2026-11-24T02:00:00.000Z";

const PROGRAM = {
  currency: "HKD",
  pointsValidityDays: 365,
  transfersAllowed: false,
  visit: null,
  earnRules: [
    { id: "base", points: 1, perAmountMinor: 100 },
    { id: "lipstick-bonus", points: 1, perAmountMinor: 100, categories: ["lipstick"], channels: ["till"] },
  ],
  memberDays: [{ id: "wednesday", when: { kind: "weekday", weekday: "wed" }, multiplier: 2 }],
  tiers: [],
  tierWindowDays: 365,
};

/** HKD 20 off lipsticks from HKD 100 of them: the discount falls on the lipstick lines only. */
const BATCH = LIPSTICK_BATCH;

interface Line {
  sku: string;
  category?: string;
  quantity: number;
  unitPriceMinor: number;
}
const basketOf = (orderId: string, lines: Line[]) => ({
  orderId,
  currency: "HKD",
  totalMinor: lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0),
  lines,
});
/** A lipstick (HKD 120, HKD 20 off with the coupon) and a bag (HKD 50.50, not eligible). */
const LINES: Line[] = [
  { sku: "lip-1", category: "lipstick", quantity: 1, unitPriceMinor: 12_000 },
  { sku: "bag-1", category: "bag", quantity: 1, unitPriceMinor: 5_050 },
];
/** The same basket as the member paid for it: the lipstick at HKD 100. */
const PAID_LINES: Line[] = [
  { sku: "lip-1", category: "lipstick", quantity: 1, unitPriceMinor: 10_000 },
  { sku: "bag-1", category: "bag", quantity: 1, unitPriceMinor: 5_050 },
];

type Storage = () => Promise<Record<string, unknown> | undefined>;

function suite(name: string, storage: Storage): void {
  describe(name, () => {
    let f: CloudFixture;
    let clock: ManualClock;
    let seq = 0;

    beforeEach(async () => {
      clock = new ManualClock(HK_TUESDAY);
      const s = await storage();
      f = await createCloudFixture({ clock, seedRule: false, ...(s ? { storage: s } : {}) });
    }, 60_000);
    afterEach(async () => {
      await f.close();
    });

    const call = async (key: string, method: "GET" | "POST" | "PUT", url: string, payload?: unknown, headers: Record<string, string> = {}) => {
      const res = await f.cloud.http.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}`, ...headers },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return { status: res.statusCode, body: res.json<Record<string, unknown> & { error?: { code: string; details?: { path: string }[] } }>() };
    };
    const putProgram = async () => {
      const res = await call(f.keys.marketer, "PUT", "/v1/loyalty/program", PROGRAM);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const couponCode = async (userId = "u1"): Promise<string> => {
      const batchId = `batch-${++seq}`;
      expect((await call(f.keys.admin, "POST", "/v1/coupon-batches", { batchId, spec: BATCH })).status).toBe(201);
      const claim = await call(f.keys.admin, "POST", `/v1/coupon-batches/${batchId}/claims`, { userId });
      expect(claim.status, JSON.stringify(claim.body)).toBe(201);
      return (claim.body.coupon as { code: string }).code;
    };
    const redeem = (code: string, key: string, basket: unknown) =>
      call(f.keys.pos, "POST", "/v1/redemptions", { code, ...(basket === undefined ? {} : { basket }) }, { "idempotency-key": key });
    const points = async (userId = "u1") => (await call(f.keys.admin, "GET", `/v1/users/${userId}/points`)).body;
    const history = async (userId = "u1") =>
      ((await call(f.keys.admin, "GET", `/v1/users/${userId}/points/history`)).body.entries as { kind: string; source: string; points: number }[]).map(
        (e) => [e.kind, e.source, e.points],
      );

    it("earns on what the member paid, as the same purchase without a coupon, on the store's member day", async () => {
      await putProgram();
      await f.cloud.repositories.webhooks.createEndpoint(webhookEndpoint("crm", { events: ["points.changed"] }));
      const code = await couponCode();
      clock.set(HK_WEDNESDAY_1AM);
      const res = await redeem(code, "redeem-key-0001", basketOf("order-1", LINES));
      // Paid: lipstick 100.00 + bag 50.50. Base 150, lipstick bonus 100, Wednesday in Hong Kong x2.
      expect(res).toMatchObject({
        status: 201,
        body: {
          discount: { discountMinor: 2000, lineDiscountsMinor: [2000, 0] },
          points: { points: 500, multiplier: 2, memberDayId: "wednesday", reason: "earned" },
        },
      });
      expect(await points()).toMatchObject({ balance: 500, owed: 0 });
      expect(await history()).toEqual([["earn", "coupon-redemption", 500]]);
      // u2 buys the same at the prices u1 paid, without a coupon: the same points.
      const purchase = await call(f.keys.pos, "POST", "/v1/purchases", { ...basketOf("order-2", PAID_LINES), memberId: "u2" });
      expect(purchase.body).toMatchObject({ points: 500, multiplier: 2 });

      await f.cloud.webhookEvents.idle();
      const deliveries = await f.cloud.repositories.webhooks.deliveries({ orgId: "o1", endpointId: null, status: null, limit: 50, after: null });
      const changes = deliveries
        .map((d) => JSON.parse(d.payload) as { type: string; data: { userId: string; points: number; balance: number } })
        .filter((d) => d.data.userId === "u1");
      expect(changes.map((d) => [d.type, d.data.points, d.data.balance])).toEqual([["points.changed", 500, 500]]);
    });

    it("earns on the Tuesday it is in Hong Kong without the multiplier", async () => {
      await putProgram();
      const res = await redeem(await couponCode(), "redeem-key-0002", basketOf("order-3", LINES));
      expect(res.body).toMatchObject({ points: { points: 250, multiplier: 1, memberDayId: null } });
    });

    it("earns once when the redemption is replayed", async () => {
      await putProgram();
      const code = await couponCode();
      const basket = basketOf("order-4", LINES);
      expect((await redeem(code, "redeem-key-0003", basket)).body).toMatchObject({ points: { points: 250 } });
      const again = await redeem(code, "redeem-key-0003", basket);
      expect(again).toMatchObject({ status: 200, body: { points: { points: 250, reason: "earned" } } });
      const concurrent = await Promise.all([1, 2, 3].map(() => redeem(code, "redeem-key-0003", basket)));
      expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(await points()).toMatchObject({ balance: 250 });
      expect(await history()).toEqual([["earn", "coupon-redemption", 250]]);

      // A till retrying before its first answer came: the same redemption, all at once.
      const other = await couponCode();
      const racing = await Promise.all([1, 2, 3, 4].map(() => redeem(other, "redeem-key-0013", basketOf("order-11", LINES))));
      expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
      expect(racing.map((r) => (r.body.points as { points: number }).points)).toEqual([250, 250, 250, 250]);
      expect(await points()).toMatchObject({ balance: 500 });
      expect(await history()).toEqual([
        ["earn", "coupon-redemption", 250],
        ["earn", "coupon-redemption", 250],
      ]);
    });

    it("reverses exactly what the redemption earned on a void, owing what was spent, and earns again when redone", async () => {
      await putProgram();
      const code = await couponCode();
      const basket = basketOf("order-5", LINES);
      const first = await redeem(code, "redeem-key-0004", basket);
      const redemptionId = first.body.redemptionId as string;
      const spent = await call(f.keys.admin, "POST", "/v1/users/u1/points/adjustments", { points: -100, reason: "gift" }, { "idempotency-key": "adjust-0001" });
      expect(spent.body).toMatchObject({ balance: 150 });
      const voided = await call(f.keys.pos, "POST", `/v1/redemptions/${redemptionId}/void`, {});
      expect(voided).toMatchObject({ status: 200, body: { pointsReversed: 250 } });
      expect(await points()).toMatchObject({ balance: 0, owed: 100 });
      const repeated = await call(f.keys.pos, "POST", `/v1/redemptions/${redemptionId}/void`, {});
      expect(repeated).toMatchObject({ status: 200, body: { replayed: true, pointsReversed: 250 } });
      expect(await points()).toMatchObject({ balance: 0, owed: 100 });
      // The cashier redeems the coupon again on the same order: it earns again (settling the debt).
      const redone = await redeem(code, "redeem-key-0005", basket);
      expect(redone).toMatchObject({ status: 201, body: { points: { points: 250, reason: "earned" } } });
      expect(await points()).toMatchObject({ balance: 150, owed: 0 });
      expect(await history()).toEqual([
        ["earn", "coupon-redemption", 250],
        ["reverse", "coupon-redemption", -250],
        ["adjust", "admin-adjustment", -100],
        ["earn", "coupon-redemption", 250],
      ]);
    });

    it("reverses a redeemed order's points on a refund of the order", async () => {
      await putProgram();
      await redeem(await couponCode(), "redeem-key-0006", basketOf("order-6", LINES));
      const refund = await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "order-6" });
      expect(refund).toMatchObject({ status: 200, body: { reversedPoints: 250, balance: 0 } });
    });

    it("earns once for an order both redeemed with a coupon and reported as a purchase, whichever comes first", async () => {
      await putProgram();
      expect((await redeem(await couponCode(), "redeem-key-0007", basketOf("order-7", LINES))).body).toMatchObject({ points: { points: 250 } });
      const reported = await call(f.keys.pos, "POST", "/v1/purchases", { ...basketOf("order-7", PAID_LINES), memberId: "u1" });
      expect(reported).toMatchObject({ status: 200, body: { points: 250, replayed: true } });
      expect(await points()).toMatchObject({ balance: 250 });

      const purchase = await call(f.keys.pos, "POST", "/v1/purchases", { ...basketOf("order-8", LINES), memberId: "u1" });
      expect(purchase).toMatchObject({ status: 201, body: { points: 290 } });
      const after = await redeem(await couponCode(), "redeem-key-0008", basketOf("order-8", LINES));
      expect(after).toMatchObject({ status: 201, body: { discount: { discountMinor: 2000 }, points: { points: 0, reason: "order-reported" } } });
      expect(await points()).toMatchObject({ balance: 540 });
      expect((await history()).filter(([kind]) => kind === "earn")).toHaveLength(2);

      // Both at once: one of them earns, the other answers what it earned.
      for (const orderId of ["order-12", "order-13", "order-14"]) {
        const before = (await points()).balance as number;
        const code = await couponCode();
        const [redeemed, reported] = await Promise.all([
          redeem(code, `redeem-key-${orderId}`, basketOf(orderId, LINES)),
          call(f.keys.pos, "POST", "/v1/purchases", { ...basketOf(orderId, LINES), memberId: "u1" }),
        ]);
        expect(redeemed.status).toBe(201);
        const byRedemption = (redeemed.body.points as { points: number }).points;
        const gained = ((await points()).balance as number) - before;
        expect([250, 290], orderId).toContain(gained);
        expect(reported.body.points, orderId).toBe(gained);
        expect(byRedemption === 0 || byRedemption === gained, orderId).toBe(true);
      }
      const sum = await f.cloud.repositories.ledger.entrySum("o1", "u1");
      expect(sum).toBe((await points()).balance);
    });

    it("earns nothing without a programme or without a basket, and the redemption still succeeds", async () => {
      const withoutProgramme = await redeem(await couponCode(), "redeem-key-0009", basketOf("order-9", LINES));
      expect(withoutProgramme).toMatchObject({ status: 201, body: { discount: { discountMinor: 2000 }, points: { points: 0, reason: "earned" } } });
      await putProgram();
      const withoutBasket = await redeem(await couponCode(), "redeem-key-0010", undefined);
      expect(withoutBasket.status).toBe(201);
      expect(withoutBasket.body.points).toBeUndefined();
      // A basket without lines is not a basket: refused naming the field, the coupon left as it was.
      const code = await couponCode();
      const empty = await redeem(code, "redeem-key-0011", { orderId: "order-10", currency: "HKD", totalMinor: 0, lines: [] });
      expect(empty.status).toBe(400);
      expect(empty.body.error?.details?.map((d) => d.path)).toContain("/basket/lines");
      expect((await redeem(code, "redeem-key-0012", basketOf("order-10", LINES))).status).toBe(201);
      expect(await points()).toMatchObject({ balance: 250 });
    });
  });
}

suite("redemption points on SQLite", async () => undefined);

describe.skipIf(!POSTGRES_AVAILABLE)("on PostgreSQL", () => {
  let server: PostgresInstance;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgres();
    dir = await mkdtemp(join(tmpdir(), "arrival-pg-redemption-points-"));
    await writeFile(join(dir, "pg-password"), `${server.password}\n`, { mode: 0o600 });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  suite("redemption points on PostgreSQL", async () => {
    const url = new URL(await server.createDatabase("points"));
    url.password = "";
    return { kind: "postgres", url: url.toString(), passwordFile: join(dir, "pg-password") };
  });
});
