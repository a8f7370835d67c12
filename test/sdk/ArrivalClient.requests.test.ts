import { describe, expect, it } from "vitest";
import { computeEid, toHex } from "../../protocol/index.js";
import {
  ArrivalClient,
  ArrivalClientError,
  decodeAppToken,
  encodeAppToken,
  OfferInbox,
  type AppToken,
} from "../../sdk/src/index.js";
import type { OfferChannelFactory } from "../../sdk/src/ports.js";
import { until } from "../support/until.js";

const TOKEN: AppToken = {
  v: 1,
  userId: "u1",
  apiUrl: "https://api.example",
  apiKey: "app-key-secret-1",
  mqtt: { url: "wss://mqtt.example/mqtt", username: "app.u1", password: "pw", clientId: "app.u1" },
};

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records each request and answers with the given status and body. */
function fakeFetch(answer: (call: Call) => { status: number; body?: unknown }) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const call: Call = {
      url,
      method: init.method ?? "GET",
      headers: init.headers as Record<string, string>,
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const { status, body } = answer(call);
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { calls, fetch };
}

const noChannel: OfferChannelFactory = () => ({
  subscribe: async () => undefined,
  publish: async () => undefined,
  close: async () => undefined,
});

describe("app token", () => {
  it("round-trips, and a damaged token is refused with the path of each problem", () => {
    const text = encodeAppToken(TOKEN);
    expect(decodeAppToken(text)).toEqual({ ok: true, value: TOKEN });
    const bad = encodeAppToken({ ...TOKEN, userId: "u/1", mqtt: { ...TOKEN.mqtt, url: "http://x" } });
    const decoded = decodeAppToken(bad);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problems.map((p) => p.path).sort()).toEqual(["/mqtt/url", "/userId"]);
    expect(() => new ArrivalClient({ token: "garbage" })).toThrow(ArrivalClientError);
  });
});

describe("ArrivalClient requests", () => {
  it("sets consent with PUT /v1/users/{id}/consent and the app key", async () => {
    const { calls, fetch } = fakeFetch(() => ({ status: 200, body: { marketing: true, analytics: false } }));
    const client = new ArrivalClient({ token: TOKEN, fetch, channel: noChannel });
    await client.setConsent({ marketing: true, analytics: false });
    expect(calls).toEqual([
      {
        url: "https://api.example/v1/users/u1/consent",
        method: "PUT",
        headers: { authorization: "Bearer app-key-secret-1", "content-type": "application/json" },
        body: { marketing: true, analytics: false },
      },
    ]);
  });

  it("asks for deletion with DELETE /v1/users/{id}, then disconnects", async () => {
    // The route's own answer: the erased user's pseudonym and the rows deleted.
    const receipt = { reference: "erased-1", deleted: { users: 1 }, anonymisedOffers: 0, pseudonymisedAudit: 0 };
    const { calls, fetch } = fakeFetch(() => ({ status: 200, body: receipt }));
    let closed = 0;
    const channel: OfferChannelFactory = () => ({
      subscribe: async () => undefined,
      publish: async () => undefined,
      close: async () => void closed++,
    });
    const client = new ArrivalClient({ token: TOKEN, fetch, channel });
    client.start();
    await client.requestDeletion();
    expect(calls.map((c) => [c.method, c.url])).toEqual([["DELETE", "https://api.example/v1/users/u1"]]);
    expect(closed).toBe(1);
    expect(client.connectionState()).toBe("closed");
  });

  it("reports a geofence entry with the fix, and refuses a fix with missing numbers", async () => {
    const { calls, fetch } = fakeFetch(() => ({ status: 201, body: { eventId: "e1", plausible: true, flags: [] } }));
    const client = new ArrivalClient({ token: TOKEN, fetch, channel: noChannel });
    const at = Date.parse("2026-11-22T10:00:00Z");
    const answer = await client.reportGeofenceEntry({ storeId: "s1", fix: { lat: 22.28, lon: 114.16, accuracyM: 12, at } });
    expect(answer.plausible).toBe(true);
    expect(calls[0]).toMatchObject({
      url: "https://api.example/v1/users/u1/geofence-entries",
      method: "POST",
      body: { storeId: "s1", lat: 22.28, lon: 114.16, accuracyM: 12, at: "2026-11-22T10:00:00.000Z" },
    });
    await expect(
      client.reportGeofenceEntry({ storeId: "s1", fix: { lat: Number.NaN, lon: 0, accuracyM: 1, at } }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("turns an API error into HTTP_ERROR with the API's code", async () => {
    const { fetch } = fakeFetch(() => ({ status: 403, body: { error: { code: "FORBIDDEN", message: "no" } } }));
    const client = new ArrivalClient({ token: TOKEN, fetch, channel: noChannel });
    await expect(client.acknowledge("offer-12345678", "viewed")).rejects.toMatchObject({
      code: "HTTP_ERROR",
      status: 403,
      apiCode: "FORBIDDEN",
    });
  });

  it("registers an EID identity key and advertises the EID the spec gives for now", async () => {
    const { calls, fetch } = fakeFetch(() => ({ status: 200, body: { rotationExponent: 10 } }));
    const key = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const client = new ArrivalClient({ token: TOKEN, fetch, channel: noChannel, randomBytes: () => key });
    const registration = await client.registerEidKey("install-1");
    expect(calls[0]).toMatchObject({
      url: "https://api.example/v1/users/u1/eid-keys/install-1",
      method: "PUT",
      body: { identityKey: "0102030405060708090a0b0c0d0e0f10" },
    });
    expect(registration.rotationExponent).toBe(10);
    const now = 1_700_000_123_456;
    const { eid, nextRotationAt } = client.currentEid(now);
    expect(eid).toBe(toHex(computeEid(key, 10, 1_700_000_123)));
    expect(nextRotationAt).toBe((Math.floor(1_700_000_123 / 1024) + 1) * 1024 * 1000);
  });

  it("registers, lists and unregisters the shopper's beacons, and refuses an answer that is not a beacon", async () => {
    const beacon = {
      subjectId: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2",
      label: "key fob",
      identity: { kind: "ibeacon", uuid: "f7826da6-4fa2-4e98-8024-bc5b71e0893e", major: 1, minor: 2 },
      registeredAt: "2026-11-22T10:00:00.000Z",
    };
    const { calls, fetch } = fakeFetch((call) =>
      call.method === "GET"
        ? { status: 200, body: { devices: [beacon] } }
        : call.method === "DELETE"
          ? { status: 200, body: { removed: true } }
          : { status: 201, body: beacon },
    );
    const client = new ArrivalClient({ token: TOKEN, fetch, channel: noChannel });
    const identity = { kind: "ibeacon", uuid: "F7826DA64FA24E988024BC5B71E0893E", major: 1, minor: 2 } as const;
    expect(await client.registerBeacon(identity, "key fob")).toEqual(beacon);
    expect(await client.listBeacons()).toEqual([beacon]);
    expect(await client.unregisterBeacon(beacon.subjectId)).toBe(true);
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ["POST", "https://api.example/v1/users/u1/devices", { identity, label: "key fob" }],
      ["GET", "https://api.example/v1/users/u1/devices", undefined],
      ["DELETE", `https://api.example/v1/users/u1/devices/${encodeURIComponent(beacon.subjectId)}`, undefined],
    ]);

    const { fetch: broken } = fakeFetch(() => ({ status: 201, body: { subjectId: 7 } }));
    const confused = new ArrivalClient({ token: TOKEN, fetch: broken, channel: noChannel });
    await expect(confused.registerBeacon(identity)).rejects.toMatchObject({ code: "INVALID_MESSAGE" });
    await expect(confused.listBeacons()).rejects.toMatchObject({ code: "INVALID_MESSAGE" });
    await expect(confused.unregisterBeacon("x")).rejects.toMatchObject({ code: "INVALID_MESSAGE" });
  });
});

describe("OfferInbox", () => {
  const offer = (offerId: string, expiresAt: number) => ({
    offerId,
    ruleId: "r1",
    storeId: "s1",
    title: "t",
    text: "",
    discount: { kind: "percent" as const, percent: 10 },
    code: "ABCD-EFGH-JKMN-PQRS",
    issuedAt: 0,
    expiresAt,
  });

  it("takes each offer once, skips expired ones, and expires them in order", () => {
    const inbox = new OfferInbox();
    expect(inbox.add(offer("a", 2000), 0)).toBe("new");
    expect(inbox.add(offer("a", 2000), 10)).toBe("duplicate");
    expect(inbox.add(offer("b", 1000), 0)).toBe("new");
    expect(inbox.add(offer("c", 5), 10)).toBe("expired");
    expect(inbox.nextExpiry()).toBe(1000);
    expect(inbox.expireDue(1500).map((o) => o.offerId)).toEqual(["b"]);
    expect(inbox.list().map((o) => o.offerId)).toEqual(["a"]);
    // An offer that expired here stays gone when a late catch-up brings it again.
    expect(inbox.add(offer("b", 1000), 1600)).toBe("duplicate");
    expect(OfferInbox.secondsLeft(offer("a", 2000), 500)).toBe(1);
  });
});

describe("ArrivalClient events", () => {
  it("announces an MQTT offer once, reports a bad message, and expires the offer on time", async () => {
    let handlers: Parameters<OfferChannelFactory>[1] | undefined;
    const channel: OfferChannelFactory = (_options, h) => {
      handlers = h;
      return { subscribe: async () => undefined, publish: async () => undefined, close: async () => undefined };
    };
    let now = Date.parse("2026-11-22T10:00:00Z");
    const pending: { callback: () => void; at: number }[] = [];
    const { calls, fetch } = fakeFetch(() => ({ status: 200, body: { offers: [] } }));
    const client = new ArrivalClient({
      token: TOKEN,
      fetch,
      channel,
      now: () => now,
      timers: {
        setTimeout: (callback, ms) => pending.push({ callback, at: now + ms }),
        clearTimeout: () => undefined,
      },
    });
    const seen: string[] = [];
    client.on("offer", (o) => seen.push(`offer ${o.offerId}`));
    client.on("offerExpired", (o) => seen.push(`expired ${o.offerId}`));
    client.on("error", (e) => seen.push(`error ${e.code}`));
    client.start();
    if (!handlers) throw new Error("the client did not open its channel");
    const message = {
      v: 1,
      kind: "offer",
      offerId: "offer-00000001",
      ruleId: "r1",
      storeId: "s1",
      title: "10% off",
      text: "",
      discount: { kind: "percent", percent: 10 },
      code: "ABCD-EFGH-JKMN-PQRS-TVWX",
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 60_000).toISOString(),
    };
    const topic = "arrival/v1/users/u1/offers";
    handlers.onMessage(topic, new TextEncoder().encode(JSON.stringify(message)));
    handlers.onMessage(topic, new TextEncoder().encode(JSON.stringify(message)));
    handlers.onMessage(topic, new TextEncoder().encode(JSON.stringify({ ...message, offerId: "x" })));
    // Another user's topic is not this client's business, whatever it carries.
    handlers.onMessage("arrival/v1/users/u2/offers", new TextEncoder().encode(JSON.stringify(message)));
    expect(seen).toEqual(["offer offer-00000001", "error INVALID_MESSAGE"]);
    await until(() => calls.length === 1, 1000, "the delivery ack");
    expect(calls[0]).toMatchObject({ method: "POST", body: { kind: "delivered" } });
    expect(client.redemption("offer-00000001").secondsLeft).toBe(60);
    now += 60_000;
    const timer = pending.at(-1);
    expect(timer?.at).toBe(now);
    timer?.callback();
    expect(seen.at(-1)).toBe("expired offer-00000001");
    expect(client.offers()).toEqual([]);
  });

  it("stops on a refused credential with one NOT_AUTHORIZED error; none while it asks for its own deletion", async () => {
    const opened: Parameters<OfferChannelFactory>[1][] = [];
    const channel: OfferChannelFactory = (_options, h) => {
      opened.push(h);
      h.onState("connecting");
      return { subscribe: async () => undefined, publish: async () => undefined, close: async () => undefined };
    };
    let answerDeletion: (() => void) | undefined;
    const fetch = (_url: string, init: RequestInit): Promise<Response> =>
      init.method === "DELETE"
        ? new Promise((resolve) => (answerDeletion = () => resolve(new Response("{}", { status: 200 }))))
        : Promise.resolve(new Response(JSON.stringify({ offers: [] }), { status: 200 }));
    const client = new ArrivalClient({ token: TOKEN, fetch, channel });
    const seen: string[] = [];
    client.on("connection", (state) => seen.push(state));
    client.on("error", (e) => seen.push(`error ${e.code}`));

    client.start();
    opened[0]?.onRefused(5, "Connection refused: Not authorized");
    expect(seen).toEqual(["connecting", "refused", "error NOT_AUTHORIZED"]);
    expect(client.connectionState()).toBe("refused");
    // A late duplicate from the closed channel changes nothing.
    opened[0]?.onRefused(5, "Connection refused: Not authorized");
    expect(seen).toHaveLength(3);

    // Started again (say with the same token), the install asks for deletion; the broker refuses the
    // revoked credential before the HTTP answer arrives: expected, so no error.
    seen.length = 0;
    client.start();
    const deletion = client.requestDeletion();
    await until(() => answerDeletion !== undefined, 1000, "the DELETE request");
    opened[1]?.onRefused(4, "Connection refused: Bad username or password");
    answerDeletion?.();
    await deletion;
    expect(seen).toEqual(["connecting", "refused", "closed"]);
  });
});
