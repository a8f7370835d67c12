import type { ChangeNotice, Coordination } from "./Coordination.js";
import type { Logger } from "./ports.js";

/** What one worker holds in memory that another worker's writes can make stale. */
export interface WorkerCaches {
  /** An organisation's rule index (DecisionStage). */
  reloadRules(orgId: string): Promise<void>;
  /** Every organisation's rule index. */
  reloadAllRules(): Promise<void>;
  /** Ingest's zones of one store. */
  zonesChanged(storeId: string): void;
  /** Ingest's zones of every store. */
  allZonesChanged(): void;
  /** The decisions' directory records (organisations, stores, zones, users). */
  directoryChanged(): void;
  /** Re-publishes every gateway's desired config (retained): the fleet's config re-publish job. */
  republishConfigs(): Promise<unknown>;
}

export interface WorkerSyncOptions {
  readonly coordination: Coordination;
  readonly caches: WorkerCaches;
  readonly log: Logger;
}

/**
 * Keeps this worker's in-memory views in step with the others': what this worker changes it tells
 * them (`rulesChanged`, `zonesChanged`), and what they tell it refreshes its caches. On a `resync`
 * (its coordination link was down, notices may be lost) every cache is dropped. When this worker
 * becomes leader it re-publishes the gateways' desired configs, so a config whose publish failed on
 * a worker that has since died still reaches its gateway.
 */
export class WorkerSync {
  private readonly o: WorkerSyncOptions;
  private unsubscribe: (() => void)[] = [];

  constructor(options: WorkerSyncOptions) {
    this.o = options;
  }

  start(): void {
    if (this.unsubscribe.length > 0) return;
    const { coordination } = this.o;
    this.unsubscribe = [
      coordination.onChange((change) => this.received(change)),
      coordination.onLeadership((leader) => {
        if (!leader) return;
        this.o.caches.republishConfigs().catch((err: unknown) => this.o.log.error({ err }, "config re-publish failed"));
      }),
    ];
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /** This worker changed an organisation's rules (its own index is reloaded by the caller). */
  rulesChanged(orgId: string): void {
    void this.o.coordination.notify({ topic: "rules", key: orgId });
  }

  /** This worker changed a store's zones (its own cache is invalidated by the caller). */
  zonesChanged(storeId: string): void {
    void this.o.coordination.notify({ topic: "zones", key: storeId });
  }

  private received(change: ChangeNotice): void {
    const { caches, log } = this.o;
    const failed = (err: unknown) => log.error({ err, topic: change.topic }, "cache refresh after a change notice failed");
    switch (change.topic) {
      case "rules":
        caches.reloadRules(change.key).catch(failed);
        return;
      case "zones":
        caches.zonesChanged(change.key);
        caches.directoryChanged();
        return;
      case "resync":
        caches.allZonesChanged();
        caches.directoryChanged();
        caches.reloadAllRules().catch(failed);
        return;
    }
  }
}
