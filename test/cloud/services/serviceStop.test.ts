import { describe, expect, it } from "vitest";
import { RetentionService } from "../../../cloud/src/services/RetentionService.js";
import type { RetentionResult } from "../../../cloud/src/services/repositories.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { createCloudFixture } from "../cloudFixture.js";

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("stopping services while they work", () => {
  it("RetentionService.stop waits for a running sweep, and may be called twice", async () => {
    const g = gate();
    const result: RetentionResult = { eventsDeleted: 1, visitsAggregated: 0, fixesDeleted: 0, decisionsDeleted: 0 };
    const retention = new RetentionService({
      retention: { applyRetention: async () => (await g.opened, result), dailyVisitCounts: () => Promise.resolve([]) },
      clock: { now: () => Date.now() },
      log: new RecordingLogger(),
      retentionDays: 30,
      intervalMs: 60_000,
    });
    retention.start();
    const sweeping = retention.sweep();
    const order: string[] = [];
    void sweeping.then(() => order.push("sweep"));
    const stopping = Promise.all([retention.stop(), retention.stop()]).then(() => order.push("stop"));
    await settle();
    expect(order).toEqual([]);
    g.open();
    await stopping;
    expect(order).toEqual(["sweep", "stop"]);
    await expect(sweeping).resolves.toEqual(result);
  });

  it("cloud.stop during a retention sweep closes the database only after the sweep, which completes", async () => {
    const f = await createCloudFixture();
    const { cloud } = f;
    const g = gate();
    const order: string[] = [];
    const repo = cloud.repositories.privacy;
    const apply = repo.applyRetention.bind(repo);
    repo.applyRetention = async (cutoff) => {
      await g.opened;
      return apply(cutoff);
    };
    const db = cloud.repositories.db;
    const close = db.close.bind(db);
    db.close = () => {
      order.push("db-close");
      return close();
    };
    // Opened once the cloud stops its timers: the sweep then runs against the still-open database.
    const lifecycleStop = cloud.offerLifecycle.stop.bind(cloud.offerLifecycle);
    cloud.offerLifecycle.stop = () => {
      g.open();
      return lifecycleStop();
    };
    const sweeping = cloud.retention.sweep().then((r) => (order.push("sweep"), r));
    await cloud.stop();
    order.push("stopped");
    await expect(sweeping).resolves.toMatchObject({ eventsDeleted: 0 });
    expect(order).toEqual(["sweep", "db-close", "stopped"]);
    await f.close();
  });
});
