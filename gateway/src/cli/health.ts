import type { HealthSnapshot } from "../adapters/system/HealthFile.js";

/** Help text for `arrival-gateway health`. */
export const HEALTH_USAGE = `Usage: arrival-gateway health [--config FILE] [--max-age SECONDS] [--json]

Says whether the gateway running with this config is healthy: its process is alive, it is this
very release (the one the command runs from), it is connected to the broker and its radio scans,
as its <dataDir>/health.json says (written every 5 s; older than --max-age, default 30, counts as
a hung gateway). install-release.sh update runs it after switching to a new release, and switches
back when it does not pass in time.

Exit codes: 0 healthy, 1 not healthy (the reason is printed), 2 bad options or config.`;

export interface HealthVerdict {
  readonly healthy: boolean;
  readonly reason: string;
}

/** What the health check compares the snapshot with. */
export interface HealthExpectation {
  readonly now: number;
  readonly maxAgeMs: number;
  /** The release this command runs from: the gateway must be running the same one. */
  readonly packageDir: string;
  readonly processExists: (pid: number) => boolean;
}

/** The verdict on a snapshot (null: the gateway never wrote one). Pure. */
export function judgeHealth(snapshot: HealthSnapshot | null, e: HealthExpectation): HealthVerdict {
  if (snapshot === null) return { healthy: false, reason: "no health file: the gateway has not started (or not this far)" };
  if (!e.processExists(snapshot.pid)) return { healthy: false, reason: `the gateway (pid ${snapshot.pid}) is not running` };
  if (snapshot.packageDir !== e.packageDir)
    return { healthy: false, reason: `the running gateway is ${snapshot.packageDir} (${snapshot.version}), not ${e.packageDir}` };
  const ageMs = e.now - snapshot.at;
  if (ageMs > e.maxAgeMs) return { healthy: false, reason: `its health file is ${Math.round(ageMs / 1000)} s old: the gateway is hung` };
  if (!snapshot.connected) return { healthy: false, reason: "not connected to the broker" };
  if (snapshot.scan.state !== "scanning") return { healthy: false, reason: "its radio is interrupted" };
  return { healthy: true, reason: `healthy: ${snapshot.version}, connected and scanning (pid ${snapshot.pid})` };
}
