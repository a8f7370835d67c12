import type { BrokerAccessProvisioner, RoleRefreshSummary } from "./BrokerAccessProvisioner.js";
import type { Logger } from "./ports.js";
import type { MqttAccount } from "./repositories.js";

export interface MqttRoleRefreshOptions {
  readonly provisioner: Pick<BrokerAccessProvisioner, "kind" | "refresh">;
  /** The live MQTT accounts, page by page, read only as the refresh goes. */
  readonly accounts: () => AsyncIterable<readonly MqttAccount[]>;
  readonly log: Logger;
}

/**
 * Brings every live MQTT account's rights at the broker to what this release computes, once per
 * start and in the background: a release that adds a topic to a role (the gateways' clock topics)
 * must not wait for each credential to be issued again. The cloud serves meanwhile; a broker that
 * is down or stops answering ends the run with a warning, and the next start repeats it (it is
 * idempotent, and cheap once roles are current).
 */
export class MqttRoleRefresh {
  private readonly o: MqttRoleRefreshOptions;
  private running: Promise<RoleRefreshSummary | null> | null = null;
  private abort: AbortController | null = null;

  constructor(options: MqttRoleRefreshOptions) {
    this.o = options;
  }

  /** Starts the refresh without waiting for it; a second call while it runs does nothing. */
  start(): void {
    if (this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.run(abort.signal);
  }

  /** The run `start` began (null before), for tests and shutdown. */
  done(): Promise<RoleRefreshSummary | null> {
    return this.running ?? Promise.resolve(null);
  }

  /** Ends a run in progress between two messages and waits for it. */
  async stop(): Promise<void> {
    this.abort?.abort(new Error("the cloud is stopping"));
    await this.running;
    this.running = null;
    this.abort = null;
  }

  private async run(signal: AbortSignal): Promise<RoleRefreshSummary | null> {
    const { provisioner, log } = this.o;
    let summary: RoleRefreshSummary | null;
    try {
      summary = await provisioner.refresh(this.o.accounts(), signal);
    } catch (err) {
      // The port resolves to a summary; this is a bug, not a broker outage: say so, never throw.
      log.error({ err, broker: provisioner.kind }, "mqtt role refresh failed");
      return null;
    }
    if (summary === null) return null;
    const { unchanged, refreshed, failed, stoppedBy } = summary;
    const counts = { broker: provisioner.kind, refreshed, unchanged, failed };
    if (stoppedBy !== null && signal.aborted) {
      log.info(counts, "mqtt role refresh stopped with the cloud; the rest are refreshed at the next start");
    } else if (stoppedBy !== null || failed > 0) {
      log.warn(
        { ...counts, ...(stoppedBy ? { err: stoppedBy } : {}) },
        "mqtt roles not all refreshed; the rest are refreshed at the next start (or when each credential is issued again)",
      );
    } else {
      log.info(counts, "mqtt roles refreshed");
    }
    return summary;
  }
}
