import { describe, expect, it } from "vitest";
import type { Offer } from "../../../cloud/src/domain/offers/index.js";
import type { Principal } from "../../../cloud/src/services/CredentialService.js";
import { RedemptionGuard } from "../../../cloud/src/services/RedemptionGuard.js";
import { type RedeemAttempt, RedemptionService } from "../../../cloud/src/services/RedemptionService.js";
import type { OfferRepository, RedeemResult, StoreRecord } from "../../../cloud/src/services/repositories.js";
import { CODE, issuedOffer } from "../domain/offers/fixtures.js";
import { ManualClock } from "../manualClock.js";

const till: Principal = { keyId: "k-pos", role: "pos", orgId: "o1", storeId: "s1", userId: null };
const admin: Principal = { keyId: "k-admin", role: "admin", orgId: "o1", storeId: null, userId: null };
const stores: Record<string, Pick<StoreRecord, "id" | "orgId">> = { s1: { id: "s1", orgId: "o1" }, x1: { id: "x1", orgId: "o2" } };

/** The service over a fake offer store that answers `answer` and remembers what it was asked. */
function setup(answer: RedeemResult) {
  const asked: Parameters<OfferRepository["redeem"]>[0][] = [];
  const attempts: RedeemAttempt[] = [];
  const redeemed: Offer[] = [];
  const service = new RedemptionService({
    offers: {
      redeem: async (input) => {
        asked.push(input);
        return answer;
      },
    },
    stores: { getStore: async (id) => (stores[id] as StoreRecord | undefined) ?? null },
    clock: new ManualClock("2026-03-03T02:00:00Z"),
    onAttempt: (a) => attempts.push(a),
    onRedeemed: (offer) => redeemed.push(offer),
    guard: new RedemptionGuard(),
  });
  return { service, asked, attempts, redeemed };
}

const offer = issuedOffer();
const ok: RedeemResult = { ok: true, offer, redemptionId: "r-1", replayed: false };

describe("redemption at the till", () => {
  it("redeems the scanned code for the till's own store, once", async () => {
    const { service, asked, attempts, redeemed } = setup(ok);
    const result = await service.redeem(till, { code: `arrival:redeem:v1:${CODE}`, idempotencyKey: "idem-0001" });
    expect(result).toEqual({ ok: true, value: { redemptionId: "r-1", offer, replayed: false } });
    expect(asked).toEqual([
      { code: CODE, storeId: "s1", idempotencyKey: "idem-0001", apiKeyId: "k-pos", now: Date.parse("2026-03-03T02:00:00Z") },
    ]);
    expect(attempts).toEqual(["redeemed"]);
    expect(redeemed).toEqual([offer]);
  });

  it("does not tell the live view twice about a replayed request", async () => {
    const { service, attempts, redeemed } = setup({ ...ok, replayed: true });
    const result = await service.redeem(till, { code: CODE, idempotencyKey: "idem-0001" });
    expect(result.ok && result.value.replayed).toBe(true);
    expect(attempts).toEqual(["replayed"]);
    expect(redeemed).toEqual([]);
  });

  it.each([
    ["unknown-code", "NOT_FOUND"],
    ["expired", "CODE_EXPIRED"],
    ["wrong-store", "WRONG_STORE"],
    ["already-redeemed", "CODE_ALREADY_REDEEMED"],
    ["key-reused", "CONFLICT"],
  ] as const)("refuses a code the store calls %s with %s and its text", async (reason, code) => {
    const { service, attempts, redeemed } = setup({ ok: false, reason, text: `because ${reason}` });
    expect(await service.redeem(till, { code: CODE, idempotencyKey: "idem-0001" })).toEqual({
      ok: false,
      code,
      message: `because ${reason}`,
    });
    expect(attempts).toEqual([reason]);
    expect(redeemed).toEqual([]);
  });

  it("refuses before the code check what no till may do", async () => {
    const { service, asked, attempts } = setup(ok);
    expect(await service.redeem(admin, { code: CODE, idempotencyKey: "idem-0001" })).toMatchObject({
      ok: false,
      code: "VALIDATION_FAILED",
      problems: [{ path: "/storeId", message: "required" }],
    });
    expect(await service.redeem(till, { code: CODE, storeId: "s2", idempotencyKey: "idem-0001" })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    // Another organisation's store and one that does not exist get the same answer.
    for (const storeId of ["x1", "nowhere"]) {
      expect(await service.redeem(admin, { code: CODE, storeId, idempotencyKey: "idem-0001" })).toEqual({
        ok: false,
        code: "NOT_FOUND",
        message: `no store ${storeId} in this organisation`,
      });
    }
    expect(asked).toEqual([]);
    expect(attempts).toEqual([]);
  });

  it("counts a code that cannot be one as unknown without asking the store", async () => {
    const { service, asked, attempts } = setup(ok);
    expect(await service.redeem(admin, { code: "not a code!", storeId: "s1", idempotencyKey: "idem-0001" })).toEqual({
      ok: false,
      code: "NOT_FOUND",
      message: "no offer has this code",
    });
    expect(asked).toEqual([]);
    expect(attempts).toEqual(["unknown-code"]);
  });
});
