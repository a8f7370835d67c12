/**
 * The presence tuning written into the simulated shop's config.json: the values the detection
 * benchmark (scripts/bench/presence.ts, docs/benchmarks.md) found best for this shop.
 */
export const RECOMMENDED_SIM_PRESENCE: {
  readonly presence: Readonly<Record<string, unknown>>;
  readonly configuredRadiusM: Readonly<Record<string, number>>;
} = { presence: { enterMinSamples: 5, exitMarginM: 5, exitAfterMs: 30_000 }, configuredRadiusM: {} };
