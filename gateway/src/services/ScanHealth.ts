import type { Clock, Logger, ScanSource, ScanSourceState, Scheduler, TimerHandle } from "./ports.js";

/** The radio as the retained status reports it. */
export interface ScanReport {
  readonly state: ScanSourceState;
  /** Seconds since the last advert, whole; null before the first. */
  readonly lastAdvertAgeS: number | null;
}

export interface ScanHealthOptions {
  readonly source: Pick<ScanSource, "state">;
  /** When the last advert was heard, epoch ms; null before the first (the pipeline's). */
  readonly lastAdvertAt: () => number | null;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** Interrupted for longer than this, the gateway gives up (config `scanner.giveUpS` × 1000), ms. */
  readonly giveUpAfterMs: number;
  /** How often the source's state is read, ms; default 1000. */
  readonly checkMs?: number;
  /** Called when the state changes (to publish the status again). */
  readonly onChange: (report: ScanReport) => void;
  /**
   * Called once when the radio stayed interrupted past the bound: the process should end with a
   * non-zero code so its supervisor restarts it (a fresh process reopens the adapter from scratch).
   */
  readonly onGiveUp: (reason: string) => void;
}

/**
 * Watches the radio of a running gateway. A source that recovers by itself (the noble watchdog
 * restarting the scan, an adapter powered on again) is left to it; one that stays interrupted past
 * `giveUpAfterMs` ends the gateway, so it never sits "online" without scanning.
 */
export class ScanHealth {
  private timer: TimerHandle | null = null;
  private state: ScanSourceState = "scanning";
  private interruptedSince: number | null = null;
  private gaveUp = false;

  constructor(private readonly o: ScanHealthOptions) {}

  /** The radio now, for the status. */
  report(): ScanReport {
    const last = this.o.lastAdvertAt();
    const now = this.o.clock.now();
    return {
      state: this.o.source.state?.() ?? "scanning",
      lastAdvertAgeS: last === null ? null : Math.max(0, Math.floor((now - last) / 1000)),
    };
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = this.o.scheduler.setInterval(() => this.check(), this.o.checkMs ?? 1000);
  }

  stop(): void {
    if (this.timer !== null) this.o.scheduler.clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const now = this.o.clock.now();
    const state = this.o.source.state?.() ?? "scanning";
    if (state !== this.state) {
      this.state = state;
      this.interruptedSince = state === "interrupted" ? now : null;
      if (state === "interrupted") this.o.log.warn({ giveUpAfterMs: this.o.giveUpAfterMs }, "scanning interrupted");
      else this.o.log.info({}, "scanning again");
      this.o.onChange(this.report());
    }
    if (this.interruptedSince === null || this.gaveUp) return;
    const interruptedMs = now - this.interruptedSince;
    if (interruptedMs <= this.o.giveUpAfterMs) return;
    this.gaveUp = true;
    this.stop();
    this.o.onGiveUp(`scanning interrupted for ${Math.round(interruptedMs / 1000)} s without recovering`);
  }
}
