import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeMessage, userTopic } from "../../../protocol/index.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloudFixture.js";

const USER = "shopper-7f3a";
const SUBJECT = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:73";

/**
 * Logs are reached by neither erasure nor retention: what is logged at info or above must not say
 * where a user was (a user id with a store, zone and time), whatever their consent.
 */
describe("user ids in logs", () => {
  let f: CloudFixture;
  const log = new RecordingLogger();

  beforeAll(async () => {
    f = await createCloudFixture({ log });
    const now = Date.now();
    // Wants offers but gave no analytics consent: storage keeps their presence unlinked.
    await f.cloud.repositories.users.upsertUser(
      { id: USER, orgId: "o1", displayName: "shopper", segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: false },
      now,
    );
    await f.cloud.repositories.users.registerDevice(SUBJECT, USER, null, now);
  });
  afterAll(async () => {
    await f?.close();
  });

  it("logs an offer issued and a geofence entry by offer and event id, not by user", async () => {
    await f.ingest([presenceEvent(1, { at: new Date().toISOString(), subject: { kind: "ibeacon", id: SUBJECT } })]);
    await f.cloud.offers.idle();
    await f.cloud.geofence.handleReport(
      userTopic(USER, "location"),
      encodeMessage({ v: 1, reportId: "report-1", storeId: "s1", lat: 22.28, lon: 114.15, accuracyM: 10, at: new Date().toISOString() }),
    );
    await f.cloud.offers.idle();
    const offerId = (await f.cloud.repositories.db.get<{ id: string }>("SELECT id FROM offers WHERE user_id = ?", [USER]))?.id;
    expect(log.named("offer issued").map((e) => e.obj.offerId)).toContain(offerId);
    expect(log.named("geofence entry reported")).toHaveLength(1);
    const naming = log.entries.filter((e) => e.level !== "debug" && JSON.stringify(e.obj).includes(USER));
    expect(naming.map((e) => e.msg)).toEqual([]);
  });
});
