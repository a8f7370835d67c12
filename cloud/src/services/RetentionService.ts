import type { RetentionRepository, RetentionResult } from "./repositories.js";
import { type Clock, type Logger, type Scheduler, systemScheduler, type TimerHandle } from "./ports.js";

const DAY_MS = 86_400_000;

/**
 * Deletes raw presence data older than `retentionDays` (events, visits, phone location fixes) and
 * keeps visits only as daily counts per store and zone. Runs every `intervalMs` on the injected
 * clock; `sweep()` runs it now.
 */
export class RetentionService {
  private readonly scheduler: Scheduler;
  private timer: TimerHandle | null = null;
  /** Runs in progress, timer-started or called. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly o: {
      readonly retention: RetentionRepository;
      readonly clock: Clock;
      readonly log: Logger;
      readonly retentionDays: number;
      readonly intervalMs: number;
      /** Timers; default the process's own. */
      readonly scheduler?: Scheduler;
    },
  ) {
    this.scheduler = o.scheduler ?? systemScheduler;
  }

  start(): void {
    if (this.timer) return;
    this.timer = this.scheduler.setInterval(() => {
      this.sweep().catch((err: unknown) => this.o.log.error({ err }, "retention sweep failed"));
    }, this.o.intervalMs);
  }

  /** Stops the timer and waits for a sweep that is running (so the database can close under none). Idempotent. */
  async stop(): Promise<void> {
    if (this.timer) this.scheduler.clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running]);
  }

  sweep(): Promise<RetentionResult> {
    const run = this.runSweep();
    this.running.add(run);
    const forget = () => this.running.delete(run);
    run.then(forget, forget);
    return run;
  }

  private async runSweep(): Promise<RetentionResult> {
    const cutoff = this.o.clock.now() - this.o.retentionDays * DAY_MS;
    const result = await this.o.retention.applyRetention(cutoff);
    if (result.eventsDeleted + result.visitsAggregated + result.fixesDeleted + result.decisionsDeleted > 0)
      this.o.log.info({ ...result, cutoff }, "retention applied");
    return result;
  }
}
