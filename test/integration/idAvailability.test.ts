/**
 * Store, gateway and rule ids are global (MQTT topic levels, keys of shared tables), so an id another
 * organisation holds cannot be given out. The refusal must not tell whose it is: an organisation
 * gets the very same answer for an id it holds itself and for one held elsewhere, and the answer
 * speaks of availability, not of something existing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";

describe("ids shared by all organisations", () => {
  let f: CloudFixture;
  let o2Admin: string;

  const api = async (method: string, url: string, key: string, body: unknown) => {
    const res = await f.cloud.http.inject({
      method: method as "POST",
      url,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      payload: JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.json<{ error?: { code: string; message: string } }>() };
  };
  /** The same id refused to its own organisation and to another: one answer, about availability. */
  const expectOneAnswer = (own: Awaited<ReturnType<typeof api>>, other: Awaited<ReturnType<typeof api>>) => {
    expect([own.status, other.status]).toEqual([409, 409]);
    expect(other.body).toEqual(own.body);
    expect(other.body.error?.message).toMatch(/is not available; choose another$/);
    expect(other.body.error?.message).not.toMatch(/taken|exist|in use|organi[sz]ation|belongs/i);
  };

  beforeAll(async () => {
    f = await createCloudFixture();
    const now = Date.now();
    await f.cloud.repositories.directory.upsertOrganisation({ id: "o2", name: "Other retailer", maxOffersPerUserPerDay: 3 }, now);
    await f.cloud.repositories.directory.upsertStore(
      { id: "x1", orgId: "o2", name: "x1", timezone: "UTC", lat: null, lon: null, tags: [] },
      now,
    );
    o2Admin = (await f.cloud.credentials.issueApiKey({ role: "admin", orgId: "o2", label: "o2" }, "test")).key;
  });
  afterAll(async () => {
    await f?.close();
  });

  it("store ids", async () => {
    const store = { id: "flagship", name: "Flagship", timezone: "UTC" };
    expect((await api("POST", "/v1/stores", f.keys.admin, store)).status).toBe(201);
    expectOneAnswer(await api("POST", "/v1/stores", f.keys.admin, store), await api("POST", "/v1/stores", o2Admin, store));
  });

  it("gateway ids", async () => {
    // g1 is the fixture's gateway of o1's store s1.
    expectOneAnswer(
      await api("POST", "/v1/stores/s2/gateways", f.keys.admin, { id: "g1", name: "x" }),
      await api("POST", "/v1/stores/x1/gateways", o2Admin, { id: "g1", name: "x" }),
    );
  });

  it("a gateway id registered by two organisations at once stays with the first: the write refuses the second", async () => {
    const results = await Promise.all([
      api("POST", "/v1/stores/s1/gateways", f.keys.admin, { id: "g-race", name: "o1's" }),
      api("POST", "/v1/stores/x1/gateways", o2Admin, { id: "g-race", name: "o2's" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = results[0]?.status === 201 ? "s1" : "x1";
    expect(await f.cloud.repositories.directory.getGateway("g-race")).toMatchObject({ storeId: winner, name: winner === "s1" ? "o1's" : "o2's" });
    const loser = results.find((r) => r.status === 409);
    expect(loser?.body.error?.message).toMatch(/is not available; choose another$/);
    // Renaming in its own store is still a rename.
    const rename = await api("POST", `/v1/stores/${winner}/gateways`, winner === "s1" ? f.keys.admin : o2Admin, { id: "g-race", name: "renamed" });
    expect(rename.status).toBe(200);
  });

  it("rule ids", async () => {
    const rule = {
      id: "welcome",
      spec: {
        trigger: { type: "enter" },
        offer: { title: "Hi", text: "Welcome", discount: { kind: "percent", percent: 5 }, validityS: 600 },
      },
    };
    expect((await api("POST", "/v1/rules", f.keys.admin, rule)).status).toBe(201);
    expectOneAnswer(await api("POST", "/v1/rules", f.keys.admin, rule), await api("POST", "/v1/rules", o2Admin, rule));
  });
});
