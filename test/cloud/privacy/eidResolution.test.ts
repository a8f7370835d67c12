import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { decodeAdvertisement } from "../../../gateway/src/domain/advert/decodeAdvertisement.js";
import { computeEid, eidSubjectId, fromHex, toHex } from "../../../protocol/index.js";
import { ArrivalClient } from "../../../sdk/src/index.js";
import { advert, EDDYSTONE_UUID_LIST, eddystone, FLAGS } from "../../gateway/domain/advert/advertBytes.js";
import { type CloudFixture, createCloudFixture, presenceEvent } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";

/**
 * Eddystone-EID sightings resolve to the user whose install registered the identity key, through
 * the resolution table, across a rotation boundary (K = 10: 1024 s periods, the default).
 */
describe("Eddystone-EID resolution", () => {
  // 40 s before a period boundary: 1_800_000_000 is not a multiple of 1024, so compute one.
  const boundaryS = Math.ceil(1_800_000_000 / 1024) * 1024;
  const clock = new ManualClock((boundaryS - 40) * 1000);
  const key = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
  let f: CloudFixture;
  let seq = 0;

  beforeAll(async () => {
    f = await createCloudFixture({ clock });
    const res = await f.cloud.http.inject({
      method: "PUT",
      url: "/v1/users/u1/eid-keys/phone-1",
      headers: { authorization: `Bearer ${f.keys.appU1}` },
      payload: { identityKey: toHex(key) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ installId: "phone-1", rotationExponent: 10 });
  });
  afterAll(async () => {
    await f?.close();
  });

  /** Ingests a sighting of `eid` at the clock's now and returns the user it was stored for. */
  async function sight(eid: Uint8Array): Promise<string | null> {
    seq++;
    const event = presenceEvent(seq, {
      subject: { kind: "eddystone-eid", id: eidSubjectId(eid) },
      at: clock.iso(),
      visitId: `visit-eid-${String(seq).padStart(4, "0")}`,
    });
    await f.ingest([event], seq);
    const stored = await f.cloud.repositories.offers.getEvent(event.id);
    return stored?.event.userId ?? null;
  }

  it("resolves the EID of the current period to the user", async () => {
    expect(await sight(computeEid(key, 10, boundaryS - 40))).toBe("u1");
  });

  it("resolves across the rotation boundary: the new id, and the previous one seen late", async () => {
    const before = computeEid(key, 10, boundaryS - 1);
    const after = computeEid(key, 10, boundaryS);
    expect(toHex(after)).not.toBe(toHex(before));
    clock.set((boundaryS + 30) * 1000);
    // The period moved: the key's three rows are rebuilt; within the same period nothing is.
    expect(await f.cloud.eid.refresh()).toBe(3);
    clock.advance(10_000);
    expect(await f.cloud.eid.refresh()).toBe(0);
    expect(await sight(after)).toBe("u1");
    expect(await sight(before)).toBe("u1");
  });

  it("stops resolving ids of periods no longer adjacent, and never resolves another key's ids", async () => {
    const old = computeEid(key, 10, boundaryS - 1);
    clock.set((boundaryS + 2 * 1024 + 5) * 1000);
    await f.cloud.eid.refresh();
    expect(await sight(old)).toBeNull();
    expect(await sight(computeEid(key, 10, boundaryS + 2 * 1024 + 5))).toBe("u1");
    const stranger = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(await sight(computeEid(stranger, 10, boundaryS + 2 * 1024 + 5))).toBeNull();
  });

  it("resolves what the app advertises, as the gateway decodes it from the air", async () => {
    // The app side: the client library registers its own key and computes the EID for now.
    const app = new ArrivalClient({
      token: {
        v: 1,
        userId: "u1",
        apiUrl: `http://127.0.0.1:${f.cloud.httpPort()}`,
        apiKey: f.keys.appU1,
        mqtt: { url: "ws://127.0.0.1:1/mqtt", username: "app.u1", password: "unused", clientId: "app.u1" },
      },
      now: () => clock.now(),
    });
    await app.registerEidKey("phone-2");
    const { eid } = app.currentEid();
    // The frame the phone puts on the air (Eddystone-EID, frame type 0x30, Tx power at 0 m, 8-byte id)…
    const frame = advert(FLAGS, EDDYSTONE_UUID_LIST, eddystone(`30e7${eid}`));
    const decoded = decodeAdvertisement(frame);
    expect(decoded?.format).toBe("eddystone-eid");
    // …the subject id the gateway reports, and the cloud resolves it to the user.
    const eidBytes = fromHex(eid);
    if (!eidBytes || !decoded?.id) throw new Error("no EID decoded");
    expect(decoded.id).toBe(eidSubjectId(eidBytes));
    expect(await sight(eidBytes)).toBe("u1");
  });

  it("keeps the identity key out of the API and the audit log", async () => {
    const db = await SqliteDatabase.open(join(f.dataDir, "cloud.db"));
    try {
      const audit = await db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'eid-key.register'");
      expect(audit.map((a) => JSON.parse(a.detail) as unknown)).toEqual([
        { installId: "phone-1", rotationExponent: 10 },
        { installId: "phone-2", rotationExponent: 10 },
      ]);
    } finally {
      await db.close();
    }
    const wrongUser = await f.cloud.http.inject({
      method: "PUT",
      url: "/v1/users/u2/eid-keys/phone-1",
      headers: { authorization: `Bearer ${f.keys.appU1}` },
      payload: { identityKey: toHex(key) },
    });
    expect(wrongUser.statusCode).toBe(403);
    const badKey = await f.cloud.http.inject({
      method: "PUT",
      url: "/v1/users/u1/eid-keys/phone-1",
      headers: { authorization: `Bearer ${f.keys.appU1}` },
      payload: { identityKey: "xyz" },
    });
    expect(badKey.statusCode).toBe(400);
  });
});
