import {
  eddystoneEidAdvertisingData,
  type GatewayStatus,
  iBeaconAdvertisingData,
  type StoreBeaconConfig,
  storeBeaconValue,
} from "../../../protocol/index.js";
import { type BackoffPolicy, backoffDelayMs } from "./backoff.js";
import type { Advertiser, Clock, Logger, Scheduler, TimerHandle } from "./ports.js";

/** The store beacon as the retained status reports it (`advertising`). */
export type AdvertisingReport = NonNullable<GatewayStatus["advertising"]>;

export interface StoreBeaconAdvertiserOptions {
  readonly advertiser: Advertiser;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** Delays between attempts after the radio refused, ms; default 1 s doubling up to 60 s. */
  readonly retry?: BackoffPolicy;
  /** Jitter of the retry delays, in [0, 1); default Math.random. */
  readonly random?: () => number;
  /**
   * The current value is sent again this often within a slot, ms (default 60 000): an adapter that
   * was reset or powered off and on in between (which clears what a controller advertises) is back
   * on air within this time, not only at the next slot, which may be hours away.
   */
  readonly refreshMs?: number;
  /** Called whenever the report changes (to publish the status again). */
  readonly onChange: (report: AdvertisingReport) => void;
}

const DEFAULT_RETRY: BackoffPolicy = { initialMs: 1000, maxMs: 60_000 };
const DEFAULT_REFRESH_MS = 60_000;
/** The status carries at most this much of an error message. */
const MAX_ERROR_CHARS = 200;

/**
 * Advertises the store beacon of the applied remote config (protocol/storeBeacon.ts): the value of
 * the current slot in the configured format, replaced at every slot boundary (multiples of
 * 2^rotationExponent Unix seconds, the instants at which phones and the cloud also move on), taken
 * off the air when the config drops it, and tried again with backoff when the radio refuses.
 *
 * The identity key stays in memory and in the advertised values only: it is never logged nor
 * reported.
 */
export class StoreBeaconAdvertiser {
  private config: StoreBeaconConfig | undefined;
  private key: Uint8Array | null = null;
  private state: AdvertisingReport = { state: "off" };
  /** Bumped by every configure/stop: an attempt that finishes for an older one is ignored. */
  private generation = 0;
  private timer: TimerHandle | null = null;
  private failures = 0;
  /** Attempts and stops run one after the other, never interleaved at the radio. */
  private chain: Promise<void> = Promise.resolve();
  /** The radio may hold an advert of ours (an attempt was made since the last stop). */
  private onAir = false;

  constructor(private readonly o: StoreBeaconAdvertiserOptions) {}

  /** What the gateway advertises now, for the status. */
  report(): AdvertisingReport {
    return this.state;
  }

  /**
   * Applies the `storeBeacon` of a remote config (undefined: do not advertise). The same config
   * again changes nothing; another one takes effect at once. Resolves when the first attempt (or
   * the stop) is over; its failure is reported in the state and retried, never thrown.
   */
  configure(config: StoreBeaconConfig | undefined): Promise<void> {
    if (sameConfig(this.config, config)) return this.chain;
    this.config = config;
    this.key = config === undefined ? null : Uint8Array.from(Buffer.from(config.identityKey, "hex"));
    this.failures = 0;
    const generation = ++this.generation;
    this.clearTimer();
    if (config === undefined) return this.enqueue(() => this.takeOffAir(generation));
    return this.enqueue(() => this.attempt(generation));
  }

  /** Takes the beacon off the air and stops the timers, as if configured without one. Idempotent. */
  stop(): Promise<void> {
    return this.configure(undefined);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(step, step);
    return this.chain;
  }

  private async attempt(generation: number): Promise<void> {
    const config = this.config;
    const key = this.key;
    if (generation !== this.generation || config === undefined || key === null) return;
    const now = this.o.clock.now();
    const value = storeBeaconValue(key, config.rotationExponent, Math.floor(now / 1000));
    const data =
      config.format === "ibeacon"
        ? iBeaconAdvertisingData(config.uuid, value.major, value.minor, config.measuredPowerDbm)
        : eddystoneEidAdvertisingData(value.eid, config.measuredPowerDbm);
    this.onAir = true;
    try {
      await this.o.advertiser.advertise(data);
    } catch (err) {
      if (generation !== this.generation) return;
      const delayMs = backoffDelayMs(this.failures, this.o.retry ?? DEFAULT_RETRY, (this.o.random ?? Math.random)());
      this.failures++;
      const error = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_CHARS);
      this.o.log.warn({ err, format: config.format, attempt: this.failures, retryInMs: delayMs }, "store beacon not advertised");
      this.set({ state: "failed", format: config.format, error });
      this.schedule(generation, delayMs);
      return;
    }
    if (generation !== this.generation) return;
    this.failures = 0;
    const slotStart = new Date(value.slotStartS * 1000).toISOString();
    if (this.state.state !== "advertising") this.o.log.info({ format: config.format, slotStart }, "store beacon advertising");
    else if (this.state.slotStart !== slotStart) this.o.log.debug({ format: config.format, slotStart }, "store beacon slot changed");
    this.set({ state: "advertising", format: config.format, slotStart });
    // The next value at the next boundary; in between, the same value again every refreshMs.
    const boundaryMs = (value.slotStartS + 2 ** config.rotationExponent) * 1000;
    this.schedule(generation, Math.min(boundaryMs - now, this.o.refreshMs ?? DEFAULT_REFRESH_MS));
  }

  private async takeOffAir(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const was = this.state.state;
    if (this.onAir) {
      this.onAir = false;
      try {
        await this.o.advertiser.stop();
      } catch (err) {
        this.o.log.warn({ err }, "store beacon advertising did not stop cleanly");
      }
    }
    if (generation !== this.generation) return;
    if (was !== "off") this.o.log.info({}, "store beacon off");
    this.set({ state: "off" });
  }

  private schedule(generation: number, delayMs: number): void {
    this.clearTimer();
    this.timer = this.o.scheduler.setTimeout(() => {
      this.timer = null;
      void this.enqueue(() => this.attempt(generation));
    }, Math.max(1, delayMs));
  }

  private clearTimer(): void {
    if (this.timer !== null) this.o.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  private set(next: AdvertisingReport): void {
    const prev = this.state;
    this.state = next;
    if (prev.state !== next.state || prev.format !== next.format || prev.slotStart !== next.slotStart || prev.error !== next.error) {
      this.o.onChange(next);
    }
  }
}

function sameConfig(a: StoreBeaconConfig | undefined, b: StoreBeaconConfig | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.format === b.format &&
    a.uuid.toLowerCase() === b.uuid.toLowerCase() &&
    a.identityKey === b.identityKey &&
    a.rotationExponent === b.rotationExponent &&
    a.measuredPowerDbm === b.measuredPowerDbm
  );
}
