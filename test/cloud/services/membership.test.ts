import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { liveRule } from "../ruleKit.js";

/** Tuesday 2026-11-24 17:00 UTC: already Wednesday 01:00 in Hong Kong, where the fixture's stores are. */
const HK_WEDNESDAY_1AM = "2026-11-24T17:00:00.000Z";
/** Tuesday 2026-11-24 10:00 in Hong Kong. */
const HK_TUESDAY = "2026-11-24T02:00:00.000Z";
const DAY_MS = 86_400_000;

const PROGRAM = {
  currency: "HKD",
  pointsValidityDays: 365,
  transfersAllowed: true,
  earnRules: [
    { id: "base", points: 1, perAmountMinor: 100 },
    { id: "beauty-bonus", points: 1, perAmountMinor: 100, categories: ["beauty"], channels: ["till"] },
  ],
  visit: { points: 5, maxPerDay: 1 },
  memberDays: [
    { id: "wednesday", when: { kind: "weekday", weekday: "wed" }, multiplier: 2 },
    { id: "last-friday", when: { kind: "last-weekday-of-month", weekday: "fri" }, multiplier: 3 },
  ],
  tiers: [{ name: "member" }, { name: "gold", minPoints: 500 }],
  tierWindowDays: 365,
};

const basket = (orderId: string, lines: { sku: string; category?: string; quantity: number; unitPriceMinor: number }[]) => ({
  orderId,
  currency: "HKD",
  totalMinor: lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0),
  lines,
});

describe("membership over HTTP: programme, purchases at the till, member codes, refunds, tiers", () => {
  let f: CloudFixture;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(HK_TUESDAY);
    f = await createCloudFixture({ clock, seedRule: false });
  });
  afterEach(async () => {
    await f.close();
  });

  const call = async (key: string, method: "GET" | "POST" | "PUT" | "DELETE", url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await f.cloud.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown> & { error?: { code: string; details?: { path: string }[] } }>() };
  };
  const putProgram = async () => expect((await call(f.keys.marketer, "PUT", "/v1/loyalty/program", PROGRAM)).status).toBe(200);
  const memberCode = async () => (await call(f.keys.appU1, "POST", "/v1/users/u1/member-code")).body.code as string;
  const points = async () => (await call(f.keys.appU1, "GET", "/v1/users/u1/points")).body;

  it("lets marketers write the programme, reporting every problem with its path", async () => {
    const bad = await call(f.keys.marketer, "PUT", "/v1/loyalty/program", {
      ...PROGRAM,
      earnRules: [{ id: "a", points: 1, perAmountMinor: 0 }],
      tiers: [{ name: "gold", minPoints: 500 }, { name: "silver", minPoints: 100 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details?.map((d) => d.path)).toContain("/earnRules/0/perAmountMinor");
    const badTiers = await call(f.keys.marketer, "PUT", "/v1/loyalty/program", { ...PROGRAM, tiers: [{ name: "gold", minPoints: 500 }, { name: "silver", minPoints: 100 }] });
    expect(badTiers.body.error?.details?.map((d) => d.path)).toEqual(["/tiers/1/minPoints"]);
    expect((await call(f.keys.pos, "PUT", "/v1/loyalty/program", PROGRAM)).status).toBe(403);
    await putProgram();
    expect((await call(f.keys.admin, "GET", "/v1/loyalty/program")).body).toMatchObject({ version: 1, program: { currency: "HKD" } });
  });

  it("earns at the till by member code once per order, and refuses an expired or forged code", async () => {
    await putProgram();
    const code = await memberCode();
    const order = basket("order-1", [
      { sku: "lipstick", category: "beauty", quantity: 2, unitPriceMinor: 12_000 },
      { sku: "bag", quantity: 1, unitPriceMinor: 5_050 },
    ]);
    const first = await call(f.keys.pos, "POST", "/v1/purchases", { ...order, memberCode: code });
    // base: 290.50 HKD → 290; beauty bonus: 240 → 240; Tuesday: no member day.
    expect(first).toMatchObject({ status: 201, body: { memberId: "u1", points: 530, multiplier: 1, balance: 530 } });
    const again = await call(f.keys.pos, "POST", "/v1/purchases", { ...order, memberCode: code });
    expect(again).toMatchObject({ status: 200, body: { points: 530, balance: 530, replayed: true } });
    expect(await points()).toMatchObject({ balance: 530, owed: 0 });
    const metrics = await f.cloud.http.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${f.keys.admin}` } });
    expect(metrics.body).toContain('arrival_points_earned_total{source="till-purchase"} 530');
    expect(metrics.body).toContain('arrival_loyalty_purchases_total{outcome="replayed"} 1');

    const forged = `${code.slice(0, -3)}AAA`;
    expect((await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("order-2", [{ sku: "x", quantity: 1, unitPriceMinor: 100 }]), memberCode: forged })).status).toBe(404);
    clock.advance(301_000);
    const late = await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("order-3", [{ sku: "x", quantity: 1, unitPriceMinor: 100 }]), memberCode: code });
    expect(late).toMatchObject({ status: 409, body: { error: { code: "CODE_EXPIRED" } } });
    expect((await points()).balance).toBe(530);
  });

  it("refuses bad baskets naming the field, and stores nothing", async () => {
    await putProgram();
    const cases: [unknown, string][] = [
      [{ ...basket("o-neg", [{ sku: "a", quantity: 1, unitPriceMinor: -5 }]), memberId: "u1" }, "/lines/0/unitPriceMinor"],
      [{ ...basket("o-qty", [{ sku: "a", quantity: 1_000_000, unitPriceMinor: 5 }]), memberId: "u1" }, "/lines/0/quantity"],
      [{ ...basket("o-sum", [{ sku: "a", quantity: 2, unitPriceMinor: 500 }]), totalMinor: 999, memberId: "u1" }, "/totalMinor"],
      [{ ...basket("o-both", [{ sku: "a", quantity: 1, unitPriceMinor: 500 }]), memberId: "u1", memberCode: "M1.u1.x.y" }, "/memberCode"],
    ];
    for (const [body, path] of cases) {
      const res = await call(f.keys.pos, "POST", "/v1/purchases", body);
      expect(res.status, path).toBe(400);
      expect(res.body.error?.details?.map((d) => d.path), path).toContain(path);
    }
    expect(await points()).toMatchObject({ balance: 0 });
    expect((await call(f.keys.appU1, "GET", "/v1/users/u1/points/history")).body.entries).toEqual([]);
  });

  it("multiplies on the member day of the store's local day", async () => {
    await putProgram();
    clock.set(HK_WEDNESDAY_1AM);
    const res = await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("wed-1", [{ sku: "a", quantity: 1, unitPriceMinor: 10_000 }]), memberId: "u1" });
    expect(res.body).toMatchObject({ points: 200, multiplier: 2, memberDayId: "wednesday" });
  });

  describe("points as a discount at the till", () => {
    // 10 points pay HKD 1 (100 minor units); points pay at most half a basket, at least 50 at once.
    const REDEEMING = { ...PROGRAM, pointsRedemption: { enabled: true, pointsPerCurrencyUnit: 10, maxShareOfBasket: 0.5, minPoints: 50 } };
    const plain = (orderId: string, totalMinor: number) => ({ ...basket(orderId, [{ sku: "bag", quantity: 1, unitPriceMinor: totalMinor }]), memberId: "u1" });
    const setUp = async () => {
      expect((await call(f.keys.marketer, "PUT", "/v1/loyalty/program", REDEEMING)).status).toBe(200);
      expect((await call(f.keys.pos, "POST", "/v1/purchases", plain("earn-1", 100_000))).body).toMatchObject({ points: 1000 });
    };

    it("quotes what points may pay of a basket, writing nothing", async () => {
      await setUp();
      const quote = await call(f.keys.pos, "POST", "/v1/purchases/points-quote", { memberId: "u1", totalMinor: 20_000, currency: "HKD" });
      expect(quote).toMatchObject({ status: 200, body: { balance: 1000, maxPoints: 1000, maxDiscountMinor: 10_000, points: 0, discountMinor: 0, payableMinor: 20_000 } });
      const asked = await call(f.keys.pos, "POST", "/v1/purchases/points-quote", { memberId: "u1", totalMinor: 20_000, currency: "HKD", pointsToSpend: 305 });
      // 305 points are worth HKD 30.50; the till takes the 305 for 3 050 minor units.
      expect(asked.body).toMatchObject({ points: 305, discountMinor: 3_050, payableMinor: 16_950 });
      expect(await points()).toMatchObject({ balance: 1000 });
    });

    it("spends points with the purchase, earns on what was paid, and answers a repeat as the first", async () => {
      await setUp();
      const bought = await call(f.keys.pos, "POST", "/v1/purchases", { ...plain("with-points", 20_000), pointsToSpend: 300 });
      expect(bought).toMatchObject({ status: 201, body: { pointsSpent: 300, pointsDiscountMinor: 3_000, payableMinor: 17_000, points: 170, balance: 870 } });
      const again = await call(f.keys.pos, "POST", "/v1/purchases", { ...plain("with-points", 20_000), pointsToSpend: 300 });
      expect(again).toMatchObject({ status: 200, body: { replayed: true, pointsSpent: 300, points: 170, balance: 870 } });
      const history = (await call(f.keys.appU1, "GET", "/v1/users/u1/points/history?limit=2")).body.entries as { kind: string; source: string; points: number; reference: string }[];
      expect(history.map((e) => [e.kind, e.source, e.points, e.reference])).toEqual([
        ["earn", "till-purchase", 170, "s1:with-points"],
        ["spend", "till-purchase", -300, "s1:with-points"],
      ]);
      // More than half the basket: reduced to half (1 000 points), which is more than the balance.
      const greedy = await call(f.keys.pos, "POST", "/v1/purchases", { ...plain("greedy", 20_000), pointsToSpend: 5_000 });
      expect(greedy).toMatchObject({ status: 409, body: { error: { code: "INSUFFICIENT_POINTS" } } });
      const small = await call(f.keys.pos, "POST", "/v1/purchases", { ...plain("small", 20_000), pointsToSpend: 20 });
      expect(small.status).toBe(400);
      expect(small.body.error?.details?.map((d) => d.path)).toEqual(["/pointsToSpend"]);
      // Neither refused purchase was recorded, and no points moved.
      expect((await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "greedy" })).status).toBe(404);
      expect((await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "small" })).status).toBe(404);
      expect(await points()).toMatchObject({ balance: 870, owed: 0 });
    });

    it("gives spent points back on a refund in proportion, and takes back what the purchase earned", async () => {
      await setUp();
      await call(f.keys.pos, "POST", "/v1/purchases", { ...plain("to-refund", 20_000), pointsToSpend: 300 });
      const quarter = await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "to-refund", amountMinor: 5_000, refundId: "r1" });
      expect(quarter).toMatchObject({ status: 200, body: { reversedPoints: 42, returnedPoints: 75, balance: 903 } });
      const repeat = await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "to-refund", amountMinor: 5_000, refundId: "r1" });
      expect(repeat.body).toMatchObject({ replayed: true, reversedPoints: 42, returnedPoints: 75, balance: 903 });
      const rest = await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "to-refund" });
      expect(rest).toMatchObject({ status: 200, body: { reversedPoints: 128, returnedPoints: 225, balance: 1000, owed: 0 } });
    });

    it("refuses points at the till where the programme does not take them", async () => {
      await putProgram();
      await call(f.keys.pos, "POST", "/v1/purchases", plain("earn-1", 100_000));
      const refused = await call(f.keys.pos, "POST", "/v1/purchases", { ...plain("no-points", 20_000), pointsToSpend: 300 });
      expect(refused).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
      expect((await call(f.keys.pos, "POST", "/v1/purchases/points-quote", { memberId: "u1", totalMinor: 20_000, currency: "HKD" })).status).toBe(403);
      expect(await points()).toMatchObject({ balance: 1000 });
    });
  });

  it("reverses a refunded purchase exactly, owing what was spent, and settles the debt later", async () => {
    await putProgram();
    await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("r-1", [{ sku: "a", quantity: 1, unitPriceMinor: 10_000 }]), memberId: "u1" });
    const spent = await call(f.keys.admin, "POST", "/v1/users/u1/points/adjustments", { points: -70, reason: "exchanged for a gift" }, { "idempotency-key": "adjust-0001" });
    expect(spent).toMatchObject({ status: 201, body: { balance: 30 } });
    const refund = await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "r-1" });
    expect(refund).toMatchObject({ status: 200, body: { reversedPoints: 100, balance: 0, owed: 70 } });
    expect((await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "r-1" })).body).toMatchObject({ replayed: true, owed: 70 });
    const history = (await call(f.keys.appU1, "GET", "/v1/users/u1/points/history")).body.entries as { kind: string; points: number }[];
    expect(history.map((e) => [e.kind, e.points])).toEqual([["reverse", -100], ["adjust", -70], ["earn", 100]]);
    await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("r-2", [{ sku: "a", quantity: 1, unitPriceMinor: 10_000 }]), memberId: "u1" });
    expect(await points()).toMatchObject({ balance: 30, owed: 0 });
  });

  it("reverses partial refunds in proportion, rounded down, exactly in full once the whole order is refunded", async () => {
    await putProgram();
    // 1 point per 1.00 HKD: 100 points for 100.00 HKD.
    await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("p-1", [{ sku: "a", quantity: 3, unitPriceMinor: 3_333 }, { sku: "b", quantity: 1, unitPriceMinor: 1 }]), memberId: "u1" });
    expect(await points()).toMatchObject({ balance: 100 });
    const refund = (body: Record<string, unknown>) => call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "p-1", ...body });
    // A third of the order: 33.33… points, rounded down.
    const first = await refund({ refundId: "ret-1", amountMinor: 3_333 });
    expect(first).toMatchObject({ status: 200, body: { reversedPoints: 33, refundedMinor: 3_333, totalMinor: 10_000, balance: 67, replayed: false } });
    // The till retries: answered, not refunded again; the same id for another amount is a conflict.
    expect((await refund({ refundId: "ret-1", amountMinor: 3_333 })).body).toMatchObject({ reversedPoints: 33, replayed: true, balance: 67 });
    expect((await refund({ refundId: "ret-1", amountMinor: 10 })).status).toBe(409);
    // Bad input names its field and changes nothing.
    const noId = await refund({ amountMinor: 100 });
    expect(noId.status).toBe(400);
    expect(noId.body.error?.details?.map((d) => d.path)).toEqual(["/refundId"]);
    const tooMuch = await refund({ refundId: "ret-x", amountMinor: 6_668 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error?.details?.map((d) => d.path)).toEqual(["/amountMinor"]);
    expect(await points()).toMatchObject({ balance: 67 });
    // Another third (66.66… in all → 66), then the rest as a whole refund: 33 + 33 + 34 = 100.
    expect((await refund({ refundId: "ret-2", amountMinor: 3_333 })).body).toMatchObject({ reversedPoints: 33, refundedMinor: 6_666 });
    expect((await refund({})).body).toMatchObject({ reversedPoints: 34, refundedMinor: 10_000, balance: 0, owed: 0 });
    expect((await refund({})).body).toMatchObject({ reversedPoints: 34, replayed: true });
    const history = (await call(f.keys.appU1, "GET", "/v1/users/u1/points/history")).body.entries as { kind: string; points: number }[];
    expect(history.map((e) => [e.kind, e.points])).toEqual([["reverse", -34], ["reverse", -33], ["reverse", -33], ["earn", 100]]);
    expect((await refund({ refundId: "ret-3", amountMinor: 1 })).status).toBe(400);
  });

  it("makes the refund that completes an order take back exactly what is left of its points", async () => {
    await putProgram();
    await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("c-1", [{ sku: "a", quantity: 1, unitPriceMinor: 10_000 }]), memberId: "u1" });
    // A reversal of 60 points written elsewhere (another process's refund, racing this one).
    const elsewhere = await f.cloud.repositories.ledger.append(
      "o1",
      "u1",
      { kind: "reverse", reversesKey: "purchase:s1:c-1", points: 60, source: "till-purchase", reference: "s1:c-1", reason: "partial refund elsewhere" },
      "refund:s1:c-1:elsewhere",
      clock.now(),
    );
    expect(elsewhere.ok).toBe(true);
    // By amount this refund is the whole order (100 points), more than the 40 left: the refund that
    // completes the order takes exactly what is left instead of failing or overshooting.
    const rest = await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "c-1" });
    expect(rest).toMatchObject({ status: 200, body: { reversedPoints: 40, refundedMinor: 10_000, balance: 0 } });
    const history = (await call(f.keys.appU1, "GET", "/v1/users/u1/points/history")).body.entries as { kind: string; points: number }[];
    expect(history.filter((e) => e.kind === "reverse").reduce((sum, e) => sum + e.points, 0)).toBe(-100);
  });

  it("records what the ledger earned when a retry after a crash finds the earning written", async () => {
    await putProgram();
    // The first attempt earned (on a member day, say) and the process died before recording the order.
    await f.cloud.repositories.ledger.append(
      "o1",
      "u1",
      { kind: "earn", points: 77, source: "till-purchase", expiresAt: null, reference: "s1:crash-1", reason: null },
      "purchase:s1:crash-1",
      clock.now(),
    );
    const retry = await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("crash-1", [{ sku: "a", quantity: 1, unitPriceMinor: 10_000 }]), memberId: "u1" });
    expect(retry).toMatchObject({ status: 201, body: { points: 77, balance: 77 } });
    expect((await f.cloud.repositories.membership.getPurchase("o1", "s1:crash-1"))?.points).toBe(77);
  });

  it("keeps adjustments to admins with a reason", async () => {
    expect((await call(f.keys.marketer, "POST", "/v1/users/u1/points/adjustments", { points: 10, reason: "x" }, { "idempotency-key": "adjust-0002" })).status).toBe(403);
    expect((await call(f.keys.admin, "POST", "/v1/users/u1/points/adjustments", { points: 10, reason: "" }, { "idempotency-key": "adjust-0003" })).status).toBe(400);
    expect((await call(f.keys.admin, "POST", "/v1/users/u1/points/adjustments", { points: -10, reason: "oops" }, { "idempotency-key": "adjust-0004" })).body).toMatchObject({
      error: { code: "INSUFFICIENT_POINTS" },
    });
  });

  it("upgrades the tier at once, downgrades at period end, records each change and keeps loyaltyTier in sync", async () => {
    await putProgram();
    await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("t-1", [{ sku: "a", quantity: 1, unitPriceMinor: 10_000 }]), memberId: "u1" });
    expect((await points()).tier).toBe("member");
    expect((await f.cloud.repositories.users.getUser("u1"))?.loyaltyTier).toBe("member");
    await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("t-2", [{ sku: "a", quantity: 1, unitPriceMinor: 40_000 }]), memberId: "u1" });
    expect((await points()).tier).toBe("gold");
    expect((await f.cloud.repositories.users.getUser("u1"))?.loyaltyTier).toBe("gold");
    // The refund takes the member below the threshold, but gold holds until its period ends.
    await call(f.keys.pos, "POST", "/v1/purchases/refunds", { orderId: "t-2" });
    expect((await points()).tier).toBe("gold");
    clock.advance(366 * DAY_MS);
    expect((await f.cloud.membership.sweep()).tierChanges).toBe(1);
    // Gold's period ended below its threshold: down to the tier without one.
    expect((await points()).tier).toBe("member");
    const changes = (await call(f.keys.appU1, "GET", "/v1/users/u1/tier-changes")).body.changes as { fromTier: string | null; toTier: string | null; reason: string }[];
    expect(changes.map((c) => [c.fromTier, c.toTier, c.reason])).toEqual([
      ["gold", "member", "downgrade"],
      ["member", "gold", "upgrade"],
      ["gold", "member", "upgrade"],
    ]);
  });

  it("lets rules that target a tier see a member's new tier at their next event, up and down", async () => {
    await putProgram();
    await liveRule(f, "gold-only", {
      trigger: { type: "enter" },
      scope: { storeIds: ["s1"] },
      conditions: { loyaltyTiers: ["gold"] },
      limits: { cooldownS: 60 },
    });
    await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("tier-1", [{ sku: "a", quantity: 1, unitPriceMinor: 10_000 }]), memberId: "u1" });
    let seq = 0;
    const arrive = async (): Promise<string[]> => {
      seq += 1;
      await f.ingest([presenceEvent(seq, { at: clock.iso(), visitId: `visit-tier-${String(seq).padStart(4, "0")}` })], seq);
      const pending = (await call(f.keys.appU1, "GET", "/v1/users/u1/offers")).body.offers as { ruleId: string }[];
      return pending.map((o) => o.ruleId);
    };
    // A member: the gold rule passes them by (and the decision cache now holds the user).
    expect(await arrive()).toEqual([]);
    // 400 more points at the till: gold at once, and the very next arrival sees it.
    await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("tier-2", [{ sku: "a", quantity: 1, unitPriceMinor: 40_000 }]), memberId: "u1" });
    expect((await points()).tier).toBe("gold");
    clock.advance(120_000);
    expect(await arrive()).toEqual(["gold-only"]);
    // A year on, gold's period ends with no activity: down to member, and the rule no longer applies.
    clock.advance(366 * DAY_MS);
    expect((await f.cloud.membership.sweep()).tierChanges).toBe(1);
    expect(await arrive()).toEqual([]);
    const decisions = (await call(f.keys.marketer, "GET", "/v1/users/u1/decisions")).body.decisions as { ruleId: string; reason: string; decidedAt: string }[];
    const gold = decisions.filter((d) => d.ruleId === "gold-only").sort((a, b) => a.decidedAt.localeCompare(b.decidedAt));
    expect(gold.map((d) => d.reason)).toEqual(["tier-mismatch", "eligible", "tier-mismatch"]);
  });

  it("earns visit points for a believed visit, capped per local day", async () => {
    await putProgram();
    const at = new Date(clock.now()).toISOString();
    // Two visits of u1 to s1 on one local day: the programme's cap is one.
    await f.ingest([presenceEvent(1, { at }), presenceEvent(2, { at })]);
    await f.cloud.membership.drainVisits();
    const history = (await call(f.keys.appU1, "GET", "/v1/users/u1/points/history")).body.entries as { source: string; points: number }[];
    expect(history.map((e) => [e.source, e.points])).toEqual([["store-visit", 5]]);
    // Staff see where the points came from (the store and day) only while the member consents to analytics.
    const staffView = async () =>
      ((await call(f.keys.marketer, "GET", "/v1/users/u1/points/history")).body.entries as { source: string; reference: string | null }[]).map((e) => e.reference);
    expect((await staffView())[0]).toMatch(/^s1:\d{4}-\d{2}-\d{2}$/);
    expect((await call(f.keys.admin, "PUT", "/v1/users/u1/consent", { marketing: true, analytics: false })).status).toBe(200);
    expect(await staffView()).toEqual([null]);
    const own = (await call(f.keys.appU1, "GET", "/v1/users/u1/points/history")).body.entries as { reference: string | null }[];
    expect(own[0]?.reference).toMatch(/^s1:/);
    expect((await call(f.keys.admin, "PUT", "/v1/users/u1/consent", { marketing: true, analytics: true })).status).toBe(200);
  });

  it("transfers points where the programme allows, and shows no one else's balance to an app", async () => {
    await putProgram();
    await call(f.keys.admin, "POST", "/v1/users/u1/points/adjustments", { points: 50, reason: "welcome" }, { "idempotency-key": "adjust-0005" });
    const sent = await call(f.keys.appU1, "POST", "/v1/users/u1/points/transfers", { toUserId: "u2", points: 20 }, { "idempotency-key": "gift-0001" });
    expect(sent).toMatchObject({ status: 201, body: { balance: 30 } });
    const again = await call(f.keys.appU1, "POST", "/v1/users/u1/points/transfers", { toUserId: "u2", points: 20 }, { "idempotency-key": "gift-0001" });
    expect(again.body).toMatchObject({ balance: 30 });
    expect((await call(f.keys.appU2, "GET", "/v1/users/u2/points")).body).toMatchObject({ balance: 20 });
    // Neither member's entry carries the sender's id in its key (exports and erasure rely on it).
    const keys = await f.cloud.repositories.db.all<{ idempotency_key: string }>(
      "SELECT idempotency_key FROM ledger_entries WHERE kind IN ('transfer-out', 'transfer-in')",
    );
    expect(keys).toHaveLength(2);
    for (const { idempotency_key } of keys) expect(idempotency_key).not.toContain("u1");
    expect((await call(f.keys.appU2, "GET", "/v1/users/u1/points")).status).toBe(403);
    await call(f.keys.marketer, "PUT", "/v1/loyalty/program", { ...PROGRAM, transfersAllowed: false });
    expect((await call(f.keys.appU1, "POST", "/v1/users/u1/points/transfers", { toUserId: "u2", points: 1 }, { "idempotency-key": "gift-0002" })).status).toBe(403);
  });

  it("unlinks an erased member from the ledger and keeps the totals under a pseudonym", async () => {
    await putProgram();
    await call(f.keys.pos, "POST", "/v1/purchases", { ...basket("e-1", [{ sku: "a", quantity: 1, unitPriceMinor: 10_000 }]), memberId: "u1" });
    expect((await call(f.keys.admin, "DELETE", "/v1/users/u1")).status).toBe(200);
    const kept = await f.cloud.repositories.db.all<{ member_id: string; points: number }>("SELECT member_id, points FROM ledger_entries");
    expect(kept).toHaveLength(1);
    expect(kept[0]?.member_id).toMatch(/^erased-/);
    expect(kept[0]?.points).toBe(100);
    expect(await f.cloud.repositories.ledger.entrySum("o1", "u1")).toBe(0);
    expect(await f.cloud.repositories.db.all("SELECT * FROM member_purchases WHERE user_id = 'u1'")).toEqual([]);
  });
});
