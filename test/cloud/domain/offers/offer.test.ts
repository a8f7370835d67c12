import { describe, expect, it } from "vitest";
import {
  buildOffer,
  resolveOfferContent,
  toOfferMessage,
} from "../../../../cloud/src/domain/offers/offer.js";
import { OfferError } from "../../../../cloud/src/domain/offers/offerError.js";
import { evaluate } from "../../../../cloud/src/domain/rules/evaluate.js";
import { reviseRule } from "../../../../cloud/src/domain/rules/rule.js";
import { USER_MESSAGES } from "../../../../protocol/index.js";
import { HK_TUE_10_00, input, rule, spec } from "../rules/fixtures.js";
import { CODE, CODE_BYTES, issuedOffer } from "./fixtures.js";

describe("buildOffer", () => {
  it("builds the offer from the rule version and the event", () => {
    expect(issuedOffer()).toEqual({
      offerId: "offer-0000001",
      ruleId: "lipstick-flash",
      ruleVersion: 4,
      userId: "u-1",
      storeId: "hk-01",
      zoneId: "lipsticks",
      visitId: "visit-0000001",
      eventId: "evt-00000001",
      title: "20% off lipsticks",
      text: "For the next 30 minutes",
      discount: { kind: "percent", percent: 20 },
      issuedAt: HK_TUE_10_00,
      expiresAt: HK_TUE_10_00 + 1800_000,
      code: CODE,
      status: "issued",
      statusAt: HK_TUE_10_00,
    });
  });

  it("keeps the version it was issued under when the rule is edited later", () => {
    const v1 = rule("r", {}, "live", 1);
    const offer = issuedOffer(v1);
    const v2 = reviseRule(v1, spec({ offer: { ...v1.spec.offer, title: "New title" } }), HK_TUE_10_00 + 1);
    expect(v2).toMatchObject({ version: 2 });
    expect(offer).toMatchObject({ ruleVersion: 1, title: "20% off lipsticks" });
  });

  it("uses the store's variation", () => {
    const r = rule("r", {
      offer: {
        ...spec().offer,
        variations: [
          {
            storeId: "hk-01",
            title: "HK$50 off",
            discount: { kind: "amount", amountMinor: 5000, currency: "HKD" },
          },
          { storeId: "tw-01", text: "Taipei only" },
        ],
      },
    });
    expect(issuedOffer(r)).toMatchObject({
      title: "HK$50 off",
      text: "For the next 30 minutes",
      discount: { kind: "amount", amountMinor: 5000, currency: "HKD" },
    });
    expect(resolveOfferContent(r.spec.offer, "tw-01")).toEqual({
      title: "20% off lipsticks",
      text: "Taipei only",
      discount: { kind: "percent", percent: 20 },
    });
    expect(resolveOfferContent(r.spec.offer, "sg-01").title).toBe("20% off lipsticks");
  });

  it("refuses a decision that did not issue this rule version", () => {
    const r = rule("r", { conditions: { segments: ["sports"] } });
    const i = input([r]);
    const [decision] = evaluate(i).decisions;
    if (decision === undefined) throw new Error("no decision");
    const issued = { ...decision, outcome: "issued", reason: "eligible" } as const;
    const build = (d: typeof issued | typeof decision, version = 1) =>
      buildOffer({
        rule: { ...r, version },
        decision: d as typeof issued,
        event: i.event,
        offerId: "offer-0000001",
        codeBytes: CODE_BYTES,
        now: HK_TUE_10_00,
      });
    expect(() => build(decision)).toThrow(OfferError);
    expect(() => build(issued, 2)).toThrow(/does not issue r@2/);
    expect(() => build(issued)).not.toThrow();
  });
});

describe("toOfferMessage", () => {
  it("produces a valid wire message", () => {
    const message = toOfferMessage(issuedOffer(), "offer");
    expect(message).toEqual({
      v: 1,
      kind: "offer",
      offerId: "offer-0000001",
      ruleId: "lipstick-flash",
      storeId: "hk-01",
      title: "20% off lipsticks",
      text: "For the next 30 minutes",
      discount: { kind: "percent", percent: 20 },
      code: CODE,
      issuedAt: "2026-03-10T02:00:00.000Z",
      expiresAt: "2026-03-10T02:30:00.000Z",
    });
    expect(USER_MESSAGES.offers.check(message).ok).toBe(true);
    expect(USER_MESSAGES.offers.check(toOfferMessage(issuedOffer(), "reminder")).ok).toBe(true);
  });
});
