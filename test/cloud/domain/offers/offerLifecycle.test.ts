import { describe, expect, it } from "vitest";
import type { Offer, OfferStatus } from "../../../../cloud/src/domain/offers/offer.js";
import {
  type OfferAction,
  type OfferRefusal,
  transitionOffer,
} from "../../../../cloud/src/domain/offers/offerLifecycle.js";
import { HK_TUE_10_00, MIN } from "../rules/fixtures.js";
import { issuedOffer } from "./fixtures.js";

const OFFER = issuedOffer(); // valid 10:00 to 10:30 Hong Kong time, store hk-01
const EXPIRES = OFFER.expiresAt;
const inStatus = (status: OfferStatus): Offer => ({ ...OFFER, status, statusAt: HK_TUE_10_00 + MIN });
const REDEEM_HERE: OfferAction = { kind: "redeem", storeId: "hk-01" };

describe("transitionOffer", () => {
  it.each<[OfferStatus, OfferAction, number, OfferStatus, boolean]>([
    ["issued", { kind: "deliver" }, HK_TUE_10_00 + MIN, "delivered", true],
    ["issued", { kind: "view" }, HK_TUE_10_00 + MIN, "viewed", true],
    ["delivered", { kind: "view" }, HK_TUE_10_00 + 2 * MIN, "viewed", true],
    ["issued", REDEEM_HERE, HK_TUE_10_00 + 5 * MIN, "redeemed", true],
    ["delivered", REDEEM_HERE, HK_TUE_10_00 + 5 * MIN, "redeemed", true],
    ["viewed", REDEEM_HERE, EXPIRES - 1, "redeemed", true],
    ["issued", { kind: "expire" }, EXPIRES, "expired", true],
    ["viewed", { kind: "expire" }, EXPIRES + MIN, "expired", true],
    // Repeated or late acknowledgements (QoS 1 redelivers) change nothing.
    ["delivered", { kind: "deliver" }, HK_TUE_10_00 + 2 * MIN, "delivered", false],
    ["viewed", { kind: "deliver" }, HK_TUE_10_00 + 2 * MIN, "viewed", false],
    ["viewed", { kind: "view" }, HK_TUE_10_00 + 2 * MIN, "viewed", false],
    ["expired", { kind: "expire" }, EXPIRES + MIN, "expired", false],
  ])("%s + %o at %i -> %s", (from, action, now, to, changed) => {
    const result = transitionOffer(inStatus(from), action, now);
    expect(result).toEqual({
      ok: true,
      changed,
      offer: changed ? { ...OFFER, status: to, statusAt: now } : inStatus(from),
    });
  });

  it.each<[string, OfferStatus, OfferAction, number, OfferRefusal, string]>([
    [
      "redeem at expiry",
      "viewed",
      REDEEM_HERE,
      EXPIRES,
      "expired",
      "offer expired at 2026-03-10T02:30:00.000Z",
    ],
    [
      "redeem an expired offer",
      "expired",
      REDEEM_HERE,
      HK_TUE_10_00 + MIN,
      "expired",
      "offer expired at 2026-03-10T02:30:00.000Z",
    ],
    [
      "redeem at another store",
      "viewed",
      { kind: "redeem", storeId: "hk-02" },
      HK_TUE_10_00 + 5 * MIN,
      "wrong-store",
      "offer is redeemable at store hk-01, not hk-02",
    ],
    [
      "redeem twice",
      "redeemed",
      REDEEM_HERE,
      HK_TUE_10_00 + 5 * MIN,
      "already-redeemed",
      "offer offer-0000001 was redeemed at 2026-03-10T02:01:00.000Z",
    ],
    [
      "expire a redeemed offer",
      "redeemed",
      { kind: "expire" },
      EXPIRES + MIN,
      "already-redeemed",
      "offer offer-0000001 was redeemed at 2026-03-10T02:01:00.000Z",
    ],
    [
      "expire early",
      "delivered",
      { kind: "expire" },
      EXPIRES - 1,
      "not-expired",
      "offer is valid until 2026-03-10T02:30:00.000Z",
    ],
    [
      "deliver after expiry",
      "issued",
      { kind: "deliver" },
      EXPIRES + 1,
      "expired",
      "offer expired at 2026-03-10T02:30:00.000Z",
    ],
    [
      "view an expired offer",
      "expired",
      { kind: "view" },
      EXPIRES + 1,
      "expired",
      "offer expired at 2026-03-10T02:30:00.000Z",
    ],
    [
      "view a redeemed offer",
      "redeemed",
      { kind: "view" },
      HK_TUE_10_00 + 5 * MIN,
      "already-redeemed",
      "offer offer-0000001 was redeemed at 2026-03-10T02:01:00.000Z",
    ],
  ])("refuses to %s", (_name, from, action, now, reason, text) => {
    expect(transitionOffer(inStatus(from), action, now)).toEqual({ ok: false, reason, text });
  });

  it("redeems exactly once over a whole life", () => {
    let offer = OFFER;
    const steps: [OfferAction, number][] = [
      [{ kind: "deliver" }, HK_TUE_10_00 + 1000],
      [{ kind: "view" }, HK_TUE_10_00 + 60_000],
      [REDEEM_HERE, HK_TUE_10_00 + 600_000],
    ];
    for (const [action, now] of steps) {
      const r = transitionOffer(offer, action, now);
      if (!r.ok) throw new Error(r.text);
      offer = r.offer;
    }
    expect(offer).toMatchObject({ status: "redeemed", statusAt: HK_TUE_10_00 + 600_000 });
    expect(transitionOffer(offer, REDEEM_HERE, HK_TUE_10_00 + 600_001)).toMatchObject({
      ok: false,
      reason: "already-redeemed",
    });
    expect(OFFER.status).toBe("issued");
  });
});
