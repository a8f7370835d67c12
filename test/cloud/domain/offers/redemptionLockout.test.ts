import { describe, expect, it } from "vitest";
import {
  isSpent,
  type LockoutPolicy,
  lockedUntil,
  NO_FAILURES,
  noteFailure,
} from "../../../../cloud/src/domain/offers/index.js";
import { RedemptionGuard } from "../../../../cloud/src/services/RedemptionGuard.js";

const POLICY: LockoutPolicy = { maxFailures: 3, windowMs: 60_000, lockoutMs: 300_000 };

describe("redemption lockout policy", () => {
  it("locks on the Nth failure inside the window, for the lockout time", () => {
    let s = NO_FAILURES;
    s = noteFailure(s, 0, POLICY);
    s = noteFailure(s, 10_000, POLICY);
    expect(lockedUntil(s, 10_000)).toBeNull();
    s = noteFailure(s, 20_000, POLICY);
    expect(lockedUntil(s, 20_000)).toBe(320_000);
    expect(lockedUntil(s, 319_999)).toBe(320_000);
    expect(lockedUntil(s, 320_000)).toBeNull();
    expect(isSpent(s, 320_000, POLICY)).toBe(true);
  });

  it("lets failures spread wider than the window go", () => {
    let s = NO_FAILURES;
    for (let t = 0; t < 10 * 60_000; t += 31_000) {
      s = noteFailure(s, t, POLICY);
      expect(lockedUntil(s, t)).toBeNull();
    }
  });
});

describe("RedemptionGuard", () => {
  const key = { maxFailures: 5, windowMs: 60_000, lockoutMs: 60_000 };
  const store = { maxFailures: 8, windowMs: 60_000, lockoutMs: 60_000 };

  it("counts an honest retry (same idempotency key) once: never locked", () => {
    const g = new RedemptionGuard(key, store);
    for (let i = 0; i < 1000; i++) g.noteUnknownCode("till-1", "s1", "receipt-1", i);
    expect(g.lockedUntil("till-1", "s1", 1000)).toBeNull();
  });

  it("a till whose typos are followed by successes is never locked", () => {
    const g = new RedemptionGuard(key, { ...store, maxFailures: 10_000 });
    for (let round = 0; round < 200; round++) {
      for (let typo = 0; typo < 4; typo++) g.noteUnknownCode("till-1", "s1", `r-${round}-${typo}`, round * 10 + typo);
      expect(g.lockedUntil("till-1", "s1", round * 10 + 5)).toBeNull();
      g.noteRedeemed("till-1", `r-${round}-ok`);
    }
  });

  it("locks a guessing key, and the whole store when its tills together guess", () => {
    const g = new RedemptionGuard(key, store);
    for (let i = 0; i < 5; i++) g.noteUnknownCode("till-1", "s1", `a-${i}`, i);
    expect(g.lockedUntil("till-1", "s1", 10)).toBe(4 + 60_000);
    expect(g.lockedUntil("till-2", "s1", 10)).toBeNull();
    for (let i = 0; i < 3; i++) g.noteUnknownCode("till-2", "s1", `b-${i}`, 20 + i);
    expect(g.lockedUntil("till-2", "s1", 30)).toBe(22 + 60_000);
    expect(g.lockedUntil("till-3", "s2", 30)).toBeNull();
  });
});
