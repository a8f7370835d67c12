import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemberImportService } from "../../../cloud/src/services/MemberImportService.js";
import type { Logger } from "../../../cloud/src/services/ports.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";

const PROGRAM = {
  currency: "HKD",
  pointsValidityDays: null,
  transfersAllowed: false,
  earnRules: [{ id: "base", points: 1, perAmountMinor: 100 }],
  visit: null,
  memberDays: [],
  tiers: [{ name: "member" }, { name: "gold", minPoints: 1000 }],
  tierWindowDays: 365,
};

describe("CRM import and export of members", () => {
  let f: CloudFixture;

  beforeEach(async () => {
    f = await createCloudFixture({ seedRule: false });
    const now = Date.now();
    await f.cloud.repositories.directory.upsertOrganisation({ id: "o2", name: "Other", maxOffersPerUserPerDay: 3 }, now);
    await f.cloud.repositories.users.upsertUser(
      { id: "theirs", orgId: "o2", displayName: null, segments: [], loyaltyTier: null, marketingConsent: false, analyticsConsent: false },
      now,
    );
    const put = await f.cloud.http.inject({ method: "PUT", url: "/v1/loyalty/program", headers: { authorization: `Bearer ${f.keys.admin}` }, payload: PROGRAM });
    expect(put.statusCode).toBe(200);
  });
  afterEach(async () => {
    await f.close();
  });

  const upload = async (payload: string, type: string, key = f.keys.admin) => {
    const res = await f.cloud.http.inject({ method: "POST", url: "/v1/members/import", headers: { authorization: `Bearer ${key}`, "content-type": type }, payload });
    return { status: res.statusCode, body: res.json<Record<string, unknown> & { problems: { line: number; field: string }[] }>() };
  };

  it("applies good NDJSON rows, reports each bad one by line and field, and changes nothing on a rerun", async () => {
    const file = [
      JSON.stringify({ id: "m-001", displayName: "Ada", segments: ["vip", "beauty"], loyaltyTier: "gold", birthMonth: 4, marketingConsent: true }),
      "{not json",
      JSON.stringify({ id: "m-002", loyaltyTier: "platinum" }),
      "",
      JSON.stringify({ id: "m-001", displayName: "Ada again" }),
      JSON.stringify({ id: "m-003", birthMonth: 13, analyticsConsent: "yes" }),
      JSON.stringify({ id: "theirs", displayName: "Not yours" }),
      JSON.stringify({ id: "u1", segments: ["crm"] }),
      JSON.stringify({ id: "m-004" }),
    ].join("\n");
    const first = await upload(file, "application/x-ndjson");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 8, created: 2, updated: 1, unchanged: 0, rejected: 5, problemsTruncated: false });
    expect(first.body.problems.map((p) => [p.line, p.field])).toEqual([
      [2, ""],
      [3, "/loyaltyTier"],
      [5, "/id"],
      [6, "/birthMonth"],
      [6, "/analyticsConsent"],
      [7, "/id"],
    ]);
    const ada = await f.cloud.repositories.users.getUser("m-001");
    expect(ada).toMatchObject({ orgId: "o1", displayName: "Ada", segments: ["vip", "beauty"], loyaltyTier: "gold", marketingConsent: true, analyticsConsent: false });
    expect((await f.cloud.repositories.membership.getMember("m-001"))?.birthMonth).toBe(4);
    // u1 kept what the file did not name.
    expect(await f.cloud.repositories.users.getUser("u1")).toMatchObject({ displayName: "u1", segments: ["crm"], loyaltyTier: "gold" });
    expect(await f.cloud.repositories.users.getUser("theirs")).toMatchObject({ orgId: "o2", displayName: null });

    const again = await upload(file, "application/x-ndjson");
    expect(again.body).toMatchObject({ rows: 8, created: 0, updated: 0, unchanged: 3, rejected: 5 });
  });

  it("reads CSV with quoting, segments and consents, and refuses a header it cannot read", async () => {
    const csv = [
      "id,displayName,segments,birthMonth,marketingConsent",
      'c-1,"Chan, Tai Man",vip;tea,12,true',
      'c-2,"Say ""hi""",,,false',
      "c-3,Too,many,cells,here,really",
      "c-4,Bad month,,0,true",
    ].join("\r\n");
    const res = await upload(csv, "text/csv");
    expect(res.body).toMatchObject({ rows: 4, created: 2, rejected: 2 });
    expect(res.body.problems.map((p) => [p.line, p.field])).toEqual([
      [4, ""],
      [5, "/birthMonth"],
    ]);
    expect(await f.cloud.repositories.users.getUser("c-1")).toMatchObject({ displayName: "Chan, Tai Man", segments: ["vip", "tea"], marketingConsent: true });
    expect((await f.cloud.repositories.users.getUser("c-2"))?.displayName).toBe('Say "hi"');

    const bad = await upload("id,shoeSize\nc-9,42", "text/csv");
    expect(bad.status).toBe(400);
    expect((bad.body as { error?: { message: string } }).error?.message).toMatch(/shoeSize/);
    expect(await f.cloud.repositories.users.getUser("c-9")).toBeNull();
  });

  it("tells in-memory views whose analytics consent an import withdrew or gave", async () => {
    const withdrawn: string[] = [];
    const given: string[] = [];
    const repos = f.cloud.repositories;
    const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };
    const service = new MemberImportService({
      membership: repos.membership,
      ledger: repos.ledger,
      users: repos.users,
      clock: { now: () => Date.now() },
      log: silent,
      onAnalyticsWithdrawn: (id) => withdrawn.push(id),
      onAnalyticsGiven: (id) => given.push(id),
    });
    async function* lines() {
      yield JSON.stringify({ id: "u1", analyticsConsent: false });
      yield JSON.stringify({ id: "u2", analyticsConsent: true });
      yield JSON.stringify({ id: "m-new", analyticsConsent: true });
    }
    const principal = { keyId: "k", role: "admin" as const, orgId: "o1", storeId: null, userId: null };
    expect(await service.importMembers(principal, "ndjson", lines())).toMatchObject({ ok: true });
    // The fixture's u1 and u2 both gave analytics consent.
    expect(withdrawn).toEqual(["u1"]);
    expect(given).toEqual(["m-new"]);
  });

  it("refuses a request with no file, or a JSON body, as the wrong media type (not a server error)", async () => {
    const auth = { authorization: `Bearer ${f.keys.admin}` };
    const bare = await f.cloud.http.inject({ method: "POST", url: "/v1/members/import", headers: auth });
    expect(bare.statusCode).toBe(415);
    expect(bare.json()).toMatchObject({ error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
    const json = await f.cloud.http.inject({ method: "POST", url: "/v1/members/import", headers: auth, payload: { id: "m-8" } });
    expect(json.statusCode).toBe(415);
    expect(await f.cloud.repositories.users.getUser("m-8")).toBeNull();
  });

  it("is for admins only", async () => {
    expect((await upload(JSON.stringify({ id: "m-9" }), "application/x-ndjson", f.keys.marketer)).status).toBe(403);
    expect(await f.cloud.repositories.users.getUser("m-9")).toBeNull();
  });

  it("exports members, and the ledger naming only members with analytics consent", async () => {
    await upload([JSON.stringify({ id: "m-a", analyticsConsent: true }), JSON.stringify({ id: "m-b", analyticsConsent: false })].join("\n"), "application/x-ndjson");
    for (const memberId of ["m-a", "m-b"]) {
      const res = await f.cloud.http.inject({
        method: "POST",
        url: "/v1/purchases",
        headers: { authorization: `Bearer ${f.keys.pos}` },
        payload: { memberId, orderId: `order-${memberId}`, currency: "HKD", totalMinor: 500, lines: [{ sku: "tea", quantity: 1, unitPriceMinor: 500 }] },
      });
      expect(res.statusCode).toBe(201);
    }
    const get = async (url: string) => {
      const res = await f.cloud.http.inject({ method: "GET", url, headers: { authorization: `Bearer ${f.keys.admin}` } });
      expect(res.headers["content-type"]).toMatch(/application\/x-ndjson/);
      return res.body.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    const members = await get("/v1/members/export");
    expect(members.map((m) => m.id)).toEqual(["m-a", "m-b", "u1", "u2"]);
    const ledger = await get("/v1/members/ledger/export");
    expect(ledger.map((e) => [e.memberId, e.points])).toEqual([["m-a", 5], [null, 5]]);
  });
});
