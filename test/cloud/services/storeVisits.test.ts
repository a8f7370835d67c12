import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { addUsers, arrive, DAY, eventOf, liveRule, ruleDecisions, subjectOf } from "../ruleKit.js";

const STORE = { lat: 22.2819, lon: 114.1582 };
/** About `metres` north of the store (1° of latitude ≈ 111 km). */
const north = (metres: number) => ({ lat: STORE.lat + metres / 111_000, lon: STORE.lon });
const MINUTE = 60_000;

/**
 * Store visits through the running cloud: gateway batches go through ingest as the broker delivers
 * them, phone geofence entries through the HTTP route the app calls, and every decision is read
 * back from the decision log. A store visit is the unit of counts and once-per-visit caps.
 */
describe("store visits", () => {
  // Tuesday 2026-03-10, 10:00 in Hong Kong (the fixture's stores are there).
  const clock = new ManualClock("2026-03-10T02:00:00Z");
  let f: CloudFixture;
  const appKeys = new Map<string, string>();

  const decisionsOf = async (ruleId: string, userId: string) =>
    (await ruleDecisions(f, ruleId))
      .filter((d) => d.userId === userId)
      // "eligible": every condition held, another rule won the event (one offer per event).
      .map((d) => (d.outcome === "issued" ? "issued" : d.reason === "lower-priority" ? "eligible" : d.reason))
      .reverse();
  const visitCount = async (userId: string) =>
    (
      await f.cloud.repositories.db.get<{ visits: number }>(
        "SELECT visits FROM user_visit_counts WHERE user_id = ? AND store_id = 's1'",
        [userId],
      )
    )?.visits ?? 0;

  /** Reports a geofence entry as the app does: its own key, the fix taken now. */
  const reportFix = async (userId: string, where: { lat: number; lon: number }, accuracyM = 15) => {
    const res = await f.cloud.http.inject({
      method: "POST",
      url: `/v1/users/${userId}/geofence-entries`,
      headers: { authorization: `Bearer ${appKeys.get(userId)}` },
      payload: { storeId: "s1", accuracyM, at: clock.iso(), ...where },
    });
    expect(res.statusCode, res.body).toBe(201);
    await f.cloud.offers.idle();
    return res.json<{ eventId: string; plausible: boolean }>();
  };

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
    const repo = f.cloud.repositories;
    await repo.directory.upsertStore(
      { id: "s1", orgId: "o1", name: "s1", timezone: "Asia/Hong_Kong", ...STORE, tags: [] },
      clock.now(),
    );
    await repo.directory.upsertZone({ id: "z2", storeId: "s1", name: "Till", tags: [], geometry: {} });
    await repo.directory.upsertGateway({ id: "g2", storeId: "s1", name: "Second gateway" }, clock.now());
    const users = ["u81", "u82", "u83", "u84", "u85", "u86", "u87"];
    await addUsers(f, users);
    for (const userId of users) {
      appKeys.set(
        userId,
        (await f.cloud.credentials.issueApiKey({ role: "app", orgId: "o1", label: userId, userId }, "test")).key,
      );
    }
    await liveRule(f, "geo", { trigger: { type: "geofence-arrival" } });
    await liveRule(f, "hello", { trigger: { type: "enter" } });
    await liveRule(f, "welcome", { trigger: { type: "first-visit" } });
    await liveRule(f, "second", { trigger: { type: "nth-visit", n: 2 } });
  });
  afterAll(async () => {
    await f?.close();
  });

  it("fires geofence-arrival on a phone's plausible entry, and not a gateway rule", async () => {
    await reportFix("u81", north(30));
    expect(await decisionsOf("geo", "u81")).toEqual(["issued"]);
    // The gateway rules were not even candidates: a phone's claim is no beacon sighting.
    expect(await decisionsOf("hello", "u81")).toEqual([]);
    expect(await decisionsOf("welcome", "u81")).toEqual([]);
  });

  it("holds once-per-visit for a phone reporting the same arrival again", async () => {
    clock.advance(5 * MINUTE);
    await reportFix("u81", north(25));
    clock.advance(20 * MINUTE);
    await reportFix("u81", north(20));
    expect(await decisionsOf("geo", "u81")).toEqual([
      "issued",
      "already-issued-this-visit",
      "already-issued-this-visit",
    ]);
    expect(await visitCount("u81")).toBe(1);
  });

  it("joins the gateways' sightings of the phone's arrival to the same store visit", async () => {
    clock.advance(MINUTE);
    await arrive(f, [eventOf("u81", clock.now(), { gatewayId: "g1", subject: { kind: "ibeacon", id: subjectOf("u81") } })]);
    // Still the first visit: the phone and the gateway reported one arrival.
    expect(await decisionsOf("welcome", "u81")).toEqual(["eligible"]);
    expect(await visitCount("u81")).toBe(1);
  });

  it("counts two gateways and two zones of one arrival as one visit, with one offer per rule", async () => {
    const at = clock.now();
    await arrive(f, [
      eventOf("u82", at, { gatewayId: "g1", zoneId: "z1", visit: "visit-u82-g1" }),
      eventOf("u82", at + 2_000, { gatewayId: "g2", zoneId: "z1", visit: "visit-u82-g2" }),
    ]);
    clock.advance(4 * MINUTE);
    await arrive(f, [eventOf("u82", clock.now(), { gatewayId: "g2", zoneId: "z2", visit: "visit-u82-till" })]);
    expect(await visitCount("u82")).toBe(1);
    expect(await decisionsOf("hello", "u82")).toEqual([
      "issued",
      "already-issued-this-visit",
      "already-issued-this-visit",
    ]);
    expect(await decisionsOf("second", "u82")).toEqual(
      Array.from({ length: 3 }, () => "trigger-mismatch"),
    );
  });

  it("makes coming back the next day the second visit", async () => {
    clock.advance(DAY);
    await arrive(f, [eventOf("u82", clock.now(), { gatewayId: "g1", visit: "visit-u82-next-day" })]);
    expect(await visitCount("u82")).toBe(2);
    expect((await decisionsOf("second", "u82")).at(-1)).toMatch(/^(issued|eligible)$/);
    expect((await decisionsOf("hello", "u82")).at(-1)).toMatch(/^(issued|eligible)$/);
    expect((await decisionsOf("welcome", "u82")).at(-1)).toBe("trigger-mismatch");
  });

  it("never counts an implausible report: the shopper's real first arrival is still visit 1", async () => {
    // A fix in another country, then one 2 km away: both flagged, stored, decided no further.
    expect((await reportFix("u83", { lat: 48.8566, lon: 2.3522 })).plausible).toBe(false);
    clock.advance(3 * DAY);
    expect((await reportFix("u83", north(2000))).plausible).toBe(false);
    expect(await visitCount("u83")).toBe(0);
    expect(await decisionsOf("geo", "u83")).toEqual([]);
    clock.advance(DAY);
    await arrive(f, [eventOf("u83", clock.now(), { gatewayId: "g1" })]);
    expect(await visitCount("u83")).toBe(1);
    expect(await decisionsOf("welcome", "u83")).toEqual([expect.stringMatching(/^(issued|eligible)$/)]);
  });

  it("does not farm visits from reports minutes apart", async () => {
    for (let k = 0; k < 4; k++) {
      await reportFix("u84", north(20 + k));
      clock.advance(2 * MINUTE);
    }
    await arrive(f, [eventOf("u84", clock.now(), { gatewayId: "g2" })]);
    expect(await visitCount("u84")).toBe(1);
    expect(await decisionsOf("second", "u84")).toEqual(["trigger-mismatch"]);
  });

  it("keeps a long zone visit one visit when its exit comes after a quiet hour", async () => {
    const enteredAt = clock.now();
    await arrive(f, [eventOf("u85", enteredAt, { gatewayId: "g1", visit: "visit-u85-long" })]);
    clock.advance(90 * MINUTE);
    await arrive(f, [
      eventOf("u85", clock.now(), { gatewayId: "g1", visit: "visit-u85-long", type: "exit", dwellMs: 90 * MINUTE }),
    ]);
    expect(await visitCount("u85")).toBe(1);
    // Back an hour after the exit: a new store visit.
    clock.advance(60 * MINUTE);
    await arrive(f, [eventOf("u85", clock.now(), { gatewayId: "g1", visit: "visit-u85-back" })]);
    expect(await visitCount("u85")).toBe(2);
  });

  it("lets a rule require the store's gateways to confirm a phone's claim", async () => {
    await liveRule(f, "confirmed", {
      trigger: { type: "geofence-arrival" },
      conditions: { requireCorroboration: true },
      priority: 5,
    });
    clock.advance(DAY);
    // No gateway saw u87: the claim is plausible but unconfirmed.
    await reportFix("u87", north(15));
    clock.advance(MINUTE);
    await arrive(f, [eventOf("u87", clock.now(), { gatewayId: "g1" })]);
    clock.advance(MINUTE);
    await reportFix("u87", north(12));
    expect(await decisionsOf("confirmed", "u87")).toEqual(["not-corroborated", "issued"]);
    const [unconfirmed] = (await ruleDecisions(f, "confirmed")).filter((d) => d.userId === "u87").reverse();
    expect(unconfirmed?.text).toBe("the store's gateways did not see the shopper around the phone's claim");
  });

  it("makes one visit of one phone heard under two identities (strongest id or not)", async () => {
    // The phone advertises an iBeacon and a second frame the user registered too: two subjects,
    // two zone visits, one user and so one store visit and one offer per rule.
    const second = "eddystone-uid:00112233445566778899:0000000000a7";
    await f.cloud.repositories.users.registerDevice(second, "u85", null, clock.now());
    clock.advance(DAY);
    const at = clock.now();
    await arrive(f, [
      eventOf("u85", at, { gatewayId: "g1", visit: "visit-u85-ibeacon" }),
      eventOf("u85", at + 1_000, { gatewayId: "g1", visit: "visit-u85-eddystone", subject: { kind: "eddystone-uid", id: second } }),
    ]);
    expect(await visitCount("u85")).toBe(3);
    expect((await decisionsOf("hello", "u85")).slice(-2)).toEqual([
      expect.stringMatching(/^(issued|eligible)$/),
      "already-issued-this-visit",
    ]);
  });

  it("dry-runs a geofence-arrival rule on the plausible geofence entries, and an enter rule on none", async () => {
    const dryRun = async (trigger: string) => {
      const res = await f.cloud.http.inject({
        method: "POST",
        url: "/v1/rules/dry-run",
        headers: { authorization: `Bearer ${f.keys.marketer}` },
        payload: {
          spec: { trigger: { type: trigger }, offer: { title: "t", text: "x", discount: { kind: "percent", percent: 5 }, validityS: 600 } },
          from: "2026-03-01T00:00:00Z",
          to: "2026-04-01T00:00:00Z",
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ report: { eventsEvaluated: number } }>().report.eventsEvaluated;
    };
    const sql = async (where: string) =>
      (await f.cloud.repositories.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM presence_events WHERE user_id IS NOT NULL AND ${where}`))?.n;
    // u83's two flagged reports are stored, but were never decided and are not replayed.
    expect(await sql("gateway_id = 'phone' AND decided_at IS NOT NULL AND json_extract(signals, '$.plausible') = 0")).toBe(2);
    const plausible = await sql("gateway_id = 'phone' AND json_extract(signals, '$.plausible') = 1");
    expect(plausible).toBe(9);
    expect(await dryRun("geofence-arrival")).toBe(plausible);
    expect(await dryRun("enter")).toBe(await sql("type = 'enter' AND gateway_id != 'phone'"));
    // Visit numbers as the live path read them: u82's second store visit (the next day) is the
    // only one an nth-visit 2 rule would have fired on, whatever its two gateways and two zones.
    const res = await f.cloud.http.inject({
      method: "POST",
      url: "/v1/rules/dry-run",
      headers: { authorization: `Bearer ${f.keys.marketer}` },
      payload: {
        spec: {
          trigger: { type: "nth-visit", n: 2 },
          conditions: { segments: ["none"] },
          offer: { title: "t", text: "x", discount: { kind: "percent", percent: 5 }, validityS: 600 },
        },
        from: "2026-03-01T00:00:00Z",
        to: "2026-04-01T00:00:00Z",
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const live = (await ruleDecisions(f, "second")).filter((d) => d.reason !== "trigger-mismatch").length;
    expect(live).toBeGreaterThanOrEqual(2);
    const report = res.json<{ report: { notIssued: Record<string, number> } }>().report;
    // Every event that passed the trigger in the dry run failed on the segment; as many as live.
    expect(report.notIssued["segment-mismatch"]).toBe(live);
  });

  it("keeps each event's store visit across a restart for the decisions still to make", async () => {
    const at = clock.now();
    await arrive(f, [eventOf("u86", at, { gatewayId: "g1", visit: "visit-u86-a" })]);
    const rows = await f.cloud.repositories.db.all<{ visit_id: string; store_visit_id: string | null }>(
      "SELECT visit_id, store_visit_id FROM presence_events WHERE user_id = 'u86'",
    );
    expect(rows).toEqual([{ visit_id: "visit-u86-a", store_visit_id: "visit-u86-a" }]);
    // A second gateway's enter, stored but left undecided (the cloud stopped first), is decided
    // after the restart in the store visit it joined: once-per-visit still holds.
    await f.cloud.stop();
    const second = eventOf("u86", at + 3_000, { gatewayId: "g2", visit: "visit-u86-b" });
    await f.restart(async (cloud) => {
      await cloud.repositories.events.storeBatches([
        {
          storeId: "s1",
          gatewayId: "g2",
          outbox: "restart-outbox",
          fromSeq: second.seq,
          events: [second],
          refusedSeqs: [],
          receivedAt: clock.now(),
        },
      ]);
    });
    await f.cloud.offers.idle();
    expect(await decisionsOf("hello", "u86")).toEqual(["issued", "already-issued-this-visit"]);
  });
});
