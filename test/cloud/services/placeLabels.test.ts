import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { PlaceLabelService } from "../../../cloud/src/services/PlaceLabelService.js";
import type { Logger } from "../../../cloud/src/services/ports.js";
import { appSubjectId, type CalibrationReport, gatewayTopic, type PlaceLabel } from "../../../protocol/index.js";
import { openTempSqlite, type TempSqlite } from "../../support/tempSqlite.js";

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };

/** The calibration part of an online status, as a gateway that learns from the till or inside reports it. */
const unsurveyed = { surveyedAt: null, samples: null, rssiOffsetDb: 0, zones: [] } satisfies CalibrationReport;
const tillLearner: CalibrationReport = { ...unsurveyed, learned: { samples: 0, refused: 0, rssiOffsetDb: null, learnedAt: null, weeks: [] } };
const insideLearner: CalibrationReport = {
  ...unsurveyed,
  learnedZones: [{ zoneId: "floor", labels: 0, refused: 0, edgeLossDb: null, targetDb: null, learnedAt: null, weeks: [] }],
};

/**
 * Labels over a real SQLite file: only the gateways that learn from a place are told of it, and a
 * store where none learns pays one read per till redemption (its gateways), not the member's.
 */
describe("PlaceLabelService", () => {
  let sqlite: TempSqlite;
  let repos: SqliteRepositories;
  let reads: string[];
  let published: { topic: string; label: PlaceLabel }[];
  let service: PlaceLabelService;

  beforeEach(async () => {
    sqlite = await openTempSqlite("arrival-labels-");
    repos = sqlite.repos;
    await repos.directory.upsertOrganisation({ id: "o1", name: "O", maxOffersPerUserPerDay: 3 }, 0);
    await repos.directory.upsertStore({ id: "s1", orgId: "o1", name: "s1", timezone: "UTC", lat: null, lon: null, tags: [] }, 0);
    for (const id of ["g1", "g2", "g3"]) await repos.directory.upsertGateway({ id, storeId: "s1", name: id }, 0);
    await repos.users.upsertUser({ id: "u1", orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: false, analyticsConsent: true }, 0);
    await repos.users.addDevice({ subjectId: "ibeacon:aa", userId: "u1", label: null, identity: null }, 0);
    reads = [];
    published = [];
    const { users, fleet } = repos;
    service = new PlaceLabelService({
      users: {
        getUser: (id) => (reads.push("user"), users.getUser(id)),
        listDevices: (id) => (reads.push("devices"), users.listDevices(id)),
      },
      fleet: { listFleet: (filter) => (reads.push("fleet"), fleet.listFleet(filter)) },
      bus: {
        publish: (topic, payload) => {
          published.push({ topic, label: JSON.parse(payload.toString()) as PlaceLabel });
          return Promise.resolve();
        },
      },
      log: silent,
    });
  });
  afterEach(() => sqlite.close());

  const online = (gatewayId: string, calibration?: CalibrationReport) =>
    repos.fleet.recordStatus({ storeId: "s1", gatewayId, state: "online", receivedAt: 10, ...(calibration ? { calibration } : {}) });
  const at = Date.parse("2026-12-07T10:00:00Z");

  it("reads only the store's gateways at a till where none learns", async () => {
    await online("g1", unsurveyed);
    await online("g2");
    expect(await service.redeemed({ storeId: "s1", userId: "u1", channel: "till", at })).toEqual({ skipped: "no-gateways" });
    expect(await service.sightedInside({ storeId: "s1", userId: "u1", at })).toEqual({ skipped: "no-gateways" });
    expect(reads).toEqual(["fleet", "fleet"]);
    expect(published).toEqual([]);
  });

  it("tells each learner the labels of its own place only", async () => {
    await online("g1", tillLearner);
    await online("g2", insideLearner);
    await online("g3", unsurveyed);
    const subjects = [appSubjectId("u1"), "ibeacon:aa"];
    expect(await service.redeemed({ storeId: "s1", userId: "u1", channel: "till", at })).toEqual({ sent: 1 });
    expect(await service.sightedInside({ storeId: "s1", userId: "u1", at: at + 1000 })).toEqual({ sent: 1 });
    expect(published).toEqual([
      { topic: gatewayTopic("s1", "g1", "labels"), label: { v: 1, place: "till", at: "2026-12-07T10:00:00.000Z", subjects } },
      { topic: gatewayTopic("s1", "g2", "labels"), label: { v: 1, place: "inside", at: "2026-12-07T10:00:01.000Z", subjects } },
    ]);
  });

  it("still asks for consent where a gateway learns, and never reads for an online order", async () => {
    await online("g1", tillLearner);
    await repos.users.upsertUser({ id: "u1", orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: false, analyticsConsent: false }, 1);
    expect(await service.redeemed({ storeId: "s1", userId: "u1", channel: "till", at })).toEqual({ skipped: "no-consent" });
    expect(await service.redeemed({ storeId: "s1", userId: "ghost", channel: "till", at })).toEqual({ skipped: "no-member" });
    expect(reads).toEqual(["fleet", "user", "fleet", "user"]);
    reads = [];
    expect(await service.redeemed({ storeId: "s1", userId: "u1", channel: "online", at })).toEqual({ skipped: "online" });
    expect(reads).toEqual([]);
    expect(published).toEqual([]);
  });
});
