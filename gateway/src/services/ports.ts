/**
 * Ports of the gateway: what the services need from the outside world, as plain types. Adapters
 * (noble, replay files, the simulator, MQTT, SQLite) implement them; services never import a library.
 */

/** One advertising report heard by a radio, translated out of the library that heard it. */
export interface Advert {
  /** When it was heard, epoch ms (from the source's clock, or the capture's timestamp). */
  readonly t: number;
  /** Advertiser address as the radio reports it, lowercase `aa:bb:cc:dd:ee:ff`. Never leaves the gateway. */
  readonly addr: string;
  /** Received signal strength, dBm. */
  readonly rssi: number;
  /** Raw advertising data: the AD structures `[len][type][data]...` of the HCI LE advertising report. */
  readonly data: Uint8Array;
  /** Gateway that heard it, when a capture or simulator mixes several; absent for the local radio. */
  readonly gatewayId?: string;
}

/** A source of adverts: a real adapter, a replayed capture or the simulator. */
export interface ScanSource {
  /** Starts delivering adverts to `onAdvert`; resolves once scanning runs. Idempotent. */
  start(onAdvert: (advert: Advert) => void): Promise<void>;
  /** Stops delivering; resolves when no more adverts will arrive. Idempotent. */
  stop(): Promise<void>;
}

/** Wall-clock time for services; tests and replays pass a manual clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
