import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture, presenceEvent, SUBJECT_U2 } from "../cloudFixture.js";

interface OfferView {
  offerId: string;
  code: string;
  status: string;
}

describe("HTTP API and offers over a real cloud", () => {
  let f: CloudFixture;
  let offer: OfferView;

  beforeAll(async () => {
    f = await createCloudFixture();
    // The same event delivered 100 times at once (QoS 1 redeliveries, several gateways, retries).
    const event = presenceEvent(1);
    await Promise.all(Array.from({ length: 100 }, () => f.ingest([event])));
    await f.cloud.offers.idle();
    const res = await f.cloud.http.inject({
      method: "GET",
      url: "/v1/users/u1/offers",
      headers: { authorization: `Bearer ${f.keys.appU1}` },
    });
    const offers = res.json<{ offers: OfferView[] }>().offers;
    expect(offers).toHaveLength(1);
    offer = offers[0] as OfferView;
  });
  afterAll(async () => {
    await f?.close();
  });

  it("issues exactly one offer for 100 concurrent deliveries of one event", async () => {
    const count = await f.cloud.repositories.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM offers");
    expect(count?.n).toBe(1);
    expect(f.cloud.ingest.counters.eventsStored).toBe(1);
    expect(f.cloud.ingest.counters.duplicates).toBe(99);
  });

  it("records the reason when a user without marketing consent arrives, and sends nothing", async () => {
    await f.ingest(
      [presenceEvent(2, { subject: { kind: "ibeacon", id: SUBJECT_U2 }, visitId: "visit-u2-000001" })],
      2,
    );
    await f.cloud.offers.idle();
    const res = await f.cloud.http.inject({
      method: "GET",
      url: "/v1/users/u2/decisions",
      headers: { authorization: `Bearer ${f.keys.marketer}` },
    });
    const decisions = res.json<{ decisions: { outcome: string; reason: string }[] }>().decisions;
    expect(decisions).toEqual([
      expect.objectContaining({ outcome: "not-issued", reason: "no-marketing-consent" }),
    ]);
  });

  it("accepts exactly one of 50 concurrent redemptions of one code", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        f.cloud.http.inject({
          method: "POST",
          url: "/v1/redemptions",
          headers: { authorization: `Bearer ${f.keys.pos}`, "idempotency-key": `receipt-${1000 + i}` },
          payload: { code: offer.code },
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const conflict = results.find((r) => r.statusCode === 409);
    expect(conflict?.json()).toMatchObject({ error: { code: "CODE_ALREADY_REDEEMED" } });
  });

  it("takes the app's scanned QR payload as well as the bare code, and no other prefix", async () => {
    const redeem = (code: string, n: number) =>
      f.cloud.http.inject({
        method: "POST",
        url: "/v1/redemptions",
        headers: { authorization: `Bearer ${f.keys.pos}`, "idempotency-key": `scan-${n}-attempt` },
        payload: { code },
      });
    // The code is already redeemed, so a recognised code answers 409 and an unrecognised one 404.
    const scanned = await redeem(`arrival:redeem:v1:${offer.code}`, 1);
    expect([scanned.statusCode, scanned.json()]).toEqual([409, expect.objectContaining({ error: expect.objectContaining({ code: "CODE_ALREADY_REDEEMED" }) })]);
    expect((await redeem(offer.code, 2)).statusCode).toBe(409);
    const otherVersion = await redeem(`arrival:redeem:v2:${offer.code}`, 3);
    expect([otherVersion.statusCode, otherVersion.json()]).toEqual([404, expect.objectContaining({ error: expect.objectContaining({ code: "NOT_FOUND" }) })]);
    expect((await redeem(`coupon:${offer.code}`, 4)).statusCode).toBe(404);
  });

  it("refuses a view acknowledgement for an offer already redeemed, with its reason", async () => {
    const res = await f.cloud.http.inject({
      method: "POST",
      url: `/v1/users/u1/offers/${offer.offerId}/acknowledgements`,
      headers: { authorization: `Bearer ${f.keys.appU1}` },
      payload: { kind: "viewed" },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: "CODE_ALREADY_REDEEMED" } });
  });

  it("stops accepting a cached API key as soon as another process revokes it", async () => {
    const { id, key } = await f.cloud.credentials.issueApiKey({ role: "marketer", orgId: "o1", label: "cli test" }, "test");
    const get = () =>
      f.cloud.http.inject({ method: "GET", url: "/v1/users/u1/decisions", headers: { authorization: `Bearer ${key}` } });
    expect((await get()).statusCode).toBe(200);
    // What the credentials CLI does: write the revocation straight into the database.
    await f.cloud.repositories.credentials.revokeApiKey(id, Date.now());
    expect((await get()).statusCode).toBe(401);
  });

  describe("authentication and roles", () => {
    const cases: [string, string, string, (k: CloudFixture["keys"]) => string | null, number][] = [
      ["no key", "GET", "/v1/users/u1/offers", () => null, 401],
      ["a malformed key", "GET", "/v1/users/u1/offers", () => "nope", 401],
      ["a forged key", "GET", "/v1/users/u1/offers", (k) => `${k.appU1.slice(0, -4)}AAAA`, 401],
      ["another user's app key", "GET", "/v1/users/u1/offers", (k) => k.appU2, 403],
      ["a pos key", "GET", "/v1/users/u1/offers", (k) => k.pos, 403],
      ["a marketer key", "GET", "/v1/users/u1/offers", (k) => k.marketer, 403],
      ["the user's own app key", "GET", "/v1/users/u1/offers", (k) => k.appU1, 200],
      ["an admin key", "GET", "/v1/users/u1/offers", (k) => k.admin, 200],
      ["an app key on decisions", "GET", "/v1/users/u1/decisions", (k) => k.appU1, 403],
      ["a store-ops key on decisions", "GET", "/v1/users/u1/decisions", (k) => k.storeOps, 403],
      ["an app key on redemptions", "POST", "/v1/redemptions", (k) => k.appU1, 403],
      ["no key on health", "GET", "/healthz", () => null, 200],
    ];
    it.each(cases)("%s: %s %s → %i", async (_name, method, url, key, status) => {
      const k = key(f.keys);
      const res = await f.cloud.http.inject({
        method: method as "GET" | "POST",
        url,
        headers: { ...(k ? { authorization: `Bearer ${k}` } : {}), "idempotency-key": "receipt-auth-1" },
        ...(method === "POST" ? { payload: { code: "0000-0000-0000-0000-0000" } } : {}),
      });
      expect(res.statusCode).toBe(status);
      if (status >= 400)
        expect(res.json()).toMatchObject({
          error: { code: expect.any(String), message: expect.any(String) },
        });
    });
  });

  describe("bad input gets a clear 4xx, never a 500", () => {
    const post = (payload: string, headers: Record<string, string> = {}) =>
      f.cloud.http.inject({
        method: "POST",
        url: "/v1/redemptions",
        headers: {
          authorization: `Bearer ${f.keys.pos}`,
          "content-type": "application/json",
          "idempotency-key": "receipt-bad-input",
          ...headers,
        },
        payload,
      });
    it.each([
      ["malformed JSON", "{", 400, "MALFORMED_JSON"],
      ["an unknown field", JSON.stringify({ code: "x", discount: 100 }), 400, "VALIDATION_FAILED"],
      ["a wrong type", JSON.stringify({ code: 42 }), 400, "VALIDATION_FAILED"],
      ["a missing field", JSON.stringify({}), 400, "VALIDATION_FAILED"],
      ["an oversized body", JSON.stringify({ code: "x".repeat(200_000) }), 413, "PAYLOAD_TOO_LARGE"],
      ["a code that cannot exist", JSON.stringify({ code: "!!!!" }), 404, "NOT_FOUND"],
      ["another store's till", JSON.stringify({ code: "x", storeId: "s2" }), 403, "FORBIDDEN"],
    ])("%s → %i %s", async (_name, payload, status, code) => {
      const res = await post(payload);
      expect(res.statusCode).toBe(status);
      expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
    });

    it("requires an idempotency key on redemptions", async () => {
      const res = await f.cloud.http.inject({
        method: "POST",
        url: "/v1/redemptions",
        headers: { authorization: `Bearer ${f.keys.pos}` },
        payload: { code: offer.code },
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(/idempotency-key/);
    });

    it("refuses the code at a till of another store", async () => {
      const res = await f.cloud.http.inject({
        method: "POST",
        url: "/v1/redemptions",
        headers: {
          authorization: `Bearer ${f.keys.posOtherStore}`,
          "idempotency-key": "receipt-other-store",
        },
        payload: { code: offer.code },
      });
      expect(res.statusCode).toBe(409);
    });

    it("answers an unknown route with the same error shape", async () => {
      const res = await f.cloud.http.inject({ method: "GET", url: "/v1/nothing" });
      expect(res.statusCode).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe("NOT_FOUND");
    });
  });

  it("serves the OpenAPI document at /docs", async () => {
    const res = await f.cloud.http.inject({ method: "GET", url: "/docs" });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain("/v1/redemptions");
    // The same document at its own address, for tools that want a file name.
    const file = await f.cloud.http.inject({ method: "GET", url: "/docs/openapi.json", headers: { accept: "text/html" } });
    expect(file.headers["content-type"]).toMatch(/^application\/json/);
    expect(file.json()).toEqual(doc);
  });

  it.each([
    ["a browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"],
    ["a JSON client", "application/json", "json"],
    ["any type", "*/*", "json"],
    ["JSON preferred", "text/html;q=0.5, application/json", "json"],
    ["HTML refused", "text/html;q=0, application/json;q=0.1", "json"],
  ])("answers /docs to %s as %s", async (_who, accept, kind) => {
    const res = await f.cloud.http.inject({ method: "GET", url: "/docs", headers: { accept } });
    expect(res.statusCode).toBe(200);
    expect(res.headers.vary).toMatch(/Accept/i);
    if (kind === "json") {
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.json<{ openapi: string }>().openapi).toBe("3.1.0");
      return;
    }
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    // Self-contained: no script, nothing fetched from elsewhere, and a policy that allows neither.
    expect(res.body).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect(res.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    // Every operation is listed, under its tag, with a link to the JSON.
    expect(res.body).toContain('href="/docs/openapi.json"');
    expect(res.body).toContain('<h2 id="tag-rules">rules</h2>');
    expect(res.body).toContain("<code>/v1/rules/{ruleId}/transitions</code>");
    expect(res.body).toContain('id="getAnalyticsFunnel"');
    const doc = (await f.cloud.http.inject({ method: "GET", url: "/docs/openapi.json" })).json<{
      paths: Record<string, Record<string, { operationId: string }>>;
    }>();
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.filter((id) => !res.body.includes(`id="${id}"`))).toEqual([]);
  });
});
