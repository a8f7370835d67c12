import { encodeMessage, gatewayTopic, type Telemetry } from "../../../protocol/index.js";
import {
  type Clock,
  type Logger,
  type Outbox,
  type Scheduler,
  systemScheduler,
  type TimerHandle,
  type UplinkConnection,
} from "./ports.js";

/** CPU time used by this process so far (`process.cpuUsage()`), µs, and its resident set, bytes. */
export interface ProcessSample {
  readonly userUs: number;
  readonly systemUs: number;
  readonly rssBytes: number;
}

export interface TelemetryReporterOptions {
  readonly storeId: string;
  readonly gatewayId: string;
  readonly version: string;
  readonly connection: Pick<UplinkConnection, "connected" | "reconnects" | "publish">;
  readonly outbox: Pick<Outbox, "stats">;
  /** Adverts heard and subjects tracked so far (the scan pipeline's counters). */
  readonly scan: () => { readonly adverts: number; readonly subjectsTracked: number };
  /** Events handed to the connection so far (the relay's counter). */
  readonly eventsSent: () => number;
  /** The store LAN fusion's counters since start; absent for a gateway without LAN peers. */
  readonly lan?: () => NonNullable<Telemetry["lan"]>;
  /** The clock set by the cloud's ({@link CloudClock}); absent when the gateway keeps its system clock. */
  readonly timeReference?: () => NonNullable<Telemetry["clock"]>;
  /** Reads this process's CPU time and memory; the composition root passes Node's. */
  readonly sampleProcess: () => ProcessSample;
  readonly clock: Clock;
  readonly log: Logger;
  /** How often telemetry is published, ms (config `telemetryIntervalS` × 1000). */
  readonly intervalMs: number;
  /** Timers; default the process's own. */
  readonly scheduler?: Scheduler;
}

/**
 * Publishes the gateway's telemetry (rates, outbox depth and age, CPU, memory) every `intervalMs`
 * while the uplink is connected. Rates and CPU are over the time since the previous sample, so a
 * sample skipped while offline widens the next one instead of losing adverts from the rate.
 * Telemetry is QoS 0 and best effort: a failed publish is logged at debug and not retried.
 */
export class TelemetryReporter {
  private readonly o: TelemetryReporterOptions;
  private readonly scheduler: Scheduler;
  private readonly topic: string;
  private timer: TimerHandle | null = null;
  private startedAt = 0;
  private lastSampleAt = 0;
  private lastCpu: ProcessSample = { userUs: 0, systemUs: 0, rssBytes: 0 };
  private lastAdverts = 0;

  constructor(options: TelemetryReporterOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.topic = gatewayTopic(options.storeId, options.gatewayId, "telemetry");
  }

  /** Starts the periodic report; the first goes out `intervalMs` from now. Idempotent. */
  start(): void {
    if (this.timer) return;
    this.startedAt = this.o.clock.now();
    this.lastSampleAt = this.startedAt;
    this.lastCpu = this.o.sampleProcess();
    this.lastAdverts = this.o.scan().adverts;
    this.timer = this.scheduler.setInterval(() => {
      this.report().catch((err: unknown) => this.o.log.debug({ err }, "telemetry not sent"));
    }, this.o.intervalMs);
  }

  /** Idempotent. */
  stop(): void {
    if (this.timer) this.scheduler.clearInterval(this.timer);
    this.timer = null;
  }

  /** Samples and publishes once now, if connected (the timer calls this). */
  async report(): Promise<void> {
    if (!this.o.connection.connected) return;
    const now = this.o.clock.now();
    const stats = await this.o.outbox.stats();
    const cpu = this.o.sampleProcess();
    const scan = this.o.scan();
    const elapsedMs = Math.max(1, now - this.lastSampleAt);
    const telemetry: Telemetry = {
      v: 1,
      at: new Date(now).toISOString(),
      version: this.o.version,
      uptimeS: Math.round((now - this.startedAt) / 1000),
      advertsPerS: Math.round(((scan.adverts - this.lastAdverts) * 1000 * 10) / elapsedMs) / 10,
      subjectsTracked: scan.subjectsTracked,
      outboxDepth: stats.depth,
      outboxOldestAgeS:
        stats.oldestInsertedAt === null ? 0 : Math.max(0, Math.round((now - stats.oldestInsertedAt) / 1000)),
      eventsSent: this.o.eventsSent(),
      reconnects: this.o.connection.reconnects,
      cpuPercent:
        Math.round(
          ((cpu.userUs - this.lastCpu.userUs + cpu.systemUs - this.lastCpu.systemUs) / 1000 / elapsedMs) * 1000,
        ) / 10,
      rssBytes: cpu.rssBytes,
      ...(this.o.lan === undefined ? {} : { lan: this.o.lan() }),
      ...(this.o.timeReference === undefined ? {} : { clock: this.o.timeReference() }),
    };
    this.lastCpu = cpu;
    this.lastSampleAt = now;
    this.lastAdverts = scan.adverts;
    await this.o.connection.publish(this.topic, encodeMessage(telemetry), { qos: 0, retain: false });
  }
}
