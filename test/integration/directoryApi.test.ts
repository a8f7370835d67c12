/**
 * The directory API's behaviour over a real cloud: stores (time zones, location, tenancy), zones
 * (the protocol's zone shapes), profiles and consent (who may set it), registered beacons (the
 * gateway's subject ids) and the events/visits queries (filters, opaque cursor paging).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDayKey } from "../../cloud/src/domain/rules/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloud/cloudFixture.js";

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; details?: { path: string }[] } };
}

describe("directory API", () => {
  let f: CloudFixture;
  let otherOrgAdmin: string;
  let storeOpsS1: string;

  const api = async (method: string, url: string, key: string, body?: unknown): Promise<Reply> => {
    const res = await f.cloud.http.inject({
      method: method as "GET",
      url,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    f = await createCloudFixture();
    await f.cloud.repositories.directory.upsertOrganisation({ id: "o2", name: "Other", maxOffersPerUserPerDay: 3 }, Date.now());
    otherOrgAdmin = (await f.cloud.credentials.issueApiKey({ role: "admin", orgId: "o2", label: "o2" }, "test")).key;
    storeOpsS1 = (await f.cloud.credentials.issueApiKey({ role: "store-ops", orgId: "o1", storeId: "s1", label: "ops" }, "test")).key;
  });
  afterAll(async () => {
    await f?.close();
  });

  describe("stores", () => {
    it("stores the canonical IANA name and refuses unknown zones and offsets, with the path", async () => {
      const created = await api("POST", "/v1/stores", f.keys.admin, {
        id: "hk-central",
        name: "Central",
        timezone: "asia/hong_kong",
        location: { lat: 22.2819, lon: 114.1582 },
        address: "1 Queen's Road Central",
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ timezone: "Asia/Hong_Kong", location: { lat: 22.2819, lon: 114.1582 } });
      for (const timezone of ["Mars/Olympus_Mons", "+08:00", "GMT+8 "]) {
        const refused = await api("POST", "/v1/stores", f.keys.admin, { id: "bad-tz", name: "x", timezone });
        expect(refused.status, timezone).toBe(400);
        expect(refused.body.error?.details?.[0]?.path).toBe("/timezone");
      }
      const outOfRange = await api("POST", "/v1/stores", f.keys.admin, { id: "bad-loc", name: "x", timezone: "UTC", location: { lat: 91, lon: 0 } });
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.body.error?.message).toContain("/location/lat");
      expect((await api("POST", "/v1/stores", f.keys.admin, { id: "hk-central", name: "again", timezone: "UTC" })).status).toBe(409);
    });

    it("changes only the fields sent", async () => {
      const patched = await api("PATCH", "/v1/stores/hk-central", f.keys.admin, { address: null, name: "Central (IFC)" });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({
        id: "hk-central",
        name: "Central (IFC)",
        timezone: "Asia/Hong_Kong",
        location: { lat: 22.2819, lon: 114.1582 },
        address: null,
        tags: [],
      });
      expect((await api("PATCH", "/v1/stores/hk-central", f.keys.admin, {})).status).toBe(400);
    });

    it("lists only the caller's organisation, and only its store for a store-bound key", async () => {
      const ids = async (key: string) => ((await api("GET", "/v1/stores", key)).body.stores as { id: string }[]).map((s) => s.id);
      expect(await ids(f.keys.admin)).toEqual(["hk-central", "s1", "s2"]);
      expect(await ids(storeOpsS1)).toEqual(["s1"]);
      expect(await ids(otherOrgAdmin)).toEqual([]);
      expect((await api("GET", "/v1/stores/hk-central", otherOrgAdmin)).body.error?.code).toBe("NOT_FOUND");
      expect((await api("GET", "/v1/stores/no-such-store", otherOrgAdmin)).body.error?.message).toBe("no store no-such-store");
    });
  });

  describe("zones", () => {
    it("creates each protocol zone shape and checks a gateway-radius zone's gateway", async () => {
      const radius = await api("POST", "/v1/stores/s1/zones", f.keys.admin, {
        zone: { id: "door", name: "Door", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 },
        tags: ["entrance"],
      });
      expect(radius.status).toBe(201);
      expect(radius.body).toEqual({
        id: "door",
        storeId: "s1",
        name: "Door",
        tags: ["entrance"],
        zone: { id: "door", name: "Door", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 },
      });
      const polygon = {
        id: "mall",
        shape: "polygon",
        points: [
          { lat: 22.28, lon: 114.15 },
          { lat: 22.29, lon: 114.15 },
          { lat: 22.29, lon: 114.16 },
        ],
      };
      expect((await api("POST", "/v1/stores/s1/zones", storeOpsS1, { zone: polygon })).status).toBe(201);
      const foreign = await api("POST", "/v1/stores/s2/zones", f.keys.admin, {
        zone: { id: "door", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 },
      });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error?.details?.[0]?.path).toBe("/zone/gatewayId");
      const twoPoints = await api("POST", "/v1/stores/s1/zones", f.keys.admin, {
        zone: { ...polygon, id: "line", points: polygon.points.slice(0, 2) },
      });
      expect(twoPoints.status).toBe(400);
      expect(twoPoints.body.error?.message).toContain("/zone/points");
      const noShape = await api("POST", "/v1/stores/s1/zones", f.keys.admin, { zone: { id: "x", shape: "square" } });
      expect(noShape.body.error?.message).toContain("/zone/shape");
      expect((await api("POST", "/v1/stores/s1/zones", f.keys.admin, { zone: polygon })).status).toBe(409);
    });

    it("replaces, refuses an id that differs from the path, and deletes", async () => {
      const circle = { id: "door", shape: "circle", center: { lat: 22.28, lon: 114.15 }, radiusM: 12 };
      const replaced = await api("PUT", "/v1/stores/s1/zones/door", f.keys.admin, { zone: circle });
      expect(replaced.status).toBe(200);
      expect(replaced.body.zone).toEqual(circle);
      expect((await api("PUT", "/v1/stores/s1/zones/mall", f.keys.admin, { zone: circle })).status).toBe(400);
      expect((await api("PUT", "/v1/stores/s1/zones/ghost", f.keys.admin, { zone: { ...circle, id: "ghost" } })).status).toBe(404);
      expect((await api("DELETE", "/v1/stores/s1/zones/door", storeOpsS1)).status).toBe(200);
      expect((await api("GET", "/v1/stores/s1/zones/door", f.keys.admin)).status).toBe(404);
      // A zone stored without a valid geometry (before validation) is listed with `zone: null`.
      const zones = (await api("GET", "/v1/stores/s1/zones", f.keys.marketer)).body.zones as { id: string; zone: unknown }[];
      expect(zones.find((z) => z.id === "z1")?.zone).toBeNull();
    });
  });

  describe("users", () => {
    it("keeps consent to the user and admins: a marketer's upsert may not carry it", async () => {
      const profile = { displayName: "Kai", segments: ["student", "student"], loyaltyTier: "silver" };
      const created = await api("PUT", "/v1/users/kai-01", f.keys.marketer, profile);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: "kai-01",
        displayName: "Kai",
        segments: ["student"],
        loyaltyTier: "silver",
        consent: { marketing: false, analytics: false },
      });
      const granted = await api("PUT", "/v1/users/kai-01", f.keys.marketer, { ...profile, consent: { marketing: true, analytics: true } });
      expect(granted.status).toBe(403);
      expect((await api("PUT", "/v1/users/kai-01", f.keys.admin, { ...profile, consent: { marketing: true, analytics: false } })).status).toBe(200);
      // A later CRM upsert without consent keeps what the user said.
      const kept = await api("PUT", "/v1/users/kai-01", f.keys.marketer, { segments: [] });
      expect(kept.body).toMatchObject({ displayName: null, segments: [], consent: { marketing: true, analytics: false } });
      const app = (await f.cloud.credentials.issueApiKey({ role: "app", orgId: "o1", userId: "kai-01", label: "phone" }, "t")).key;
      const withdrawn = await api("PUT", "/v1/users/kai-01/consent", app, { marketing: false, analytics: false });
      expect(withdrawn.body.consent).toEqual({ marketing: false, analytics: false });
      // Another organisation cannot take over the id.
      expect((await api("PUT", "/v1/users/kai-01", otherOrgAdmin, profile)).status).toBe(404);
    });

    it("registers a beacon under the gateway's subject id, once, and links its events to the user", async () => {
      const identity = { kind: "ibeacon", uuid: "E2C56DB5DFFB48D2B060D0F5A71096E0", major: 10, minor: 3 };
      const added = await api("POST", "/v1/users/kai-01/devices", f.keys.admin, { identity, label: "watch" });
      expect(added.status).toBe(201);
      const subjectId = "ibeacon:e2c56db5-dffb-48d2-b060-d0f5a71096e0:10:3";
      expect(added.body).toMatchObject({ subjectId, label: "watch", identity });
      expect((await api("POST", "/v1/users/kai-01/devices", f.keys.admin, { identity, label: "watch 2" })).status).toBe(200);
      expect((await api("POST", "/v1/users/u1/devices", f.keys.admin, { identity })).status).toBe(409);
      await f.ingest([presenceEvent(1, { id: "event-kai-0001", subject: { kind: "ibeacon", id: subjectId } })]);
      // Kai withdrew analytics consent above: the event is stored in aggregate only, with neither
      // Kai nor the beacon's id, so no history of where Kai was can be read back, even later.
      const anonymous = await api("GET", `/v1/stores/s1/events?subjectId=${subjectId}`, f.keys.marketer);
      expect(anonymous.body.events).toEqual([]);
      expect((await api("GET", "/v1/stores/s1/events?userId=kai-01", f.keys.marketer)).body.events).toEqual([]);
      const app = (await f.cloud.credentials.issueApiKey({ role: "app", orgId: "o1", userId: "kai-01", label: "tablet" }, "t")).key;
      expect((await api("PUT", "/v1/users/kai-01/consent", app, { marketing: false, analytics: true })).status).toBe(200);
      expect((await api("GET", "/v1/stores/s1/events?userId=kai-01", f.keys.marketer)).body.events).toEqual([]);
      // From the consent on, Kai's presence is linked to Kai.
      await f.ingest([presenceEvent(2, { id: "event-kai-0002", subject: { kind: "ibeacon", id: subjectId } })]);
      const events = await api("GET", "/v1/stores/s1/events?userId=kai-01", f.keys.marketer);
      expect(events.body.events).toMatchObject([{ id: "event-kai-0002", userId: "kai-01" }]);
      expect((await api("DELETE", `/v1/users/kai-01/devices/${subjectId}`, f.keys.admin)).status).toBe(200);
      expect((await api("GET", "/v1/users/kai-01/devices", f.keys.admin)).body.devices).toEqual([]);
    });
  });

  describe("events and visits", () => {
    // An hour ago on the minute: ingest refuses dates older than the outbox can hold.
    const base = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    beforeAll(async () => {
      // Ingest refuses events for zones the store does not have.
      await f.cloud.repositories.directory.upsertZone({ id: "z2", storeId: "s1", name: "Zone 2", tags: [], geometry: {} });
      // Ten events at s1, a minute apart, alternating zones; then one at s2.
      const events = Array.from({ length: 10 }, (_, i) =>
        presenceEvent(100 + i, {
          id: `event-page-${String(i).padStart(4, "0")}`,
          zoneId: i % 2 === 0 ? "z1" : "z2",
          type: i % 3 === 0 ? "exit" : "enter",
          dwellMs: 1000,
          at: new Date(base + i * 60_000).toISOString(),
          visitId: `visit-page-${i}`,
        }),
      );
      await f.ingest(events, 100);
    });

    it("pages newest first with an opaque cursor, each event once", async () => {
      const from = new Date(base).toISOString();
      const to = new Date(base + 3_600_000).toISOString();
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/v1/stores/s1/events?from=${from}&to=${to}&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
        const page = await api("GET", url, storeOpsS1);
        expect(page.status).toBe(200);
        seen.push(...(page.body.events as { id: string }[]).map((e) => e.id));
        cursor = page.body.nextCursor as string | null;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `event-page-${String(9 - i).padStart(4, "0")}`));
      expect(pages).toBe(4);
    });

    it("filters by time, zone, type and subject", async () => {
      const ids = async (query: string) =>
        ((await api("GET", `/v1/stores/s1/events?${query}`, f.keys.admin)).body.events as { id: string }[]).map((e) => e.id);
      const to = new Date(base + 3 * 60_000).toISOString();
      expect(await ids(`from=${new Date(base).toISOString()}&to=${to}`)).toEqual(["event-page-0002", "event-page-0001", "event-page-0000"]);
      expect(await ids(`from=${new Date(base).toISOString()}&zoneId=z2&type=enter`)).toEqual(["event-page-0007", "event-page-0005", "event-page-0001"]);
      const visits = await api("GET", `/v1/stores/s1/visits?zoneId=z2&from=${new Date(base).toISOString()}&limit=2`, f.keys.marketer);
      expect((visits.body.visits as { id: string }[]).map((v) => v.id)).toEqual(["visit-page-9", "visit-page-7"]);
      expect(visits.body.nextCursor).not.toBeNull();
    });

    it("takes a day without a time as its midnight in the store's timezone", async () => {
      const ids = async (query: string) => {
        const res = await api("GET", `/v1/stores/s1/events?${query}`, f.keys.admin);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return (res.body.events as { id: string }[]).map((e) => e.id).filter((id) => id.startsWith("event-page-"));
      };
      // s1 is in Hong Kong: its day starts at 16:00 UTC the day before.
      const day = localDayKey(base, "Asia/Hong_Kong");
      const after = addDays(localDayKey(base + 9 * 60_000, "Asia/Hong_Kong"), 1);
      expect(await ids(`from=${day}&to=${after}`)).toHaveLength(10);
      expect(await ids(`to=${day}`)).toEqual([]);
      expect(await ids(`from=${after}`)).toEqual([]);
      const impossible = await api("GET", "/v1/stores/s1/visits?from=2026-02-30", f.keys.admin);
      expect(impossible.status).toBe(400);
      expect(impossible.body.error?.details?.[0]).toEqual({ path: "/from", message: 'must match format "date-time" or "date"' });
      const neither = await api("GET", "/v1/stores/s1/visits?from=yesterday", f.keys.admin);
      expect(neither.status).toBe(400);
      expect(neither.body.error?.details?.[0]?.path).toBe("/from");
    });

    it("refuses a forged cursor and an empty period with the path", async () => {
      const forged = await api("GET", "/v1/stores/s1/events?cursor=bm90LWEtY3Vyc29y", f.keys.admin);
      expect(forged.status).toBe(400);
      expect(forged.body.error?.details?.[0]?.path).toBe("/cursor");
      const t = new Date(base).toISOString();
      const empty = await api("GET", `/v1/stores/s1/visits?from=${t}&to=${t}`, f.keys.admin);
      expect(empty.status).toBe(400);
      expect(empty.body.error?.details?.[0]?.path).toBe("/to");
      expect((await api("GET", "/v1/stores/s1/events?limit=0", f.keys.admin)).status).toBe(400);
    });
  });
});
