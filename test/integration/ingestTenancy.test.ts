import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture, presenceEvent, SUBJECT_U1 } from "../cloud/cloudFixture.js";

/**
 * Who an event belongs to is decided within the organisation that owns the store that heard it: a
 * device, EID or app id of another retailer's shopper names nobody here, and a gateway may not
 * report a phone's own subject at all (only the phone does, through checked geofence entries).
 */
describe("ingest tenancy", () => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await createCloudFixture();
    const repo = f.cloud.repositories;
    const now = Date.now();
    await repo.directory.upsertOrganisation({ id: "o2", name: "Other retailer", maxOffersPerUserPerDay: 5 }, now);
    await repo.directory.upsertStore({ id: "s9", orgId: "o2", name: "s9", timezone: "Asia/Hong_Kong", lat: null, lon: null, tags: [] }, now);
    await repo.directory.upsertZone({ id: "z9", storeId: "s9", name: "Zone", tags: [], geometry: {} });
    await repo.directory.upsertGateway({ id: "g9", storeId: "s9", name: "Gateway" }, now);
  });
  afterAll(async () => {
    await f?.close();
  });

  const storedRow = (id: string) =>
    f.cloud.repositories.db.get<{ user_id: string | null; subject_id: string; decided_at: number | null }>(
      "SELECT user_id, subject_id, decided_at FROM presence_events WHERE id = ?",
      [id],
    );

  it("links a registered beacon heard in its owner's organisation", async () => {
    await f.ingest([presenceEvent(1, { id: "event-home-0001" })]);
    await expect(storedRow("event-home-0001")).resolves.toMatchObject({ user_id: "u1", subject_id: SUBJECT_U1 });
  });

  it("names nobody when another organisation's store hears that beacon, and decides nothing for it", async () => {
    await f.ingestAs("s9", "g9", [
      presenceEvent(1, { id: "event-away-0001", storeId: "s9", gatewayId: "g9", zoneId: "z9" }),
    ]);
    const row = await storedRow("event-away-0001");
    expect(row).toMatchObject({ user_id: null, subject_id: SUBJECT_U1 });
    expect(row?.decided_at).not.toBeNull();
  });

  it("refuses an app subject reported by a gateway, counted and not stored", async () => {
    const before = f.cloud.ingest.counters.rejections["app-subject"];
    await f.ingest([presenceEvent(2, { id: "event-posing-0001", subject: { kind: "app", id: "app:u1" } })], 2);
    expect(f.cloud.ingest.counters.rejections["app-subject"]).toBe(before + 1);
    await expect(storedRow("event-posing-0001")).resolves.toBeUndefined();
  });
});
