import {
  MAX_DISTANCE_M,
  MAX_DWELL_MS,
  MAX_RSSI_DBM,
  MIN_RSSI_DBM,
  type PresenceEvent,
} from "../../../protocol/index.js";
import { type DecodedBeacon, decodeAdvertisement, subjectOf } from "../domain/advert/index.js";
import type { PresenceChange } from "../domain/presence/PresenceEngine.js";
import type { PresenceDecider } from "./FusedPresence.js";
import {
  type Advert,
  type Clock,
  type Logger,
  type ScanSource,
  type Scheduler,
  systemScheduler,
  type TimerHandle,
  type UnsequencedEvent,
} from "./ports.js";

export interface ScanPipelineOptions {
  readonly storeId: string;
  readonly gatewayId: string;
  readonly source: ScanSource;
  /** The presence engine, or the store LAN's fusion in front of it. */
  readonly engine: PresenceDecider;
  /** The time the engine decides by (its ticks); the adverts' stamps are moved onto it by `stampOffsetMs`. */
  readonly clock: Clock;
  /**
   * What to add to an advert's stamp (the source stamps by the system clock) to read `clock`'s time,
   * ms, at the moment it is taken; default none (a replay's stamps are the capture's).
   */
  readonly stampOffsetMs?: () => number;
  readonly log: Logger;
  /** Receives the events the engine decided, in order (the relay's outbox, or stdout in a replay). */
  readonly sink: (events: readonly UnsequencedEvent[]) => Promise<unknown>;
  /** How often dwell marks and away timeouts are checked, ms. */
  readonly tickMs?: number;
  /** Timers of the tick; default the process's own. */
  readonly scheduler?: Scheduler;
  /** Told of every beacon this gateway's own radio heard (raw RSSI), e.g. for calibration from evidence. */
  readonly onHeard?: (subjectId: string, t: number, rssiDbm: number, measuredPowerDbm: number | null) => void;
}

export interface ScanCounters {
  adverts: number;
  beacons: number;
  events: number;
}

/**
 * Advertising power at 1 m, for the distance model. iBeacon and AltBeacon advertise it; Eddystone
 * advertises power at 0 m, and the Eddystone spec says to subtract 41 dB (the loss over 1 m).
 */
export function measuredPowerAt1m(beacon: DecodedBeacon): number | null {
  switch (beacon.format) {
    case "ibeacon":
      return beacon.measuredPower;
    case "altbeacon":
      return beacon.referenceRssi;
    case "eddystone-uid":
    case "eddystone-eid":
      return beacon.txPower - 41;
    case "eddystone-url":
    case "eddystone-tlm":
    case "eddystone-etlm":
      return null;
  }
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/**
 * Turns an engine decision into a wire event (without the outbox sequence number). Measurements
 * are clamped to the wire contract's bounds: a calibration offset can push RSSI past what a
 * controller reports, and a fixture beacon dwells for weeks; the cloud refuses a batch with a value
 * out of bounds, and one such event must not hold up the outbox.
 */
export function toEvent(change: PresenceChange, storeId: string, gatewayId: string): UnsequencedEvent {
  const event: Omit<PresenceEvent, "seq"> = {
    id: change.eventId,
    type: change.type,
    storeId,
    zoneId: change.zoneId,
    // The publishing gateway decided the event, whichever radio heard the subject best.
    gatewayId,
    subject: change.subject,
    at: new Date(change.at).toISOString(),
    visitId: change.visitId,
    rssi: change.rssiDbm === null ? null : clamp(change.rssiDbm, MIN_RSSI_DBM, MAX_RSSI_DBM),
    distanceM: change.distanceM === null ? null : clamp(change.distanceM, 0, MAX_DISTANCE_M),
    ...(change.dwellMs === undefined ? {} : { dwellMs: clamp(change.dwellMs, 0, MAX_DWELL_MS) }),
  };
  return event;
}

/**
 * The gateway's scan loop: adverts from a source are decoded, resolved to subjects and fed to the
 * presence engine; its decisions go to the sink in order. A bad advert is counted and skipped, so
 * nothing the radio hears can stop the loop.
 */
export class ScanPipeline {
  readonly counters: ScanCounters = { adverts: 0, beacons: 0, events: 0 };
  private readonly o: ScanPipelineOptions;
  private readonly scheduler: Scheduler;
  private timer: TimerHandle | null = null;
  private running = false;
  private lastAdvertT: number | null = null;

  constructor(options: ScanPipelineOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  get trackedSubjects(): number {
    return this.o.engine.trackedSubjects;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.o.source.start((advert) => this.onAdvert(advert));
    this.timer = this.scheduler.setInterval(
      () => this.emit(this.o.engine.tick(this.o.clock.now())),
      this.o.tickMs ?? 1000,
    );
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) this.scheduler.clearInterval(this.timer);
    this.timer = null;
    await this.o.source.stop();
  }

  /** When the last advert was heard, epoch ms (the source's time); null before the first. */
  get lastAdvertAt(): number | null {
    return this.lastAdvertT;
  }

  /** Feeds one advert; public so replays can drive the pipeline synchronously. */
  onAdvert(advert: Advert): void {
    this.counters.adverts++;
    this.lastAdvertT = advert.t;
    const beacon = decodeAdvertisement(advert.data);
    const subject = beacon ? subjectOf(beacon) : null;
    if (!beacon || !subject) return;
    this.counters.beacons++;
    const measuredPowerDbm = measuredPowerAt1m(beacon);
    const t = advert.t + (this.o.stampOffsetMs?.() ?? 0);
    if (this.o.onHeard && (advert.gatewayId === undefined || advert.gatewayId === this.o.gatewayId))
      this.o.onHeard(subject.id, t, advert.rssi, measuredPowerDbm);
    this.emit(
      this.o.engine.observe({
        t,
        gatewayId: advert.gatewayId ?? this.o.gatewayId,
        subject,
        rssiDbm: advert.rssi,
        measuredPowerDbm,
      }),
    );
  }

  /** Runs the engine's clock to `now` (replays call this between adverts). */
  tick(now: number): void {
    this.emit(this.o.engine.tick(now));
  }

  /** Hands engine decisions made outside the scan loop (e.g. exits on reconfiguration) to the sink. */
  publish(changes: readonly PresenceChange[]): void {
    this.emit(changes);
  }

  private emit(changes: readonly PresenceChange[]): void {
    if (changes.length === 0) return;
    const { storeId, gatewayId, log } = this.o;
    const events = changes.map((c) => toEvent(c, storeId, gatewayId));
    this.counters.events += events.length;
    for (const e of events)
      log.info(
        { type: e.type, zoneId: e.zoneId, subject: e.subject.id, visitId: e.visitId },
        `zone ${e.type}`,
      );
    this.o.sink(events).catch((err: unknown) => log.error({ err }, "events could not be queued"));
  }
}
