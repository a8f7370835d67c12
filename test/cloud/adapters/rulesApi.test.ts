import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { addUsers, api, arrive, count, eventOf, OFFER } from "../ruleKit.js";

interface RuleBody {
  rule: { id: string; version: number; status: string; spec: Record<string, unknown> };
}
interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

describe("rules API over a real cloud", () => {
  let f: CloudFixture;
  let otherOrgMarketer: string;

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
    await addUsers(f, ["u11", "u12", "u13"]);
    await f.cloud.repositories.directory.upsertOrganisation({ id: "o2", name: "Other", maxOffersPerUserPerDay: 3 }, 0);
    otherOrgMarketer = (
      await f.cloud.credentials.issueApiKey({ role: "marketer", orgId: "o2", label: "o2 marketer" }, "test")
    ).key;
  });
  afterAll(async () => {
    await f?.close();
  });

  describe("validation: every problem with its path", () => {
    it.each([
      [
        "a dwell trigger without its minimum and a zero budget",
        { spec: { trigger: { type: "dwell" }, offer: OFFER, limits: { budget: 0 } } },
        // A missing property is reported at its own path, not at the object that lacks it.
        ["/spec/trigger/minDwellS", "/spec/limits/budget"],
      ],
      [
        "an unknown trigger type",
        { spec: { trigger: { type: "teleport" }, offer: OFFER } },
        ["/spec/trigger/type"],
      ],
      [
        "until before from, and consent switched off",
        {
          spec: {
            trigger: { type: "enter" },
            offer: OFFER,
            conditions: {
              schedule: { from: "2026-05-02", until: "2026-05-01" },
              requireMarketingConsent: false,
            },
          },
        },
        ["/spec/conditions/requireMarketingConsent"],
      ],
      ["a missing spec and an unknown field", { name: "x" }, [""]],
      [
        "a bad id and a bad discount",
        { id: "no spaces", spec: { trigger: { type: "enter" }, offer: { ...OFFER, discount: { kind: "percent", percent: 120 } } } },
        ["/id", "/spec/offer/discount/percent"],
      ],
    ])("%s → 400 with paths", async (_name, body, paths) => {
      const res = await api<ErrorBody>(f, f.keys.marketer, "POST", "/v1/rules", body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      const got = (res.body.error.details ?? []).map((d) => d.path);
      for (const path of paths) expect(got, JSON.stringify(res.body.error.details)).toContain(path);
      for (const d of res.body.error.details ?? []) expect(d.message.length).toBeGreaterThan(0);
    });

    it("reports the semantic problem once the schema passes", async () => {
      const res = await api<ErrorBody>(f, f.keys.marketer, "POST", "/v1/rules", {
        spec: {
          trigger: { type: "enter" },
          offer: OFFER,
          conditions: { schedule: { from: "2026-05-02", until: "2026-05-01" } },
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ path: "/spec/conditions/schedule/until", message: "is before from (2026-05-02)" }]);
    });

    it("refuses a rule naming a store or zone the organisation does not have, in a sentence", async () => {
      // The fixture's organisation has store s1 with zone z1; o2 has no store at all.
      const create = (scope: Record<string, unknown>, offer: Record<string, unknown> = OFFER) =>
        api<ErrorBody>(f, f.keys.marketer, "POST", "/v1/rules", { spec: { trigger: { type: "enter" }, scope, offer } });
      const unknown = await create({ storeIds: ["s1", "s-nowhere"], zoneIds: ["z-ghost"] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details).toEqual([
        { path: "/spec/scope/storeIds/1", message: 'no store "s-nowhere" in this organisation' },
        { path: "/spec/scope/zoneIds/0", message: 'no store of this organisation has a zone "z-ghost"' },
      ]);
      const variation = await create({ storeIds: ["s1"] }, { ...OFFER, variations: [{ storeId: "s9", title: "Elsewhere" }] });
      expect(variation.body.error.details).toEqual([{ path: "/spec/offer/variations/0/storeId", message: 'no store "s9" in this organisation' }]);
      // Another organisation's store is unknown here, as its rules are.
      const foreign = await api<ErrorBody>(f, otherOrgMarketer, "POST", "/v1/rules", {
        spec: { trigger: { type: "enter" }, scope: { storeIds: ["s1"] }, offer: OFFER },
      });
      expect(foreign.body.error.details).toEqual([{ path: "/spec/scope/storeIds/0", message: 'no store "s1" in this organisation' }]);
      expect((await create({ storeIds: ["s1"], zoneIds: ["z1"] })).status).toBe(201);
    });

    it("refuses zones none of which is in the stores chosen, and the same on an edit", async () => {
      // The fixture's second store s2 gets a zone of its own.
      await f.cloud.repositories.directory.upsertZone({ id: "z2", storeId: "s2", name: "Till", tags: [], geometry: {} });
      const spec = (scope: Record<string, unknown>) => ({ trigger: { type: "enter" }, scope, offer: OFFER });
      const created = await api<RuleBody>(f, f.keys.marketer, "POST", "/v1/rules", { spec: spec({ storeIds: ["s2"], zoneIds: ["z2"] }) });
      expect(created.status).toBe(201);
      const edit = await api<ErrorBody>(f, f.keys.marketer, "PUT", `/v1/rules/${created.body.rule.id}`, { spec: spec({ storeIds: ["s2"], zoneIds: ["z1"] }) });
      expect(edit.status).toBe(400);
      expect(edit.body.error.details).toEqual([
        { path: "/spec/scope/zoneIds", message: "none of these zones is in the stores chosen, so the rule could never fire" },
      ]);
      // With a tag besides, another store may match later: allowed.
      const tagged = await api<RuleBody>(f, f.keys.marketer, "PUT", `/v1/rules/${created.body.rule.id}`, {
        spec: spec({ storeIds: ["s2"], storeTags: ["flagship"], zoneIds: ["z1"] }),
      });
      expect(tagged.status).toBe(200);
    });

    it("estimates a rule's reach: members its audience matches now, and its last week replayed", async () => {
      // One member only is in segment reach-test and tier platinum; the others consent too.
      await f.cloud.repositories.users.upsertUser(
        { id: "u-gold", orgId: "o1", displayName: null, segments: ["reach-test"], loyaltyTier: "platinum", marketingConsent: true, analyticsConsent: true },
        0,
      );
      const spec = (conditions: Record<string, unknown>) => ({ trigger: { type: "enter" }, offer: OFFER, conditions });
      const everyone = await api<{ members: number; lastWeek: { arrivals: number; shoppers: number } }>(f, f.keys.marketer, "POST", "/v1/rules/reach", { spec: spec({}) });
      expect(everyone.status).toBe(200);
      const vip = await api<{ members: number }>(f, f.keys.marketer, "POST", "/v1/rules/reach", { spec: spec({ segments: ["reach-test"], loyaltyTiers: ["platinum"] }) });
      expect(vip.body.members).toBe(1);
      expect(everyone.body.members).toBeGreaterThan(vip.body.members);
      // An arrival of u11 today is in its last week.
      await arrive(f, [eventOf("u11", Date.now())]);
      const after = await api<{ lastWeek: { arrivals: number; shoppers: number; offers: number } }>(f, f.keys.marketer, "POST", "/v1/rules/reach", { spec: spec({}) });
      expect(after.body.lastWeek.arrivals).toBe(everyone.body.lastWeek.arrivals + 1);
      expect(after.body.lastWeek.shoppers).toBeGreaterThanOrEqual(1);
      const bad = await api<ErrorBody>(f, f.keys.marketer, "POST", "/v1/rules/reach", { spec: { trigger: { type: "teleport" }, offer: OFFER } });
      expect(bad.status).toBe(400);
    });

    it("validates edits and dry runs the same way", async () => {
      await api(f, f.keys.marketer, "POST", "/v1/rules", { id: "val-edit", spec: { trigger: { type: "enter" }, offer: OFFER } });
      const edit = await api<ErrorBody>(f, f.keys.marketer, "PUT", "/v1/rules/val-edit", {
        spec: { trigger: { type: "nth-visit", n: 0 }, offer: OFFER },
      });
      expect(edit.status).toBe(400);
      expect(edit.body.error.details?.map((d) => d.path)).toEqual(["/spec/trigger/n"]);
      const dry = await api<ErrorBody>(f, f.keys.marketer, "POST", "/v1/rules/dry-run", {
        spec: { trigger: { type: "enter" }, offer: { ...OFFER, validityS: 5 } },
        from: "2026-03-02T00:00:00Z",
        to: "yesterday",
      });
      expect(dry.status).toBe(400);
      expect(dry.body.error.details?.map((d) => d.path).sort()).toEqual(["/spec/offer/validityS", "/to"]);
    });
  });

  it("walks a rule through its lifecycle, records who did what, and refuses illegal steps", async () => {
    const spec = { name: "Welcome", trigger: { type: "enter" }, offer: OFFER };
    const created = await api<RuleBody>(f, f.keys.marketer, "POST", "/v1/rules", { id: "life", spec });
    expect(created.status).toBe(201);
    expect(created.body.rule).toMatchObject({ id: "life", version: 1, status: "draft" });

    const step = (to: string) => api<RuleBody & ErrorBody>(f, f.keys.marketer, "POST", "/v1/rules/life/transitions", { to });
    const scheduled = await step("scheduled");
    expect(scheduled.status).toBe(409);
    expect(scheduled.body.error.details).toEqual([
      { path: "/spec/conditions/schedule/from", message: "a scheduled rule needs a from day; make it live instead" },
    ]);
    expect((await step("live")).body.rule.status).toBe("live");
    expect((await step("paused")).body.rule.status).toBe("paused");
    expect((await step("live")).body.rule.status).toBe("live");
    expect((await step("ended")).body.rule.status).toBe("ended");
    const again = await step("live");
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/ended is final/);
    const edit = await api<ErrorBody>(f, f.keys.marketer, "PUT", "/v1/rules/life", { spec });
    expect(edit.status).toBe(409);

    const got = await api<{
      rule: { status: string };
      history: { actor: string; action: string; detail: Record<string, unknown> }[];
    }>(f, f.keys.storeOps, "GET", "/v1/rules/life");
    expect(got.status).toBe(200);
    expect(got.body.rule.status).toBe("ended");
    const marketerKeyId = /^ak_([^.]+)\./.exec(f.keys.marketer)?.[1];
    expect(got.body.history.map((h) => [h.action, h.detail.to ?? null]).reverse()).toEqual([
      ["rule.create", null],
      ["rule.transition", "live"],
      ["rule.transition", "paused"],
      ["rule.transition", "live"],
      ["rule.transition", "ended"],
    ]);
    for (const h of got.body.history) expect(h.actor).toBe(marketerKeyId);
    // The audit log names the key, never the key's secret.
    const leaked = await count(f, "SELECT COUNT(*) AS n FROM audit_log WHERE actor LIKE '%.%' OR detail LIKE '%ak_%'");
    expect(leaked).toBe(0);
  });

  it("edits make versions; offers keep the version they were issued under; the index follows", async () => {
    const spec = { trigger: { type: "enter" }, offer: { ...OFFER, title: "Version one" } };
    expect((await api(f, f.keys.marketer, "POST", "/v1/rules", { id: "vers", spec })).status).toBe(201);
    expect((await api(f, f.keys.marketer, "POST", "/v1/rules/vers/transitions", { to: "live" })).status).toBe(200);
    await arrive(f, [eventOf("u11", Date.now())]);

    const v2 = await api<RuleBody>(f, f.keys.marketer, "PUT", "/v1/rules/vers", {
      spec: { ...spec, offer: { ...spec.offer, title: "Version two" } },
      baseVersion: 1,
    });
    expect(v2.status).toBe(200);
    expect(v2.body.rule).toMatchObject({ version: 2, status: "live" });
    const stale = await api<ErrorBody>(f, f.keys.marketer, "PUT", "/v1/rules/vers", { spec, baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details?.[0]?.path).toBe("/baseVersion");

    await arrive(f, [eventOf("u12", Date.now())]);
    const offers = await f.cloud.repositories.db.all<{ user_id: string; rule_version: number; title: string }>(
      "SELECT user_id, rule_version, title FROM offers WHERE rule_id = 'vers' ORDER BY user_id",
    );
    expect(offers).toEqual([
      { user_id: "u11", rule_version: 1, title: "Version one" },
      { user_id: "u12", rule_version: 2, title: "Version two" },
    ]);

    // Paused: the next arrival is decided without this rule at all (it is out of the live index).
    expect((await api(f, f.keys.admin, "POST", "/v1/rules/vers/transitions", { to: "paused" })).status).toBe(200);
    await arrive(f, [eventOf("u13", Date.now())]);
    expect(await count(f, "SELECT COUNT(*) AS n FROM offers WHERE rule_id = 'vers'")).toBe(2);

    const got = await api<{
      versions: { version: number; offersIssued: number; spec: { offer: { title: string } } }[];
      offersIssued: number;
    }>(f, f.keys.marketer, "GET", "/v1/rules/vers");
    expect(got.body.offersIssued).toBe(2);
    expect(got.body.versions.map((v) => [v.version, v.offersIssued, v.spec.offer.title])).toEqual([
      [2, 1, "Version two"],
      [1, 1, "Version one"],
    ]);
  });

  it("lists the organisation's rules, filtered by status", async () => {
    const all = await api<{ rules: { id: string; status: string }[] }>(f, f.keys.storeOps, "GET", "/v1/rules");
    expect(all.status).toBe(200);
    expect(all.body.rules.map((r) => r.id)).toEqual(expect.arrayContaining(["life", "vers", "val-edit"]));
    const drafts = await api<{ rules: { id: string; status: string }[] }>(f, f.keys.storeOps, "GET", "/v1/rules?status=draft");
    expect(drafts.body.rules.every((r) => r.status === "draft")).toBe(true);
    expect(drafts.body.rules.map((r) => r.id)).toContain("val-edit");
  });

  describe("roles and organisations", () => {
    const body = { spec: { trigger: { type: "enter" }, offer: OFFER } };
    it.each([
      ["store-ops cannot create", "storeOps", "POST", "/v1/rules", body, 403],
      ["pos cannot read", "pos", "GET", "/v1/rules", undefined, 403],
      ["app cannot read", "appU1", "GET", "/v1/rules/life", undefined, 403],
      ["store-ops cannot transition", "storeOps", "POST", "/v1/rules/vers/transitions", { to: "live" }, 403],
      ["store-ops cannot dry-run", "storeOps", "POST", "/v1/rules/dry-run", body, 403],
      ["store-ops cannot read decisions", "storeOps", "GET", "/v1/rules/vers/decisions", undefined, 403],
      ["admin can create", "admin", "POST", "/v1/rules", body, 201],
    ] as const)("%s", async (_name, who, method, url, payload, status) => {
      const res = await api(f, f.keys[who], method, url, payload);
      expect(res.status).toBe(status);
    });

    it("hides another organisation's rules (404) and refuses its id", async () => {
      for (const [method, url, payload] of [
        ["GET", "/v1/rules/vers", undefined],
        ["PUT", "/v1/rules/vers", body],
        ["POST", "/v1/rules/vers/transitions", { to: "paused" }],
        ["GET", "/v1/rules/vers/decisions", undefined],
      ] as const) {
        const res = await api<ErrorBody>(f, otherOrgMarketer, method, url, payload);
        expect(res.status, `${method} ${url}`).toBe(404);
      }
      const list = await api<{ rules: unknown[] }>(f, otherOrgMarketer, "GET", "/v1/rules");
      expect(list.body.rules).toEqual([]);
      const taken = await api<ErrorBody>(f, otherOrgMarketer, "POST", "/v1/rules", { ...body, id: "vers" });
      expect(taken.status).toBe(409);
      const decisions = await api(f, otherOrgMarketer, "GET", "/v1/users/u11/decisions");
      expect(decisions.status).toBe(404);
    });

    it("keeps another organisation's admin away from this one's shoppers and tills", async () => {
      const otherAdmin = (
        await f.cloud.credentials.issueApiKey({ role: "admin", orgId: "o2", label: "o2 admin" }, "test")
      ).key;
      expect((await api(f, otherAdmin, "GET", "/v1/users/u11/offers")).status).toBe(404);
      expect((await api(f, f.keys.admin, "GET", "/v1/users/u11/offers")).status).toBe(200);
      const code = await f.cloud.repositories.db.get<{ code: string }>("SELECT code FROM offers WHERE user_id = 'u11'");
      const redeem = (key: string, receipt: string) =>
        f.cloud.http.inject({
          method: "POST",
          url: "/v1/redemptions",
          headers: { authorization: `Bearer ${key}`, "idempotency-key": receipt },
          payload: { code: code?.code ?? "", storeId: "s1" },
        });
      const refused = await redeem(otherAdmin, "receipt-o2-0001");
      // Another organisation's store is "not found", like every resource of another tenant.
      expect(refused.statusCode).toBe(404);
      expect((await redeem(f.keys.admin, "receipt-o1-0001")).statusCode).toBe(201);
    });
  });

  it("documents the new routes in the OpenAPI document", async () => {
    const res = await f.cloud.http.inject({ method: "GET", url: "/docs" });
    const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/v1/rules",
        "/v1/rules/{ruleId}",
        "/v1/rules/{ruleId}/transitions",
        "/v1/rules/{ruleId}/decisions",
        "/v1/rules/dry-run",
        "/v1/events/{eventId}/decisions",
        "/v1/analytics/funnel",
      ]),
    );
  });
});
