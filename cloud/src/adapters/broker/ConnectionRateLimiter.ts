/** Token-bucket settings: `ratePerS` connections per second sustained, `burst` at once. */
export interface ConnectionRate {
  readonly ratePerS: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Connection attempts per source address, as a token bucket: each address may open `burst`
 * connections at once and `ratePerS` per second after that. A reconnect storm (a store's network
 * flapping, a buggy app in a loop) is shed at accept, before a TLS handshake, an MQTT parse or a
 * scrypt verification is spent on it. Time is passed in, so tests step it by hand.
 *
 * Memory is bounded: an address whose bucket has refilled is indistinguishable from a new one and
 * is forgotten when the table grows past `maxAddresses`.
 */
export class ConnectionRateLimiter {
  private readonly rate: ConnectionRate;
  private readonly maxAddresses: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(rate: ConnectionRate, maxAddresses = 100_000) {
    this.rate = rate;
    this.maxAddresses = maxAddresses;
  }

  /** True when a connection from `address` may proceed now (and takes a token for it). */
  take(address: string, now: number): boolean {
    const { ratePerS, burst } = this.rate;
    const bucket = this.buckets.get(address) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) * ratePerS) / 1000);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(address, bucket);
    if (this.buckets.size > this.maxAddresses) this.prune(now);
    return allowed;
  }

  /** Addresses currently tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private prune(now: number): void {
    const { ratePerS, burst } = this.rate;
    for (const [address, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * ratePerS) / 1000 >= burst) this.buckets.delete(address);
    }
    // Everyone is mid-burst (an attack from very many addresses): drop the oldest half rather
    // than grow without bound; a dropped address merely gets a fresh bucket.
    if (this.buckets.size > this.maxAddresses) {
      let excess = this.buckets.size - Math.floor(this.maxAddresses / 2);
      for (const address of this.buckets.keys()) {
        if (excess-- <= 0) break;
        this.buckets.delete(address);
      }
    }
  }
}
