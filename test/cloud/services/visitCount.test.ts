import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { MIGRATIONS, migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { encodeMessage, userTopic } from "../../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { addUsers, arrive, count, DAY, eventOf, liveRule, ruleDecisions, subjectOf } from "../ruleKit.js";

/** The visit number the rules read: kept per user and store, whatever consent and retention did. */
describe("visit counting for rules", () => {
  // Tuesday 2026-03-10, 10:00 in Hong Kong (the fixture's stores are there).
  const clock = new ManualClock("2026-03-10T02:00:00Z");
  let f: CloudFixture;

  const decisionsOf = async (ruleId: string, userId: string) =>
    (await ruleDecisions(f, ruleId)).filter((d) => d.userId === userId).map((d) => `${d.outcome} ${d.text}`);

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
    await addUsers(f, ["u71", "u72"]);
    // u73 wants offers but not analytics: its presence is stored unlinked.
    await f.cloud.repositories.users.upsertUser(
      {
        id: "u73",
        orgId: "o1",
        displayName: "u73",
        segments: [],
        loyaltyTier: null,
        marketingConsent: true,
        analyticsConsent: false,
      },
      0,
    );
    await f.cloud.repositories.users.registerDevice(subjectOf("u73"), "u73", null, 0);
    await liveRule(f, "welcome", { trigger: { type: "first-visit" } });
    await liveRule(f, "second", { trigger: { type: "nth-visit", n: 2 } });
  });
  afterAll(async () => {
    await f?.close();
  });

  it("counts the visits of a user without analytics consent: the second is not a first visit", async () => {
    await arrive(f, [eventOf("u73", clock.now())]);
    clock.advance(DAY);
    await arrive(f, [eventOf("u73", clock.now())]);
    expect(await count(f, "SELECT COUNT(*) AS n FROM visits WHERE user_id = 'u73'")).toBe(0);
    // Newest first.
    expect(await decisionsOf("welcome", "u73")).toEqual([
      "not-issued first-visit rule, this is visit 2",
      expect.stringMatching(/^issued /),
    ]);
    expect(await decisionsOf("second", "u73")).toEqual([
      expect.stringMatching(/^issued /),
      "not-issued fires on visit 2, this is visit 1",
    ]);
  });

  it("counts a visit once however many of its events arrive, and a resent enter not again", async () => {
    const enter = eventOf("u71", clock.now(), { visit: "visit-u71-once" });
    const dwell = eventOf("u71", clock.now() + 60_000, { visit: "visit-u71-once", type: "dwell", dwellMs: 60_000 });
    const again = eventOf("u71", clock.now() + 120_000, { visit: "visit-u71-once" });
    await arrive(f, [enter]);
    await arrive(f, [dwell, again]);
    expect(
      await f.cloud.repositories.db.get("SELECT visits, last_visit_id FROM user_visit_counts WHERE user_id = 'u71'"),
    ).toEqual({ visits: 1, last_visit_id: "visit-u71-once" });
  });

  it("still counts a visit swept by retention: the shopper back later is on a second visit", async () => {
    await arrive(f, [eventOf("u72", clock.now())]);
    clock.advance(40 * DAY);
    const swept = await f.cloud.retention.sweep();
    expect(swept.visitsAggregated).toBeGreaterThan(0);
    expect(await count(f, "SELECT COUNT(*) AS n FROM visits WHERE user_id = 'u72'")).toBe(0);
    await arrive(f, [eventOf("u72", clock.now())]);
    // The first visit's decisions went with retention; the visit still counts.
    expect(swept.decisionsDeleted).toBeGreaterThan(0);
    expect(await decisionsOf("welcome", "u72")).toEqual(["not-issued first-visit rule, this is visit 2"]);
    expect((await decisionsOf("second", "u72"))[0]).toMatch(/^issued /);
  });
});

describe("geofence reports over MQTT", () => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
  });
  afterAll(async () => {
    await f?.close();
  });

  const reportAs = (userId: string, reportId: string) =>
    f.cloud.geofence.handleReport(
      userTopic(userId, "location"),
      encodeMessage({ v: 1, reportId, storeId: "s1", lat: 22.28, lon: 114.15, accuracyM: 10, at: new Date().toISOString() }),
    );

  it("stores two users' reports with the same reportId, and one user's resend once", async () => {
    await reportAs("u1", "report-0000001");
    await reportAs("u2", "report-0000001");
    await reportAs("u1", "report-0000001");
    const rows = await f.cloud.repositories.db.all<{ user_id: string }>(
      "SELECT user_id FROM presence_events WHERE subject_kind = 'app' ORDER BY user_id",
    );
    expect(rows.map((r) => r.user_id)).toEqual(["u1", "u2"]);
  });
});

describe("visit count migration", () => {
  it("backfills each user's count per store from the visits held, the latest and the one before", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arrival-visit-counts-"));
    const db = await SqliteDatabase.open(join(dir, "cloud.db"));
    try {
      // A database as the release before the counter left it.
      await db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      for (const m of MIGRATIONS.filter((x) => x.version < 7)) {
        await db.exec(m.sql);
        await db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)", [m.version, m.name]);
      }
      const visits: [string, string, string | null, number][] = [
        ["v1", "s1", "u1", 100],
        ["v2", "s1", "u1", 300],
        ["v3", "s1", "u1", 200],
        ["v4", "s2", "u1", 50],
        ["v5", "s1", "u2", 70],
        ["v6", "s1", null, 80],
      ];
      for (const [id, store, user, at] of visits) {
        await db.run(
          "INSERT INTO visits (id, store_id, zone_id, subject_id, user_id, entered_at, last_event_at) VALUES (?, ?, 'z1', 'x', ?, ?, ?)",
          [id, store, user, at, at],
        );
      }
      expect(await migrate(db, 0)).toBeGreaterThanOrEqual(7);
      // Last seen (migration 15) starts as the visit's start.
      expect(await db.all("SELECT * FROM user_visit_counts ORDER BY user_id, store_id")).toEqual([
        { user_id: "u1", store_id: "s1", visits: 3, last_visit_id: "v2", last_visit_at: 300, previous_visit_at: 200, last_seen_at: 300 },
        { user_id: "u1", store_id: "s2", visits: 1, last_visit_id: "v4", last_visit_at: 50, previous_visit_at: null, last_seen_at: 50 },
        { user_id: "u2", store_id: "s1", visits: 1, last_visit_id: "v5", last_visit_at: 70, previous_visit_at: null, last_seen_at: 70 },
      ]);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
