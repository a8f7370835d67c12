import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_LOCKOUT_POLICY } from "../../../cloud/src/domain/offers/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";

/** Failed redemption attempts lock a till key out for a while, with a clear code; honest tills never. */

let f: CloudFixture;
const clock = new ManualClock("2026-06-01T10:00:00.000Z");
let code: string;

/** Brings u1 in (event `seq`, dated now) and answers the code of the offer it gets. */
async function offerCode(seq: number): Promise<string> {
  await f.ingest([presenceEvent(seq, { at: clock.iso() })], seq);
  await f.cloud.ingest.idle();
  await f.cloud.offers.idle();
  const res = await f.cloud.http.inject({
    method: "GET",
    url: "/v1/users/u1/offers",
    headers: { authorization: `Bearer ${f.keys.appU1}` },
  });
  return (res.json<{ offers: { code: string }[] }>().offers[0] as { code: string }).code;
}

beforeAll(async () => {
  f = await createCloudFixture({ clock });
  code = await offerCode(1);
});
afterAll(async () => {
  await f?.close();
});

const redeem = (key: string, idempotencyKey: string, body: Record<string, unknown>) =>
  f.cloud.http.inject({
    method: "POST",
    url: "/v1/redemptions",
    headers: { authorization: `Bearer ${key}`, "idempotency-key": idempotencyKey },
    payload: body,
  });

describe("redemption lockout", () => {
  it("a till retrying one unknown code under its idempotency key is never locked out", async () => {
    for (let i = 0; i < KEY_LOCKOUT_POLICY.maxFailures * 3; i++) {
      const res = await redeem(f.keys.pos, "receipt-honest-1", { code: "AAAA-BBBB-CCCC-DDDD-EEEE" });
      expect(res.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
  });

  it("locks a key that guesses, with 429 redemption-locked and Retry-After, even for a real code; then lets it go", async () => {
    // A real redemption first: its retries are answered even while the key is locked.
    expect((await redeem(f.keys.admin, "receipt-real-0", { code, storeId: "s1" })).statusCode).toBe(201);
    for (let i = 0; i < KEY_LOCKOUT_POLICY.maxFailures - 1; i++) {
      const res = await redeem(f.keys.admin, `guess-key-${i}`, { code: `GUESS-${String(i).padStart(4, "0")}-XXXX-YYYY`, storeId: "s1" });
      expect(res.statusCode).toBe(404);
    }
    const locked = await redeem(f.keys.admin, "guess-key-last", { code: "GUESS-LAST-XXXX-YYYY", storeId: "s1" });
    expect(locked.statusCode).toBe(404);
    const refused = await redeem(f.keys.admin, "receipt-real-1", { code, storeId: "s1" });
    expect(refused.statusCode).toBe(429);
    // The honest retry of the redemption made before the lockout replays its answer.
    const replay = await redeem(f.keys.admin, "receipt-real-0", { code, storeId: "s1" });
    expect(replay.statusCode).toBe(200);
    expect(refused.json()).toMatchObject({ error: { code: "REDEMPTION_LOCKED" } });
    expect(Number(refused.headers["retry-after"])).toBe(KEY_LOCKOUT_POLICY.lockoutMs / 1000);
    // Another till of the same store is not locked by this key (the store's limit is higher).
    // The lockout ends (a day later here, so the shopper has a fresh offer to redeem).
    clock.advance(86_400_000);
    const fresh = await offerCode(2);
    const ok = await redeem(f.keys.admin, "receipt-real-2", { code: fresh, storeId: "s1" });
    expect(ok.statusCode).toBe(201);
    const metrics = await f.cloud.http.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${f.keys.admin}` } });
    expect(metrics.body).toMatch(/arrival_redemptions_total\{outcome="locked"\} 1/);
  });
});
