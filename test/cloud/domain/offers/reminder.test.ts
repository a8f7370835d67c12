import { describe, expect, it } from "vitest";
import type { OfferStatus } from "../../../../cloud/src/domain/offers/offer.js";
import { reminderDueAt } from "../../../../cloud/src/domain/offers/reminder.js";
import { issuedOffer } from "./fixtures.js";

const OFFER = issuedOffer(); // 1800 s validity

describe("reminderDueAt", () => {
  it.each<[number, number | null]>([
    [300, OFFER.expiresAt - 300_000],
    [1, OFFER.expiresAt - 1000],
    [1799, OFFER.issuedAt + 1000],
    [1800, null], // lead equal to validity: the reminder would come with the offer
    [3600, null],
    [0, null],
    [-5, null],
    [Number.NaN, null],
  ])("lead %s s -> %s", (leadS, expected) => {
    expect(reminderDueAt(OFFER, leadS)).toBe(expected);
  });

  it.each<[OfferStatus, boolean]>([
    ["issued", true],
    ["delivered", true],
    ["viewed", true],
    ["redeemed", false],
    ["expired", false],
  ])("%s offer gets a reminder: %s", (status, expected) => {
    expect(reminderDueAt({ ...OFFER, status }, 300) !== null).toBe(expected);
  });
});
