import { eidPeriodStartS } from "../../../protocol/index.js";
import { eidRowsAround, type EidKey } from "../domain/privacy/eidResolution.js";
import type { EidKeyRepository } from "./repositories.js";
import { type Clock, type Logger, type Scheduler, systemScheduler, type TimerHandle } from "./ports.js";
import type { AuditRepository } from "./repositories.js";

export interface EidResolutionOptions {
  readonly keys: EidKeyRepository;
  /** Where registrations are recorded (that a key was registered, never the key). */
  readonly audit: AuditRepository;
  readonly clock: Clock;
  readonly log: Logger;
  /** Rotation exponent handed to newly registered installs. */
  readonly rotationExponent: number;
  readonly refreshIntervalMs: number;
  /** Timers; default the process's own. */
  readonly scheduler?: Scheduler;
}

/**
 * Resolves Eddystone-EID sightings to users. Installs register a 16-byte identity key; this
 * service keeps the resolution table (previous, current and next period of every install) up to
 * date, so ingest resolves an `eddystone-eid:` subject with one indexed lookup instead of trying
 * every key. A periodic `refresh()` moves the window forward; registration fills it at once.
 */
export class EidResolutionService {
  private readonly o: EidResolutionOptions;
  private readonly scheduler: Scheduler;
  private timer: TimerHandle | null = null;
  /** Runs in progress, timer-started or called. */
  private readonly running = new Set<Promise<unknown>>();
  /** Period start each rotation exponent's rows were last built for. */
  private readonly builtFor = new Map<number, number>();

  constructor(options: EidResolutionOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  get rotationExponent(): number {
    return this.o.rotationExponent;
  }

  start(): void {
    if (this.timer) return;
    this.timer = this.scheduler.setInterval(() => {
      this.refresh().catch((err: unknown) => this.o.log.error({ err }, "eid resolution refresh failed"));
    }, this.o.refreshIntervalMs);
  }

  /** Stops the timer and waits for a refresh that is running (so the database can close under none). Idempotent. */
  async stop(): Promise<void> {
    if (this.timer) this.scheduler.clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running]);
  }

  /**
   * Registers (or replaces) an install's identity key and makes its EIDs resolvable now; `actor`
   * (who registered it, e.g. `api-key:<id>`) goes into the audit trail.
   */
  async register(
    userId: string,
    installId: string,
    identityKey: Uint8Array,
    actor: string,
  ): Promise<{ rotationExponent: number }> {
    const key: EidKey = { userId, installId, identityKey, rotationExponent: this.o.rotationExponent };
    const now = this.o.clock.now();
    await this.o.keys.putEidKey(key, now);
    await this.o.keys.refreshEidResolutions(eidRowsAround(key, Math.floor(now / 1000)), Math.floor(now / 1000));
    // The key itself is never logged.
    this.o.log.info({ userId, installId, rotationExponent: key.rotationExponent }, "eid key registered");
    // The audit trail says that a key was registered, never the key.
    await this.o.audit.audit({
      at: this.o.clock.now(),
      actor,
      action: "eid-key.register",
      target: `user:${userId}`,
      detail: { installId, rotationExponent: key.rotationExponent },
    });
    return { rotationExponent: key.rotationExponent };
  }

  /**
   * Brings the table to the clock's now: adds the coming period and drops periods gone by. Rows
   * change only when a period boundary passes, so keys are re-computed only for exponents whose
   * current period moved since the last refresh (the first refresh after start builds them all);
   * in between, a refresh only deletes expired rows. Returns the number of rows written.
   */
  refresh(): Promise<number> {
    const run = this.runRefresh();
    this.running.add(run);
    const forget = () => this.running.delete(run);
    run.then(forget, forget);
    return run;
  }

  private async runRefresh(): Promise<number> {
    const nowS = Math.floor(this.o.clock.now() / 1000);
    const keys = await this.o.keys.listEidKeys();
    const moved = (exponent: number) => this.builtFor.get(exponent) !== eidPeriodStartS(exponent, nowS);
    const rows = keys.filter((key) => moved(key.rotationExponent)).flatMap((key) => eidRowsAround(key, nowS));
    await this.o.keys.refreshEidResolutions(rows, nowS);
    for (const key of keys) this.builtFor.set(key.rotationExponent, eidPeriodStartS(key.rotationExponent, nowS));
    return rows.length;
  }
}
