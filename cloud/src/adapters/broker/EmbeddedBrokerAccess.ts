import type { BrokerAccessProvisioner } from "../../services/BrokerAccessProvisioner.js";
import { type Logger, type Scheduler, systemScheduler, type TimerHandle } from "../../services/ports.js";

export interface EmbeddedBrokerAccessOptions {
  /** Closes every live connection of a username; resolves or returns how many were closed. */
  readonly disconnect: (username: string) => number;
  /** Credentials revoked at or after `since` (epoch ms), from the credential store. */
  readonly revokedSince: (since: number) => Promise<readonly { username: string; revokedAt: number }[]>;
  readonly now: () => number;
  readonly log: Logger;
  /**
   * How often to look for revocations made outside this process (the CLI writing to the same
   * database), ms. Revocations through this process disconnect at once regardless. Default 2000.
   */
  readonly sweepIntervalMs?: number;
  /** Timers; default the process's own. */
  readonly scheduler?: Scheduler;
}

/**
 * Access control of the embedded broker. aedes checks every CONNECT against the credential store,
 * so a grant takes effect with the stored record and needs nothing here; a revoke cuts the live
 * connections. A revoke made by another process on the same database (the `credentials revoke`
 * command) cannot call into this one, so a sweep picks those up within `sweepIntervalMs`.
 */
export class EmbeddedBrokerAccess implements BrokerAccessProvisioner {
  readonly kind = "embedded";
  private readonly o: EmbeddedBrokerAccessOptions;
  private readonly scheduler: Scheduler;
  private timer: TimerHandle | null = null;
  private watermark = 0;
  private sweeping: Promise<void> | null = null;

  constructor(options: EmbeddedBrokerAccessOptions) {
    this.o = options;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  async grant(): Promise<void> {
    // The stored credential is what aedes authenticates against: nothing to mirror.
  }

  async replaced(username: string): Promise<void> {
    // aedes authenticates at CONNECT only: sessions opened with the old password stay until cut.
    const closed = this.o.disconnect(username);
    if (closed > 0) this.o.log.info({ username, connections: closed }, "sessions of a replaced mqtt password disconnected");
  }

  async revoke(username: string): Promise<void> {
    const closed = this.o.disconnect(username);
    if (closed > 0) this.o.log.info({ username, connections: closed }, "revoked mqtt credential disconnected");
  }

  async suspend(username: string): Promise<void> {
    // aedes asks the credential store at every CONNECT, and the store refuses a suspended
    // organisation's logins: only the live connections need cutting.
    const closed = this.o.disconnect(username);
    if (closed > 0) this.o.log.info({ username, connections: closed }, "suspended organisation's mqtt login disconnected");
  }

  async resume(): Promise<void> {
    // The credential store accepts the login again once the organisation is reinstated.
  }

  async refresh(): Promise<null> {
    // aedes computes a connection's rights from its identity at every publish and subscribe
    // (canPublish, canSubscribe): they follow the running release with nothing stored to update.
    return null;
  }

  start(): void {
    if (this.timer) return;
    // Connections made before start were authenticated against the store as it was then; only
    // revocations from now on can concern them.
    this.watermark = this.o.now();
    this.timer = this.scheduler.setInterval(() => {
      this.sweeping ??= this.sweep().finally(() => {
        this.sweeping = null;
      });
    }, this.o.sweepIntervalMs ?? 2000);
  }

  async stop(): Promise<void> {
    if (this.timer) this.scheduler.clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** Disconnects users revoked since the last sweep; public so tests need not wait for the timer. */
  async sweep(): Promise<void> {
    try {
      const revoked = await this.o.revokedSince(this.watermark);
      for (const { username, revokedAt } of revoked) {
        await this.revoke(username);
        // Revocations in the same millisecond as the watermark are seen twice, which is harmless;
        // strictly greater would miss one committed in that millisecond after the read.
        this.watermark = Math.max(this.watermark, revokedAt);
      }
    } catch (err) {
      this.o.log.error({ err }, "revocation sweep failed");
    }
  }
}
