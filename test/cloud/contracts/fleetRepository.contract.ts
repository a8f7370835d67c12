import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type GatewayRemoteConfig, type Telemetry } from "../../../protocol/index.js";
import type { FleetRepository } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, type MakeBackend, org, store } from "./repositoryContract.js";

const telemetry = (version: string, eventsSent: number): Telemetry => ({
  v: PROTOCOL_VERSION,
  at: "2026-11-22T09:00:00.000Z",
  version,
  uptimeS: 10,
  advertsPerS: 5,
  subjectsTracked: 2,
  outboxDepth: 0,
  outboxOldestAgeS: 0,
  eventsSent,
  reconnects: 0,
  cpuPercent: 3,
  rssBytes: 1000,
});

const config = (revision: number): GatewayRemoteConfig => ({ v: PROTOCOL_VERSION, revision, zones: [] });

/** What every backend's FleetRepository does: gateway health as last heard and desired configs. */
export function describeFleetRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`FleetRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let fleet: FleetRepository;
    const g1 = { storeId: "s1", gatewayId: "g1" };

    beforeEach(async () => {
      backend = await makeBackend();
      fleet = backend.repos.fleet;
      const { directory } = backend.repos;
      await directory.upsertOrganisation(org("o1"), 0);
      await directory.upsertOrganisation(org("o2"), 0);
      await directory.upsertStore(store("s1", "o1"), 0);
      await directory.upsertStore(store("s2", "o1"), 0);
      await directory.upsertStore(store("x1", "o2"), 0);
      await directory.upsertGateway({ id: "g2", storeId: "s1", name: "B" }, 0);
      await directory.upsertGateway({ id: "g1", storeId: "s1", name: "A" }, 0);
      await directory.upsertGateway({ id: "g3", storeId: "s2", name: "C" }, 0);
      await directory.upsertGateway({ id: "gx", storeId: "x1", name: "X" }, 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("lists registered gateways by store and id, per organisation or store, never heard yet", async () => {
      expect((await fleet.listFleet({ orgId: "o1" })).map((g) => g.id)).toEqual(["g1", "g2", "g3"]);
      expect((await fleet.listFleet({ orgId: "o1", storeId: "s2" })).map((g) => g.id)).toEqual(["g3"]);
      expect((await fleet.listFleet({ orgId: "o1", storeId: "x1" })).map((g) => g.id)).toEqual([]);
      expect((await fleet.listFleet({})).map((g) => g.id)).toEqual(["g1", "g2", "g3", "gx"]);
      expect(await fleet.getFleetGateway("g1")).toEqual({
        id: "g1",
        storeId: "s1",
        name: "A",
        reportedState: null,
        offlineSince: null,
        lastSeenAt: null,
        version: null,
        telemetry: null,
        reportedConfig: null,
        desiredRevision: null,
        scan: null,
        update: null,
        advertising: null,
        calibration: null,
        telemetryAt: null,
      });
      expect(await fleet.getFleetGateway("ghost")).toBeNull();
    });

    it("records a status only for a gateway registered in that store", async () => {
      expect(await fleet.recordStatus({ storeId: "s2", gatewayId: "g1", state: "online", receivedAt: 5 })).toBe(false);
      expect(await fleet.recordStatus({ storeId: "s1", gatewayId: "ghost", state: "online", receivedAt: 5 })).toBe(false);
      expect((await fleet.getFleetGateway("g1"))?.reportedState).toBeNull();
    });

    it("keeps the store beacon an online status reports, and clears it when one does not", async () => {
      const advertising = { state: "advertising" as const, format: "eddystone-eid" as const, slotStart: "2026-12-07T10:00:00.000Z" };
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 100, advertising });
      expect((await fleet.getFleetGateway("g1"))?.advertising).toEqual(advertising);
      // The will says nothing about the radio: what was reported stays.
      await fleet.recordStatus({ ...g1, state: "offline", receivedAt: 150 });
      expect((await fleet.getFleetGateway("g1"))?.advertising).toEqual(advertising);
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 200 });
      expect((await fleet.getFleetGateway("g1"))?.advertising).toBeNull();
    });

    it("keeps the calibration an online status reports through a will, and clears it when one does not", async () => {
      const calibration = {
        surveyedAt: "2026-12-07T09:30:00.000Z",
        samples: 42,
        rssiOffsetDb: -6.5,
        zones: [
          { zoneId: "floor", edgeLossDb: 71.5 },
          { zoneId: "till", edgeLossDb: null },
        ],
      };
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 100, calibration });
      expect((await fleet.getFleetGateway("g1"))?.calibration).toEqual(calibration);
      expect((await fleet.listFleet({ storeId: "s1" })).find((g) => g.id === "g1")?.calibration).toEqual(calibration);
      expect((await fleet.getFleetGateway("g2"))?.calibration).toBeNull();
      await fleet.recordStatus({ ...g1, state: "offline", receivedAt: 150 });
      expect((await fleet.getFleetGateway("g1"))?.calibration).toEqual(calibration);
      const unsurveyed = { surveyedAt: null, samples: null, rssiOffsetDb: 0, zones: [] };
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 200, calibration: unsurveyed });
      expect((await fleet.getFleetGateway("g1"))?.calibration).toEqual(unsurveyed);
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 250 });
      expect((await fleet.getFleetGateway("g1"))?.calibration).toBeNull();
    });

    it("keeps the latest telemetry with its LAN peers and when it was received", async () => {
      const peers = [
        { id: "g2", lastHeardAgeS: 1.5, sightingsReceived: 400, refused: 1, lateDropped: 3, clockOffsetMs: -2980 },
        { id: "g9", lastHeardAgeS: null, sightingsReceived: 0, refused: 0, lateDropped: 0, clockOffsetMs: null },
      ];
      const recovery = { missed: 5, requested: 4, resent: 2, recovered: 4, givenUp: 1 };
      const sample = { ...telemetry("1.0.0", 1), lan: { sightingsReceived: 400, lateDropped: 3, refused: 2, peers, clockOffsetMs: -1490, recovery } };
      await fleet.recordTelemetry({ ...g1, telemetry: sample, receivedAt: 1_000, minSpacingMs: 60 });
      await fleet.recordTelemetry({ ...g1, telemetry: telemetry("1.0.0", 2), receivedAt: 1_010, minSpacingMs: 60 });
      // The latest sample wins, with its receipt time: the older peers are not kept beside it.
      expect((await fleet.getFleetGateway("g1"))?.telemetryAt).toBe(1_010);
      expect((await fleet.getFleetGateway("g1"))?.telemetry?.lan).toBeUndefined();
      await fleet.recordTelemetry({ ...g1, telemetry: sample, receivedAt: 1_020, minSpacingMs: 60 });
      const stored = await fleet.getFleetGateway("g1");
      expect(stored?.telemetryAt).toBe(1_020);
      expect(stored?.telemetry?.lan?.peers).toEqual(peers);
      expect(stored?.telemetry?.lan).toMatchObject({ clockOffsetMs: -1490, recovery });
    });

    it("goes online with version and config, offline from the first will on, online again clearing a config it no longer reports", async () => {
      const applied = { revision: 3, state: "applied" as const };
      expect(await fleet.recordStatus({ ...g1, state: "online", receivedAt: 100, version: "1.2.0", config: applied })).toBe(true);
      expect(await fleet.getFleetGateway("g1")).toMatchObject({
        reportedState: "online",
        lastSeenAt: 100,
        offlineSince: null,
        version: "1.2.0",
        reportedConfig: applied,
      });
      await fleet.recordStatus({ ...g1, state: "offline", receivedAt: 200 });
      await fleet.recordStatus({ ...g1, state: "offline", receivedAt: 300 });
      // The will is the broker's word: last seen stays, the config report stays, the first time counts.
      expect(await fleet.getFleetGateway("g1")).toMatchObject({
        reportedState: "offline",
        offlineSince: 200,
        lastSeenAt: 100,
        reportedConfig: applied,
        version: "1.2.0",
      });
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 400 });
      expect(await fleet.getFleetGateway("g1")).toMatchObject({
        reportedState: "online",
        offlineSince: null,
        lastSeenAt: 400,
        reportedConfig: null,
        version: "1.2.0",
      });
    });

    it("keeps the radio of the last online status; an offline status keeps it, an online one without it clears it", async () => {
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 100, scan: { state: "interrupted", lastAdvertAt: 40 } });
      expect((await fleet.getFleetGateway("g1"))?.scan).toEqual({ state: "interrupted", lastAdvertAt: 40 });
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 200, scan: { state: "scanning", lastAdvertAt: null } });
      expect((await fleet.getFleetGateway("g1"))?.scan).toEqual({ state: "scanning", lastAdvertAt: null });
      await fleet.recordStatus({ ...g1, state: "offline", receivedAt: 300 });
      expect((await fleet.getFleetGateway("g1"))?.scan).toEqual({ state: "scanning", lastAdvertAt: null });
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 400 });
      expect((await fleet.getFleetGateway("g1"))?.scan).toBeNull();
    });

    it("keeps the last software update of the last online status as reported", async () => {
      const report = { outcome: "rolled-back" as const, from: "0.1.0-aaa", to: "0.2.0-bbb", reason: "not healthy within 120 s", at: "2026-03-02T09:00:00.000Z" };
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 100, update: report });
      expect((await fleet.getFleetGateway("g1"))?.update).toEqual(report);
      await fleet.recordStatus({ ...g1, state: "offline", receivedAt: 200 });
      expect((await fleet.getFleetGateway("g1"))?.update).toEqual(report);
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 300 });
      expect((await fleet.getFleetGateway("g1"))?.update).toBeNull();
    });

    it("keeps one rollout per store; a new one replaces it unpaused; pausing an absent one is false", async () => {
      const rollout = { storeId: "s1", release: "0.2.0-0123456789ab", url: "https://r.example/a.tgz", sha256: "f".repeat(64), canaryShare: 0.1, healthGateMs: 600_000 };
      expect(await fleet.getRollout("s1")).toBeNull();
      await fleet.putRollout(rollout, 10);
      expect(await fleet.getRollout("s1")).toEqual({ ...rollout, paused: false, createdAt: 10, updatedAt: 10 });
      expect(await fleet.setRolloutPaused("s1", true, 20)).toBe(true);
      expect(await fleet.getRollout("s1")).toMatchObject({ paused: true, updatedAt: 20 });
      await fleet.putRollout({ ...rollout, release: "0.3.0-0123456789ab" }, 30);
      expect(await fleet.getRollout("s1")).toMatchObject({ release: "0.3.0-0123456789ab", paused: false, createdAt: 30 });
      expect(await fleet.setRolloutPaused("s2", true, 40)).toBe(false);
      expect((await fleet.listRollouts()).map((r) => r.storeId)).toEqual(["s1"]);
    });

    it("takes telemetry as a sign of life, and keeps history samples at least minSpacingMs apart", async () => {
      await fleet.recordStatus({ ...g1, state: "offline", receivedAt: 50 });
      expect(await fleet.recordTelemetry({ ...g1, telemetry: telemetry("1.0.0", 1), receivedAt: 100, minSpacingMs: 60 })).toBe(true);
      expect(await fleet.recordTelemetry({ ...g1, telemetry: telemetry("1.0.1", 2), receivedAt: 130, minSpacingMs: 60 })).toBe(true);
      expect(await fleet.recordTelemetry({ ...g1, telemetry: telemetry("1.0.1", 3), receivedAt: 160, minSpacingMs: 60 })).toBe(true);
      expect(await fleet.getFleetGateway("g1")).toMatchObject({
        reportedState: "online",
        offlineSince: null,
        lastSeenAt: 160,
        version: "1.0.1",
        telemetry: telemetry("1.0.1", 3),
      });
      expect((await fleet.telemetryHistory("g1", { limit: 10 })).map((t) => t.eventsSent)).toEqual([1, 3]);
      expect(await fleet.recordTelemetry({ storeId: "s2", gatewayId: "g1", telemetry: telemetry("x", 9), receivedAt: 200, minSpacingMs: 0 })).toBe(false);
    });

    it("reads history within a range, the most recent samples oldest first, and prunes by age", async () => {
      for (const [i, at] of [100, 200, 300, 400, 500].entries())
        await fleet.recordTelemetry({ ...g1, telemetry: telemetry("1", i), receivedAt: at, minSpacingMs: 0 });
      await fleet.recordTelemetry({ storeId: "s1", gatewayId: "g2", telemetry: telemetry("1", 99), receivedAt: 100, minSpacingMs: 0 });
      expect((await fleet.telemetryHistory("g1", { limit: 2 })).map((t) => t.eventsSent)).toEqual([3, 4]);
      expect((await fleet.telemetryHistory("g1", { from: 200, to: 400, limit: 10 })).map((t) => t.eventsSent)).toEqual([1, 2, 3]);
      expect(await fleet.pruneTelemetry(300)).toBe(3);
      expect((await fleet.telemetryHistory("g1", { limit: 10 })).map((t) => t.eventsSent)).toEqual([2, 3, 4]);
      expect(await fleet.telemetryHistory("g2", { limit: 10 })).toEqual([]);
    });

    it("moves last seen forward only, skipping gateways it does not know", async () => {
      await fleet.recordHeard([
        { ...g1, at: 500 },
        { storeId: "s1", gatewayId: "ghost", at: 600 },
        { storeId: "s2", gatewayId: "g2", at: 700 },
      ]);
      await fleet.recordHeard([{ ...g1, at: 400 }]);
      expect((await fleet.getFleetGateway("g1"))?.lastSeenAt).toBe(500);
      expect((await fleet.getFleetGateway("g2"))?.lastSeenAt).toBeNull();
      await fleet.recordHeard([]);
    });

    it("builds each desired config from the current one, so revisions follow each other", async () => {
      const seen: unknown[] = [];
      const next = (current: { desiredRevision: number | null; reportedRevision: number | null; desired: GatewayRemoteConfig | null }) => {
        seen.push(current);
        return config((current.desiredRevision ?? 0) + 1);
      };
      expect(await fleet.putDesiredConfig("g1", next, 10)).toEqual(config(1));
      await fleet.recordStatus({ ...g1, state: "online", receivedAt: 20, config: { revision: 1, state: "applied" } });
      const [a, b] = await Promise.all([fleet.putDesiredConfig("g1", next, 30), fleet.putDesiredConfig("g1", next, 30)]);
      expect([a?.revision, b?.revision].sort()).toEqual([2, 3]);
      expect(seen[1]).toEqual({ desiredRevision: 1, reportedRevision: 1, desired: config(1) });
      expect((await fleet.getFleetGateway("g1"))?.desiredRevision).toBe(3);
      await expect(fleet.putDesiredConfig("ghost", next, 40)).rejects.toThrow();
    });

    it("lists every desired config by store and gateway", async () => {
      await fleet.putDesiredConfig("g3", () => config(1), 0);
      await fleet.putDesiredConfig("g2", () => config(4), 0);
      await fleet.putDesiredConfig("g1", () => config(2), 0);
      expect(await fleet.desiredConfigs()).toEqual([
        { storeId: "s1", gatewayId: "g1", config: config(2) },
        { storeId: "s1", gatewayId: "g2", config: config(4) },
        { storeId: "s2", gatewayId: "g3", config: config(1) },
      ]);
    });
  });
}
