import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromHex, storeBeaconValue, toHex } from "../../protocol/index.js";
import { ArrivalClient, encodeAppToken } from "../../sdk/src/index.js";
import { createSdkCloudFixture, type SdkCloudFixture } from "./sdkCloudFixture.js";

/**
 * The store beacon from the client library against a real cloud: the app reads the UUID to
 * monitor and reports what it heard; the value the store's gateway advertises (computed from the
 * config the cloud pushed it) names the store, a stale one does not.
 */
describe("ArrivalClient store beacon against the cloud", () => {
  let sdk: SdkCloudFixture;
  let dir: string;
  let u1: ArrivalClient;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-sdk-beacon-"));
    await writeFile(join(dir, "secret"), "s".repeat(40));
    sdk = await createSdkCloudFixture({ storeBeacon: { secretFile: join(dir, "secret"), format: "eddystone-eid" } });
    u1 = new ArrivalClient({ token: encodeAppToken(await sdk.appToken("u1", sdk.f.keys.appU1)) });
  });
  afterAll(async () => {
    await sdk?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives the region to monitor and resolves the beacon the store's gateway advertises", async () => {
    const described = await u1.storeBeacon();
    expect(described).toMatchObject({ enabled: true, format: "eddystone-eid", slotS: 512 });
    const pushed = await sdk.f.cloud.http.inject({
      method: "POST",
      url: "/v1/gateways/g1/config",
      headers: { authorization: `Bearer ${sdk.f.keys.admin}` },
      payload: { zones: [] },
    });
    expect(pushed.statusCode).toBe(200);
    const config = (await sdk.f.cloud.repositories.fleet.desiredConfigs()).find((c) => c.gatewayId === "g1")?.config.storeBeacon;
    expect(config?.uuid).toBe(described.uuid);
    const now = Date.now();
    const onAir = storeBeaconValue(fromHex(config?.identityKey ?? "") as Uint8Array, 9, Math.floor(now / 1000));
    const heard = await u1.reportStoreBeacon({ eid: toHex(onAir.eid) }, { rssi: -68, at: now });
    expect(heard).toMatchObject({ resolved: true, storeId: "s1" });
    const stale = await u1.reportStoreBeacon({ eid: toHex(onAir.eid) }, { at: now - 10 * 60_000 });
    expect(stale).toMatchObject({ resolved: false, reason: "too-old", storeId: null });
  });
});
