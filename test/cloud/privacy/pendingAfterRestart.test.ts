import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture, presenceEvent, SUBJECT_U1 } from "../cloudFixture.js";

const SUBJECT_U3 = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:3";

/**
 * Events stored but not decided when the cloud stopped (a crash between the commit and the rules
 * engine) are decided at the next start. One of a user without analytics consent is stored with no
 * user; it must still get its offer, and storage must not keep the user once it is decided.
 */
describe("events pending a decision at a restart", () => {
  let f: CloudFixture;

  beforeAll(async () => {
    f = await createCloudFixture();
    const now = Date.now();
    // u3 wants offers but gave no analytics consent: its presence is stored unlinked.
    await f.cloud.repository.upsertUser(
      { id: "u3", orgId: "o1", displayName: "u3", segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: false },
      now,
    );
    await f.cloud.repository.registerDevice(SUBJECT_U3, "u3", null, now);
  });
  afterAll(async () => {
    await f?.close();
  });

  it("decides them after the restart, with or without analytics consent, and then forgets the link", async () => {
    const at = new Date().toISOString();
    // Stored as ingest stores them, but the rules engine never hears of them (the process died).
    await f.cloud.repository.storeBatch({
      storeId: "s1",
      gatewayId: "g1",
      outbox: "crash-outbox",
      fromSeq: 1,
      refusedSeqs: [],
      receivedAt: Date.now(),
      events: [
        presenceEvent(1, { id: "event-pending-u1", at, subject: { kind: "ibeacon", id: SUBJECT_U1 } }),
        presenceEvent(2, { id: "event-pending-u3", at, subject: { kind: "ibeacon", id: SUBJECT_U3 } }),
      ],
    });
    const db = () => f.cloud.repository.db;
    // Unlinked in storage: neither the user nor the beacon can be read back from the event.
    expect(await db().get("SELECT user_id, subject_id, decided_at FROM presence_events WHERE id = 'event-pending-u3'")).toEqual({
      user_id: null,
      subject_id: "unlinked",
      decided_at: null,
    });

    await f.restart();
    await f.cloud.offers.idle();

    const offers = await db().all<{ user_id: string; event_id: string }>(
      "SELECT user_id, event_id FROM offers WHERE event_id LIKE 'event-pending-%' ORDER BY user_id",
    );
    expect(offers).toEqual([
      { user_id: "u1", event_id: "event-pending-u1" },
      { user_id: "u3", event_id: "event-pending-u3" },
    ]);
    expect(await db().get("SELECT COUNT(*) AS n FROM presence_events WHERE decided_at IS NULL")).toEqual({ n: 0 });
    // Decided: the link is gone, and the event is still unlinked.
    expect(await db().all("SELECT * FROM pending_event_users")).toEqual([]);
    expect(await db().get("SELECT user_id, subject_id FROM presence_events WHERE id = 'event-pending-u3'")).toEqual({
      user_id: null,
      subject_id: "unlinked",
    });
  });

  it("holds the link of an unlinked event only until it is decided, in normal running too", async () => {
    await f.ingest([presenceEvent(3, { id: "event-running-u3", visitId: "visit-running-u3", subject: { kind: "ibeacon", id: SUBJECT_U3 } })], 3);
    await f.cloud.offers.idle();
    expect(await f.cloud.repository.db.all("SELECT * FROM pending_event_users")).toEqual([]);
  });
});
