import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { addStore, addUsers, api, arrive, eventOf, OFFER } from "../ruleKit.js";

interface EventDecisions {
  event: { status: string };
  decisions: { ruleId: string; outcome: string; reason: string; text: string }[];
}

/**
 * A rule scheduled for 2026-03-28..30, 09:00-10:00 local, in stores in London (which switches to
 * summer time on 2026-03-29 at 01:00 UTC), New York (already on EDT since 2026-03-08) and Hong Kong
 * (no DST), driven through the real path: ingest, the offer service, the scheduler's timer logic
 * and the API, on a manual clock.
 */
describe("schedules across timezones and a DST change, on a manual clock", () => {
  const clock = new ManualClock("2026-03-27T08:00:00Z");
  let f: CloudFixture;
  let users = 0;

  /** A fresh user enters `storeId` now (on the manual clock); resolves to the rule's decision. */
  async function arriveAt(iso: string, storeId: string): Promise<EventDecisions> {
    clock.set(iso);
    const userId = `u${200 + users++}`;
    await addUsers(f, [userId]);
    const event = eventOf(userId, iso, { storeId });
    await arrive(f, [event]);
    const res = await api<EventDecisions>(f, f.keys.marketer, "GET", `/v1/events/${event.id}/decisions`);
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
    await addStore(f, "lon", "Europe/London");
    await addStore(f, "nyc", "America/New_York");
    await addStore(f, "hkg", "Asia/Hong_Kong");
    const created = await api(f, f.keys.marketer, "POST", "/v1/rules", {
      id: "spring",
      spec: {
        trigger: { type: "enter" },
        offer: OFFER,
        conditions: {
          schedule: { from: "2026-03-28", until: "2026-03-30", windows: [{ start: "09:00", end: "10:00" }] },
        },
      },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await f?.close();
  });

  it("stays scheduled until its first day has begun somewhere, then goes live by the scheduler", async () => {
    const res = await api<{ rule: { status: string } }>(f, f.keys.marketer, "POST", "/v1/rules/spring/transitions", {
      to: "scheduled",
    });
    expect(res.body.rule.status).toBe("scheduled");
    // 09:59Z is 23:59 on the 27th in UTC+14, the earliest timezone.
    clock.set("2026-03-27T09:59:00Z");
    expect(await f.cloud.rules.tick()).toBe(0);
    clock.set("2026-03-27T10:00:00Z");
    expect(await f.cloud.rules.tick()).toBe(1);
    expect(await f.cloud.rules.tick()).toBe(0);
    const got = await api<{ rule: { status: string }; history: { actor: string; detail: Record<string, unknown> }[] }>(
      f,
      f.keys.marketer,
      "GET",
      "/v1/rules/spring",
    );
    expect(got.body.rule.status).toBe("live");
    expect(got.body.history[0]).toMatchObject({ actor: "scheduler", detail: { from: "scheduled", to: "live", by: "schedule" } });
  });

  it("still waits for each store's own first day", async () => {
    // Hong Kong: 2026-03-27 18:00 local.
    const d = await arriveAt("2026-03-27T10:00:00Z", "hkg");
    expect(d.decisions).toEqual([expect.objectContaining({ outcome: "not-issued", reason: "outside-schedule" })]);
  });

  it.each([
    ["Hong Kong 09:30 on the first day", "2026-03-28T01:30:00Z", "hkg", "issued"],
    ["Hong Kong 10:00 (the window's end is exclusive)", "2026-03-28T02:00:00Z", "hkg", "outside-schedule"],
    ["London 09:30 GMT before the switch", "2026-03-28T09:30:00Z", "lon", "issued"],
    ["London 08:30 GMT before the switch", "2026-03-28T08:30:00Z", "lon", "outside-schedule"],
    ["New York 09:30 EDT", "2026-03-28T13:30:00Z", "nyc", "issued"],
    ["New York 08:30 EDT", "2026-03-28T12:30:00Z", "nyc", "outside-schedule"],
    ["London 09:30 BST on the day of the switch", "2026-03-29T08:30:00Z", "lon", "issued"],
    ["London 10:30 BST on the day of the switch", "2026-03-29T09:30:00Z", "lon", "outside-schedule"],
    ["London 09:30 BST after the switch", "2026-03-30T08:30:00Z", "lon", "issued"],
    ["New York 09:30 on its last day, after Hong Kong's ended", "2026-03-30T13:30:00Z", "nyc", "issued"],
    ["Hong Kong on the day after until, rule still live elsewhere", "2026-03-31T01:30:00Z", "hkg", "outside-schedule"],
  ])("%s → %s", async (_name, iso, store, expected) => {
    const d = await arriveAt(iso, store);
    expect(d.decisions).toHaveLength(1);
    const [decision] = d.decisions;
    if (expected === "issued") expect(decision).toMatchObject({ outcome: "issued", reason: "eligible" });
    else expect(decision).toMatchObject({ outcome: "not-issued", reason: expected });
    expect(decision?.text.length).toBeGreaterThan(0);
  });

  it("ends once its last day is over everywhere, and then issues nothing", async () => {
    // 11:59Z on the 31st is still the 30th in UTC-12.
    clock.set("2026-03-31T11:59:00Z");
    expect(await f.cloud.rules.tick()).toBe(0);
    clock.set("2026-03-31T12:00:00Z");
    expect(await f.cloud.rules.tick()).toBe(1);
    const got = await api<{ rule: { status: string } }>(f, f.keys.storeOps, "GET", "/v1/rules/spring");
    expect(got.body.rule.status).toBe("ended");
    const d = await arriveAt("2026-04-01T01:30:00Z", "hkg");
    expect(d.event.status).toBe("no-candidate-rules");
    expect(d.decisions).toEqual([]);
  });

  it("puts a rule scheduled for a day that has begun somewhere live at once", async () => {
    clock.set("2026-04-02T23:00:00Z");
    await api(f, f.keys.marketer, "POST", "/v1/rules", {
      id: "tomorrow-in-tokyo",
      spec: { trigger: { type: "enter" }, offer: OFFER, conditions: { schedule: { from: "2026-04-03" } } },
    });
    const res = await api<{ rule: { status: string } }>(
      f,
      f.keys.marketer,
      "POST",
      "/v1/rules/tomorrow-in-tokyo/transitions",
      { to: "scheduled" },
    );
    expect(res.status).toBe(200);
    expect(res.body.rule.status).toBe("live");
  });
});
