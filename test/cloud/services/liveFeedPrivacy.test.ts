import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addShopperWithoutAnalytics,
  type CloudFixture,
  createCloudFixture,
  presenceEvent,
  SUBJECT_U1,
  SUBJECT_U2,
  SUBJECT_U3,
} from "../cloudFixture.js";

interface LiveBody {
  stores: {
    zones: { zoneId: string; present: { subjectId: string; userId: string | null }[]; unlinked: number; arrivals: number }[];
    offers: { userId: string | null; zoneId: string }[];
  }[];
}

/** The console's live view through the real cloud: ingest → storage → feed → GET /v1/live. */
describe("live feed privacy", () => {
  let f: CloudFixture;
  const live = async () => {
    const res = await f.cloud.http.inject({ url: "/v1/live", headers: { authorization: `Bearer ${f.keys.storeOps}` } });
    expect(res.statusCode).toBe(200);
    return res.json<LiveBody>();
  };

  beforeAll(async () => {
    f = await createCloudFixture();
    await addShopperWithoutAnalytics(f);
  });
  afterAll(async () => {
    await f?.close();
  });

  it("counts a shopper without analytics consent but never lists them", async () => {
    await f.ingest([
      presenceEvent(1, { at: new Date().toISOString() }),
      presenceEvent(2, { at: new Date().toISOString(), subject: { kind: "ibeacon", id: SUBJECT_U3 } }),
    ]);
    await f.cloud.offers.idle();
    await expect.poll(async () => (await live()).stores[0]?.zones[0]?.arrivals).toBe(2);
    const body = await live();
    const zone = body.stores[0]?.zones[0];
    expect(zone?.present).toEqual([expect.objectContaining({ subjectId: SUBJECT_U1, userId: "u1" })]);
    expect(zone?.unlinked).toBe(1);
    expect(JSON.stringify(zone)).not.toContain(SUBJECT_U3);
    expect(JSON.stringify(zone)).not.toContain("u3");
  });

  it("lists the offer to a shopper without analytics consent without their user id", async () => {
    // Both entered with a live enter rule and marketing consent: each gets an offer.
    await expect.poll(async () => (await live()).stores[0]?.offers.length).toBe(2);
    const body = await live();
    expect(body.stores[0]?.offers.map((o) => o.userId).sort()).toEqual(["u1", null].sort());
    expect(JSON.stringify(body)).not.toContain("u3");
    expect(JSON.stringify(body)).not.toContain(SUBJECT_U3);
  });

  it("stops naming a user who withdraws analytics consent", async () => {
    await f.ingest([presenceEvent(3, { at: new Date().toISOString(), subject: { kind: "ibeacon", id: SUBJECT_U2 } })], 3);
    await f.cloud.offers.idle();
    await expect.poll(async () => JSON.stringify(await live())).toContain(SUBJECT_U2);
    const res = await f.cloud.http.inject({
      method: "PUT",
      url: "/v1/users/u2/consent",
      headers: { authorization: `Bearer ${f.keys.appU2}` },
      payload: { marketing: false, analytics: false },
    });
    expect(res.statusCode).toBe(200);
    const body = await live();
    expect(JSON.stringify(body)).not.toContain(SUBJECT_U2);
    expect(JSON.stringify(body)).not.toContain('"u2"');
    expect(body.stores[0]?.zones[0]?.unlinked).toBe(2);
  });

  it("names a user again from the moment they give analytics consent again", async () => {
    const res = await f.cloud.http.inject({
      method: "PUT",
      url: "/v1/users/u2/consent",
      headers: { authorization: `Bearer ${f.keys.appU2}` },
      payload: { marketing: false, analytics: true },
    });
    expect(res.statusCode).toBe(200);
    // A new visit, stored linked: listed under u2 again (in a zone of its own, which ingest must know).
    await f.cloud.repositories.directory.upsertZone({ id: "z2", storeId: "s1", name: "Zone 2", tags: [], geometry: {} });
    await f.ingest([presenceEvent(9, { at: new Date().toISOString(), zoneId: "z2", subject: { kind: "ibeacon", id: SUBJECT_U2 } })], 9);
    await expect
      .poll(async () => (await live()).stores[0]?.zones.find((z) => z.zoneId === "z2")?.present.map((p) => p.userId))
      .toEqual(["u2"]);
  });

  it("drops an erased user from the live view", async () => {
    await expect.poll(async () => (await live()).stores[0]?.offers.some((o) => o.userId === "u1")).toBe(true);
    const res = await f.cloud.http.inject({
      method: "DELETE",
      url: "/v1/users/u1",
      headers: { authorization: `Bearer ${f.keys.admin}` },
    });
    expect(res.statusCode).toBe(200);
    const body = await live();
    expect(JSON.stringify(body)).not.toContain("u1");
    expect(JSON.stringify(body)).not.toContain(SUBJECT_U1);
  });
});
