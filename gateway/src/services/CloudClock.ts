import { decodeGatewayMessage, encodeMessage, gatewayTopic, PROTOCOL_VERSION, type Telemetry } from "../../../protocol/index.js";
import { ReferenceClock, type ReferenceClockOptions } from "../domain/time/ReferenceClock.js";
import { type Clock, type Logger, type Scheduler, systemScheduler, type TimerHandle, type UplinkConnection } from "./ports.js";

export interface CloudClockOptions {
  readonly storeId: string;
  readonly gatewayId: string;
  /** `reconnects` tells one connection from the next: the replies are subscribed per connection. */
  readonly connection: Pick<UplinkConnection, "publish" | "connected" | "reconnects">;
  /** The operating system's clock, which this one corrects. */
  readonly clock: Clock;
  readonly scheduler?: Scheduler;
  readonly log: Logger;
  /** A request every this often while connected, ms. Default 64 000 (NTP's shortest poll). */
  readonly pollMs?: number;
  /** On each connect, this many requests `burstSpacingMs` apart fill the filter at once. Default 4, 2 000 ms. */
  readonly burst?: number;
  readonly burstSpacingMs?: number;
  /** A request unanswered for this long is given up, ms (own clock). Default 5 000. */
  readonly timeoutMs?: number;
  readonly estimator?: ReferenceClockOptions;
}

/** The clock section of the telemetry. */
export type ClockTelemetry = NonNullable<Telemetry["clock"]>;

/**
 * This gateway's clock set by the cloud's, over the MQTT connection it keeps anyway (store networks
 * often block NTP's UDP 123, never the uplink): a {@link Clock} that reads the operating system's
 * clock plus the correction the {@link ReferenceClock} filter believes. A request (`time`, QoS 0)
 * carries its send time; the cloud's reply (`time-reply`) its receive and send times; the reply's
 * arrival closes the exchange. A burst of requests on each connect, then one per `pollMs`; at most
 * one in flight, so the replies cannot be confused, and one unanswered for `timeoutMs` is given up.
 *
 * Until a first reply the correction is 0 (the operating system's clock, and the store LAN's peers'
 * median as before); afterwards the last good correction holds through an outage of the link. A
 * gateway whose clock NTP keeps right measures an offset within the round trip and corrects nothing.
 */
export class CloudClock implements Clock {
  private readonly o: CloudClockOptions;
  private readonly scheduler: Scheduler;
  private readonly estimator: ReferenceClock;
  private pollTimer: TimerHandle | null = null;
  private burstTimers: TimerHandle[] = [];
  private inFlight: { readonly id: string; readonly t0: number } | null = null;
  /**
   * The connection (its `reconnects` count) on which the replies were subscribed ({@link online});
   * null before. Requests go out only on that connection: on any other the subscription may have
   * been refused (a cloud older than the clock topics), and that cloud's broker drops a client that
   * publishes where it may not, so a poll there would cut the uplink every `pollMs`.
   */
  private askingOn: number | null = null;
  private seq = 0;
  private started = false;
  readonly counters = { requested: 0, answered: 0, unanswered: 0, unmatched: 0 };

  constructor(options: CloudClockOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.estimator = new ReferenceClock(options.estimator);
  }

  /** The cloud's time as this gateway reads it: its own clock plus the correction in force. */
  now(): number {
    return this.o.clock.now() + this.estimator.correctionMs;
  }

  /** What is added to the operating system's clock, ms; 0 until the cloud answered, or when it agrees within the round trip. */
  get correctionMs(): number {
    return this.estimator.correctionMs;
  }

  /** True once the cloud answered: the time this gateway stamps by is the cloud's. */
  get known(): boolean {
    return this.estimator.known;
  }

  /** A request sent and neither answered nor given up. */
  get pending(): boolean {
    return this.inFlight !== null && this.o.clock.now() - this.inFlight.t0 < (this.o.timeoutMs ?? 5000);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.pollTimer = this.scheduler.setInterval(() => this.request(), this.o.pollMs ?? 64_000);
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    if (this.pollTimer !== null) this.scheduler.clearInterval(this.pollTimer);
    this.pollTimer = null;
    for (const t of this.burstTimers) this.scheduler.clearTimeout(t);
    this.burstTimers = [];
    this.inFlight = null;
    this.askingOn = null;
  }

  /** The uplink is connected and subscribed to the replies: asks at once, and a few times more. */
  online(): void {
    if (!this.started) return;
    for (const t of this.burstTimers) this.scheduler.clearTimeout(t);
    this.burstTimers = [];
    this.inFlight = null;
    this.askingOn = this.o.connection.reconnects;
    this.request();
    const spacingMs = this.o.burstSpacingMs ?? 2000;
    for (let i = 1; i < (this.o.burst ?? 4); i++) this.burstTimers.push(this.scheduler.setTimeout(() => this.request(), i * spacingMs));
  }

  /** One message on this gateway's `time-reply` topic; anything but the reply to the request in flight is ignored. */
  reply(payload: Buffer): void {
    const t3 = this.o.clock.now();
    const decoded = decodeGatewayMessage("time-reply", payload);
    const asked = this.inFlight;
    if (!decoded.ok || asked === null || decoded.value.id !== asked.id || decoded.value.t0 !== asked.t0) {
      this.counters.unmatched++;
      return;
    }
    this.inFlight = null;
    this.counters.answered++;
    const before = this.estimator.correctionMs;
    const outcome = this.estimator.observe({ t0: asked.t0, t1: decoded.value.t1, t2: decoded.value.t2, t3 });
    if (!outcome.accepted) {
      this.o.log.debug({ reason: outcome.reason }, "cloud time sample refused");
      return;
    }
    const after = this.estimator.correctionMs;
    if (after !== before) this.o.log.info({ from: before, to: after, roundTripMs: outcome.sample.roundTripMs }, "clock correction from the cloud changed");
  }

  /** What the telemetry says of this clock: the believed sample, the correction in force, the counts. */
  report(): ClockTelemetry {
    const best = this.estimator.best;
    const now = this.o.clock.now();
    return {
      source: "cloud",
      offsetMs: best === null ? null : Math.round(best.offsetMs),
      roundTripMs: best === null ? null : Math.round(best.roundTripMs),
      sampleAgeS: best === null ? null : Math.max(0, Math.round((now - best.at) / 100) / 10),
      correctionMs: this.estimator.correctionMs,
      samples: this.estimator.counters.accepted,
      refused: this.estimator.counters.refused,
      unanswered: this.counters.unanswered,
    };
  }

  private request(): void {
    if (!this.started || !this.o.connection.connected || this.askingOn !== this.o.connection.reconnects) return;
    const now = this.o.clock.now();
    if (this.inFlight !== null) {
      if (now - this.inFlight.t0 < (this.o.timeoutMs ?? 5000)) return;
      this.counters.unanswered++;
    }
    const id = `${(this.seq = (this.seq + 1) % 1_000_000_000)}`;
    const t0 = now;
    this.inFlight = { id, t0 };
    this.counters.requested++;
    this.o.connection
      .publish(gatewayTopic(this.o.storeId, this.o.gatewayId, "time"), encodeMessage({ v: PROTOCOL_VERSION, id, t0 }), { qos: 0, retain: false })
      .catch((err: unknown) => {
        this.o.log.debug({ err }, "cloud time request not sent");
        if (this.inFlight?.id === id) this.inFlight = null;
      });
  }
}
