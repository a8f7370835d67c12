/**
 * A sequential enter test: a one-sided CUSUM (Page, 1954) over each second's evidence that a subject
 * is inside a zone, beside the "k of the last n seconds" rule.
 *
 * Why: the k-of-n rule asks every counted second to clear the enter threshold. A shopper whose
 * smoothed signal sits a little beyond it for minutes (a deep shadow, a phone in a back pocket)
 * never gets k such seconds, however long they stay, while a passer-by is heard for a few seconds
 * and must not enter. Each second here adds `offsetDb - excessDb`, clamped to ±`capDb`, where
 * `excessDb` is how far beyond the enter threshold the strict estimate places the subject (≤ 0:
 * inside). A second nearer than `offsetDb` counts for inside, a farther one against; the sum is
 * floored at 0, so evidence against from long ago (the subject walking up) never delays a later
 * decision, and the subject enters when the sum reaches `thresholdDb`. Strong evidence decides in a
 * few seconds, consistent weak evidence eventually, and a walk past adds at most a few seconds' worth.
 * In likelihood terms, with the per-second level Gaussian around one mean inside and another
 * outside, each second's log-likelihood ratio is proportional to its distance from the midpoint
 * (`offsetDb` beyond the threshold); the cap bounds what one outlying second (fast fading) can do.
 *
 * Pure: time and levels come in as data.
 */
export interface SequentialEnterRule {
  /** A second this far beyond the enter threshold counts neither way, dB. */
  readonly offsetDb: number;
  /** Most one second can add or take away, dB. */
  readonly capDb: number;
  /** Enter once the sum reaches this, dB·s. */
  readonly thresholdDb: number;
}

export interface SequentialState {
  /** Accumulated evidence, dB·s, ≥ 0. */
  readonly scoreDb: number;
  /** Time of the last second added, epoch ms; null before the first. */
  readonly lastAt: number | null;
}

export const SEQUENTIAL_START: SequentialState = Object.freeze({ scoreDb: 0, lastAt: null });

/** What one second adds to the sum, dB: `offsetDb - excessDb` clamped to ±`capDb`. */
export function secondEvidenceDb(excessDb: number, rule: SequentialEnterRule): number {
  const raw = rule.offsetDb - excessDb;
  return Math.max(-rule.capDb, Math.min(rule.capDb, raw));
}

/**
 * Adds one second's evidence at `t`. After a silence of `staleAfterMs` or more the sum starts again
 * from 0: evidence from before the subject went unheard says little about where it is now.
 * `decided` is true when the sum reaches the rule's threshold.
 */
export function sequentialStep(
  state: SequentialState,
  t: number,
  excessDb: number,
  rule: SequentialEnterRule,
  staleAfterMs: number,
): { readonly state: SequentialState; readonly decided: boolean } {
  const stale = state.lastAt !== null && t - state.lastAt >= staleAfterMs;
  const before = stale ? 0 : state.scoreDb;
  const scoreDb = Math.max(0, before + secondEvidenceDb(excessDb, rule));
  const lastAt = state.lastAt === null || t > state.lastAt ? t : state.lastAt;
  return { state: { scoreDb, lastAt }, decided: scoreDb >= rule.thresholdDb };
}

/** Whether a second at `excessDb` would add to the sum (so a track is worth starting for it). */
export function countsForInside(excessDb: number, rule: SequentialEnterRule): boolean {
  return secondEvidenceDb(excessDb, rule) > 0;
}
