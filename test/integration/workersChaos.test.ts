import { describe, expect, it } from "vitest";
import { MOSQUITTO_AVAILABLE, MOSQUITTO_SKIP_REASON } from "../support/mosquitto.js";
import { POSTGRES_AVAILABLE, POSTGRES_SKIP_REASON } from "../support/postgres.js";
import { runWorkerChaos } from "../support/workerChaos.js";

const available = POSTGRES_AVAILABLE && MOSQUITTO_AVAILABLE;
const skipReason = [POSTGRES_SKIP_REASON, MOSQUITTO_SKIP_REASON].filter((r) => r !== null).join("; ");

/**
 * The short form of the worker chaos run (scripts/chaos/workers.ts is the long one, same code): three
 * `arrival-cloud serve` processes on a private PostgreSQL behind a private mosquitto, two stores
 * with a gateway each streaming arrivals of registered shoppers for 30 s, a worker killed with
 * SIGKILL and restarted every 8 s, PostgreSQL and mosquitto restarted once each. The books must
 * balance: no event lost or stored twice, every arrival decided, no second offer for one (rule,
 * user, visit), every outbox acknowledged to its end.
 */
describe.skipIf(!available)(`cloud workers under kill -9 and restarts${available ? "" : ` (skipped: ${skipReason})`}`, () => {
  it("loses nothing, stores and offers nothing twice and drains every outbox", { timeout: 150_000 }, async () => {
    const report = await runWorkerChaos({
      workers: 3,
      stores: 2,
      gatewaysPerStore: 1,
      shoppers: 40,
      loadMs: 30_000,
      killEveryMs: 8_000,
      arrivalEveryMs: 250,
      drainTimeoutMs: 45_000,
      seed: 7,
    });
    const timeline = report.timeline.join("\n");
    expect(report.failures, `${timeline}\nlogs: ${report.dir}`).toEqual([]);
    // Kills at 8, 16 and 24 s; a slow recovery on a loaded machine may push the last past the load.
    expect(report.kills).toBeGreaterThanOrEqual(2);
    expect(report.postgresRestarts).toBe(1);
    expect(report.mosquittoRestarts).toBe(1);
    expect(report.crashes).toEqual([]);
    expect(report.lost).toBe(0);
    expect(report.storedTwice).toBe(0);
    expect(report.stored).toBe(report.produced);
    expect(report.doubleOffers).toBe(0);
    expect(report.doubleOffersPerStoreVisit).toBe(0);
    expect(report.arrivalsWithoutDecision).toBe(0);
    expect(report.undrained).toBe(0);
    expect(report.offers).toBeGreaterThan(0);
  });
});
