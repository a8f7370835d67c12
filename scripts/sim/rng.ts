import { seededRandom } from "../../gateway/src/adapters/sim/random.js";

/** A seeded source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * An independent random stream for one purpose: the run's seed and the purpose's keys hashed
 * (FNV-1a 32) into a mulberry32 seed. Each advertiser, shadow field and schedule draws from its own
 * stream, so adding a passer-by or reordering the event loop never reshuffles anybody else's luck,
 * and a capture depends on the seed alone.
 */
export function streamOf(seed: number, ...keys: readonly (string | number)[]): Random {
  let h = 0x811c9dc5;
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= 0x1f;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  mix(String(seed));
  for (const key of keys) mix(String(key));
  return seededRandom(h);
}

/** Uniform in [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  return min + random() * (max - min);
}

/** Standard normal deviate (Box–Muller). */
export function normal(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Exponential with the given mean. */
export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(Math.max(1 - random(), 1e-12));
}

/** Log-normal with the given median and log-space standard deviation. */
export function logNormal(random: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(random));
}

/** Clamp to [min, max]. */
export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/** One of `items`, uniformly. `items` must not be empty. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError("pick from an empty list");
  return item;
}
