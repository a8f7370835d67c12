import { describe, expect, it } from "vitest";
import type { ChangeListener, ChangeNotice, Coordination } from "../../../cloud/src/services/Coordination.js";
import { WorkerSync, type WorkerCaches } from "../../../cloud/src/services/WorkerSync.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";

/** Workers coordinated in memory: a notice reaches every worker but its sender, as with NOTIFY. */
class FakeFleet {
  private readonly members: FakeCoordination[] = [];
  join(workerId: string): FakeCoordination {
    const member = new FakeCoordination(workerId, this);
    this.members.push(member);
    return member;
  }
  deliver(from: string, change: ChangeNotice): void {
    for (const m of this.members) if (m.workerId !== from) m.receive(change);
  }
}

class FakeCoordination implements Coordination {
  leader = false;
  private readonly changes = new Set<ChangeListener>();
  private readonly leadership = new Set<(leader: boolean) => void>();
  constructor(
    readonly workerId: string,
    private readonly fleet: FakeFleet,
  ) {}
  isLeader(): boolean {
    return this.leader;
  }
  onLeadership(listener: (leader: boolean) => void): () => void {
    this.leadership.add(listener);
    return () => this.leadership.delete(listener);
  }
  async notify(change: ChangeNotice): Promise<void> {
    this.fleet.deliver(this.workerId, change);
  }
  onChange(listener: ChangeListener): () => void {
    this.changes.add(listener);
    return () => this.changes.delete(listener);
  }
  receive(change: ChangeNotice): void {
    for (const l of this.changes) l(change);
  }
  // The live view's broadcasts are not what this suite covers (liveRelay.test.ts does).
  readonly shared = false;
  readonly maxBroadcastBytes = 0;
  async broadcast(): Promise<boolean> {
    return false;
  }
  onBroadcast(): () => void {
    return () => undefined;
  }
  setLeader(leader: boolean): void {
    this.leader = leader;
    for (const l of this.leadership) l(leader);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

function recordingCaches(): { calls: string[]; caches: WorkerCaches } {
  const calls: string[] = [];
  return {
    calls,
    caches: {
      reloadRules: async (orgId) => void calls.push(`rules ${orgId}`),
      reloadAllRules: async () => void calls.push("all rules"),
      zonesChanged: (storeId) => void calls.push(`zones ${storeId}`),
      allZonesChanged: () => void calls.push("all zones"),
      directoryChanged: () => void calls.push("directory"),
      republishConfigs: async () => void calls.push("republish"),
    },
  };
}

describe("WorkerSync", () => {
  it("refreshes the other workers' caches when one changes rules or zones, and not its own twice", async () => {
    const fleet = new FakeFleet();
    const [a, b] = [recordingCaches(), recordingCaches()];
    const syncA = new WorkerSync({ coordination: fleet.join("a"), caches: a.caches, log: new RecordingLogger() });
    const syncB = new WorkerSync({ coordination: fleet.join("b"), caches: b.caches, log: new RecordingLogger() });
    syncA.start();
    syncB.start();
    syncA.rulesChanged("o1");
    syncA.zonesChanged("s1");
    await new Promise((r) => setImmediate(r));
    expect(b.calls).toEqual(["rules o1", "zones s1", "directory"]);
    expect(a.calls).toEqual([]);
    syncB.stop();
    syncA.rulesChanged("o2");
    expect(b.calls).toHaveLength(3);
  });

  it("drops every cache on a resync, and re-publishes configs when this worker becomes leader", async () => {
    const fleet = new FakeFleet();
    const coordination = fleet.join("a");
    const { calls, caches } = recordingCaches();
    new WorkerSync({ coordination, caches, log: new RecordingLogger() }).start();
    coordination.receive({ topic: "resync", key: "" });
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(["all zones", "directory", "all rules"]);
    calls.length = 0;
    coordination.setLeader(true);
    coordination.setLeader(false);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(["republish"]);
  });
});
