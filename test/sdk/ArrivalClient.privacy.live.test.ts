import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArrivalClient, type ArrivalClientError, type ClientOffer, encodeAppToken } from "../../sdk/src/index.js";
import type { ConnectionState } from "../../sdk/src/ports.js";
import { presenceEvent } from "../cloud/cloudFixture.js";
import { sleep, until } from "../support/until.js";
import { createSdkCloudFixture, type SdkCloudFixture } from "./sdkCloudFixture.js";

/** One install of the app, with everything it reported. */
interface Install {
  readonly client: ArrivalClient;
  readonly offers: ClientOffer[];
  readonly states: ConnectionState[];
  readonly errors: ArrivalClientError[];
}

const RECONNECT_MS = 100;

/**
 * The shopper's privacy controls from the client library against a real cloud (embedded broker over
 * WebSocket, HTTP API, SQLite): consent decides whether the live rule's offer is issued, and
 * deletion revokes the user's credential, which another install of the same user learns from the
 * broker's refusal and stops on instead of retrying forever.
 */
describe("ArrivalClient privacy against the cloud", () => {
  let sdk: SdkCloudFixture;
  let phone: Install;
  let tablet: Install;

  function install(token: string): Install {
    const client = new ArrivalClient({ token, reconnectPeriodMs: RECONNECT_MS });
    const record: Install = { client, offers: [], states: [], errors: [] };
    client.on("offer", (offer) => record.offers.push(offer));
    client.on("connection", (state) => record.states.push(state));
    client.on("error", (err) => record.errors.push(err));
    client.start();
    return record;
  }

  async function get(path: string, key: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${sdk.api()}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: await response.json() };
  }

  async function decisionsOf(eventId: string): Promise<{ outcome: string; reason: string; offerId: string | null }[]> {
    const { status, body } = await get(`/v1/events/${eventId}/decisions`, sdk.f.keys.marketer);
    expect(status).toBe(200);
    return (body as { decisions: { outcome: string; reason: string; offerId: string | null }[] }).decisions;
  }

  const notAuthorized = (i: Install) => i.errors.filter((e) => e.code === "NOT_AUTHORIZED");

  beforeAll(async () => {
    sdk = await createSdkCloudFixture();
    // Two installs of u1 share the user's MQTT credential, each with its own client id.
    const token = await sdk.appToken("u1", sdk.f.keys.appU1);
    const forInstall = (suffix: string) =>
      encodeAppToken({ ...token, mqtt: { ...token.mqtt, clientId: `${token.mqtt.clientId}:${suffix}` } });
    phone = install(forInstall("phone"));
    tablet = install(forInstall("tablet"));
  });

  afterAll(async () => {
    await phone?.client.stop();
    await tablet?.client.stop();
    await sdk?.close();
  });

  it("without marketing consent an arrival gives no offer (no-marketing-consent); with it, the next one does", async () => {
    await until(() => phone.client.catchUpCount() >= 1 && tablet.client.catchUpCount() >= 1, 20_000, "both connected");

    await phone.client.setConsent({ marketing: false, analytics: true });
    const profile = await get("/v1/users/u1", sdk.f.keys.appU1);
    expect(profile.body).toMatchObject({ consent: { marketing: false, analytics: true } });
    await sdk.f.ingest([presenceEvent(1)]);
    await sdk.f.cloud.offers.idle();
    expect(await decisionsOf("event-00000001")).toEqual([
      expect.objectContaining({ outcome: "not-issued", reason: "no-marketing-consent", offerId: null }),
    ]);
    // Nothing pending either, so no later catch-up brings an offer.
    expect(await phone.client.catchUp()).toEqual([]);

    await phone.client.setConsent({ marketing: true, analytics: true });
    await sdk.f.ingest([presenceEvent(2)], 2);
    await until(() => phone.offers.length === 1 && tablet.offers.length === 1, 20_000, "the offer on both installs");
    const [decision] = await decisionsOf("event-00000002");
    expect(decision).toMatchObject({ outcome: "issued", offerId: phone.offers[0]?.offerId });
    expect(phone.errors).toEqual([]);
  });

  it("deletion succeeds, cuts every install's connection, stops their retries, and erases the user", async () => {
    await phone.client.requestDeletion();
    expect(phone.client.connectionState()).toBe("closed");

    // The other install is cut by the broker; its reconnection is refused for the revoked credential.
    await until(() => tablet.client.connectionState() === "refused", 20_000, "the tablet to be refused");
    expect(notAuthorized(tablet)).toHaveLength(1);
    expect(notAuthorized(tablet)[0]?.message).toMatch(/refused the MQTT credential/);
    // No retry loop: over many reconnect periods the state stays put and no further refusal arrives.
    const statesAtRefusal = tablet.states.length;
    await sleep(RECONNECT_MS * 10);
    expect(tablet.states.slice(statesAtRefusal)).toEqual([]);
    expect(notAuthorized(tablet)).toHaveLength(1);
    // The install that asked expected the revocation: no error for it.
    expect(notAuthorized(phone)).toEqual([]);

    // The API key went with the user, and so did the rows.
    await expect(tablet.client.catchUp()).rejects.toMatchObject({ code: "HTTP_ERROR", status: 401 });
    expect((await get("/v1/users/u1", sdk.f.keys.admin)).status).toBe(404);
    expect((await get("/v1/users/u1/devices", sdk.f.keys.admin)).status).toBe(404);
    expect((await get("/v1/events/event-00000002/decisions", sdk.f.keys.marketer)).status).toBe(404);
  });
});
