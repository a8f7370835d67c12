import { buildOffer, type Offer } from "../../../../cloud/src/domain/offers/offer.js";
import { evaluate } from "../../../../cloud/src/domain/rules/evaluate.js";
import type { Rule } from "../../../../cloud/src/domain/rules/rule.js";
import { HK_TUE_10_00, input, rule } from "../rules/fixtures.js";

export const CODE_BYTES = Uint8Array.from([
  0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
]);
export const CODE = "008J-4CT4-ANK7-F24S-NAXG";

/** The offer the fixture rule (30 min validity) issues on the fixture enter event at 10:00 in hk-01. */
export function issuedOffer(r: Rule = rule("lipstick-flash", {}, "live", 4)): Offer {
  const i = input([r]);
  const evaluation = evaluate(i);
  if (evaluation.issued === null) throw new Error("fixture rule did not issue");
  return buildOffer({
    rule: evaluation.issued.rule,
    decision: evaluation.issued.decision,
    event: i.event,
    offerId: "offer-0000001",
    codeBytes: CODE_BYTES,
    now: HK_TUE_10_00,
  });
}
