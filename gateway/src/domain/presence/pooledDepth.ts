/**
 * How deep inside a pooled zone the evidence of an enter must lie, or how long it must have held.
 *
 * Why: once every gateway of a store is surveyed and pooled, the passers-by it still takes in are
 * mostly people who stop at the window (docs/benchmarks.md, "Passers-by at the window: evidence
 * depth"). They stand still for 4-25 s a metre from the glass, where one lucky spot of shadowing,
 * or a phone that transmits hotter than it advertises, can hold the pooled estimate just inside the
 * zone's edge for the 5 of 10 seconds the k-of-n rule asks. A shopper comes in through the door and
 * browses spots that lie inside the edge, so the same seconds place a shopper well inside. So the
 * k-of-n rule decides on its own only when the seconds it counted lie, on average, `depthDb` or
 * more inside the edge (pooled mean excess ≤ −`depthDb`); evidence that only just clears the edge
 * must have held, without a gap of the enter window, for `holdMs`, longer than anyone stops at a
 * window. The rule never adds an enter: it only delays the marginal ones.
 *
 * Pure: times and levels come in as data.
 */
export interface PooledDepthRule {
  /** How far inside the edge, on average, the counted seconds must lie to enter at once, dB (> 0). */
  readonly depthDb: number;
  /** Evidence that is not that deep enters once it has held this long, ms. */
  readonly holdMs: number;
}

/** One second the k-of-n rule counted: its time and the pooled excess it was judged on (≤ 0). */
export interface CountedSecond {
  readonly t: number;
  /** The pooled mean excess over the zone's edge, dB; null where the zone pools nothing. */
  readonly excessDb: number | null;
}

/**
 * Whether the k-of-n rule, which has just counted enough `seconds`, may enter at `t`: always where
 * the rule is off or the zone pools nothing, else when the seconds lie deep enough on average or
 * the evidence has held since `heldSince` for the rule's `holdMs`.
 */
export function deepEnough(
  seconds: readonly CountedSecond[],
  heldSince: number,
  t: number,
  rule: PooledDepthRule | null,
): boolean {
  if (rule === null || seconds.length === 0) return true;
  let sum = 0;
  for (const s of seconds) {
    if (s.excessDb === null) return true;
    sum += s.excessDb;
  }
  return sum / seconds.length <= -rule.depthDb || t - heldSince >= rule.holdMs;
}
