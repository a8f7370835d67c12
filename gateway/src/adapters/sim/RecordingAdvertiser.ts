import type { Advertiser, Clock } from "../../services/ports.js";

/** One thing the gateway would have put on air, or taken off it. */
export type RecordedAdvert =
  | { readonly at: number; readonly kind: "advertise"; readonly data: Uint8Array }
  | { readonly at: number; readonly kind: "stop" };

/**
 * The advertiser of gateways without a radio (the simulator, replays, the demo): it accepts every
 * advert and keeps what it would have advertised, so the store beacon's service runs, and its
 * status says what would be on air, with no Bluetooth at all. Keeps the last `limit` entries.
 */
export class RecordingAdvertiser implements Advertiser {
  private readonly entries: RecordedAdvert[] = [];

  constructor(private readonly o: { readonly clock: Clock; readonly limit?: number }) {}

  /** What is on air now: the last data advertised, or null when stopped or never started. */
  get current(): Uint8Array | null {
    const last = this.entries.at(-1);
    return last?.kind === "advertise" ? last.data : null;
  }

  /** Everything recorded, oldest first. */
  get recorded(): readonly RecordedAdvert[] {
    return this.entries;
  }

  advertise(data: Uint8Array): Promise<void> {
    if (data.length > 31) return Promise.reject(new RangeError(`legacy advertising data is at most 31 octets, got ${data.length}`));
    this.push({ at: this.o.clock.now(), kind: "advertise", data: Uint8Array.from(data) });
    return Promise.resolve();
  }

  stop(): Promise<void> {
    if (this.current !== null) this.push({ at: this.o.clock.now(), kind: "stop" });
    return Promise.resolve();
  }

  private push(entry: RecordedAdvert): void {
    this.entries.push(entry);
    const limit = this.o.limit ?? 100;
    if (this.entries.length > limit) this.entries.splice(0, this.entries.length - limit);
  }
}
