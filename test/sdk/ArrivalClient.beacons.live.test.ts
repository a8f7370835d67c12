import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subjectIdOfBeacon } from "../../protocol/index.js";
import { ArrivalClient, type BeaconIdentity, encodeAppToken } from "../../sdk/src/index.js";
import { createSdkCloudFixture, type SdkCloudFixture } from "./sdkCloudFixture.js";

/**
 * The shopper's own beacons from the client library against a real cloud (HTTP API, SQLite): the
 * subject id the cloud answers is the one gateways report, a beacon belongs to one shopper of the
 * retailer, and unregistering gives it up.
 */
describe("ArrivalClient beacons against the cloud", () => {
  let sdk: SdkCloudFixture;
  let u1: ArrivalClient;
  let u2: ArrivalClient;
  const fob: BeaconIdentity = { kind: "ibeacon", uuid: "E2C56DB5DFFB48D2B060D0F5A71096E0", major: 7, minor: 9 };

  beforeAll(async () => {
    sdk = await createSdkCloudFixture();
    // No start(): these calls are HTTP only, no MQTT session needed.
    u1 = new ArrivalClient({ token: encodeAppToken(await sdk.appToken("u1", sdk.f.keys.appU1)) });
    u2 = new ArrivalClient({ token: encodeAppToken(await sdk.appToken("u2", sdk.f.keys.appU2)) });
  });

  afterAll(async () => {
    await sdk?.close();
  });

  it("registers a beacon under the gateways' subject id, keeps it to one shopper, and unregisters it", async () => {
    // The fixture's users already have beacons of their own.
    const u1Before = await u1.listBeacons();
    const u2Before = await u2.listBeacons();
    const registered = await u1.registerBeacon(fob, "key fob");
    expect(registered.subjectId).toBe(subjectIdOfBeacon(fob));
    expect(registered.label).toBe("key fob");
    expect(await u1.listBeacons()).toEqual(expect.arrayContaining([...u1Before, registered]));
    expect(await u1.listBeacons()).toHaveLength(u1Before.length + 1);

    await expect(u2.registerBeacon(fob)).rejects.toMatchObject({ code: "HTTP_ERROR", status: 409 });
    expect(await u2.listBeacons()).toEqual(u2Before);

    expect(await u1.unregisterBeacon(registered.subjectId)).toBe(true);
    expect(await u1.unregisterBeacon(registered.subjectId)).toBe(false);
    expect(await u1.listBeacons()).toEqual(u1Before);
    expect((await u2.registerBeacon(fob)).subjectId).toBe(registered.subjectId);
  });
});
