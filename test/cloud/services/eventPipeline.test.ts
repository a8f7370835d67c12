import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Offer } from "../../../cloud/src/domain/offers/index.js";
import { DeliveryStage } from "../../../cloud/src/services/pipeline/DeliveryStage.js";
import { DirectoryCache } from "../../../cloud/src/services/pipeline/DirectoryCache.js";
import type { MessageBus } from "../../../cloud/src/services/ports.js";
import type { AppUser, DecisionGroup } from "../../../cloud/src/services/repositories.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { ManualClock } from "../manualClock.js";
import { addUsers, eventOf, liveRule, ruleDecisions } from "../ruleKit.js";
import { silentLog } from "../../support/mosquitto.js";

describe("event pipeline: decisions in groups", () => {
  // Tuesday 2026-03-10, 10:00 in Hong Kong (the fixture's stores are there).
  const clock = new ManualClock("2026-03-10T02:00:00Z");
  let f: CloudFixture;
  const groups: DecisionGroup[] = [];
  /** Whether the pipeline said it was busy as each group was decided. */
  const busyWhileDeciding: boolean[] = [];

  beforeAll(async () => {
    f = await createCloudFixture({ clock, seedRule: false });
    await liveRule(f, "group-budget", { trigger: { type: "enter" }, limits: { budget: 3 } });
    const repository = f.cloud.repositories.offers;
    const decideGroup = repository.decideGroup.bind(repository);
    repository.decideGroup = (group, decide) => {
      groups.push(group);
      busyWhileDeciding.push(f.cloud.pipeline.busy);
      return decideGroup(group, decide);
    };
  });
  afterAll(async () => {
    await f?.close();
  });

  it("decides the events of one committed batch in one transaction, budget exact within it", async () => {
    const users = ["u901", "u902", "u903", "u904", "u905"];
    await addUsers(f, users);
    const events = users.map((u) => eventOf(u, clock.now()));
    groups.length = 0;
    await f.ingest(events, events[0]?.seq);
    await f.cloud.pipeline.idle();
    expect(groups).toHaveLength(1);
    expect(groups[0]?.requests.map((r) => r.userId)).toEqual(users);
    // The first three in order get the budget's three offers; the group's own offers count.
    const decisions = await ruleDecisions(f, "group-budget");
    const byUser = Object.fromEntries(decisions.map((d) => [d.userId, d.reason]));
    expect(byUser).toEqual({
      u901: "eligible",
      u902: "eligible",
      u903: "eligible",
      u904: "budget-exhausted",
      u905: "budget-exhausted",
    });
    expect(f.cloud.pipeline.counters.offersPublished).toBe(3);
    const published = await f.cloud.repositories.db.all<{ published_at: number | null }>(
      "SELECT published_at FROM offers WHERE rule_id = 'group-budget'",
    );
    expect(published.map((p) => p.published_at)).toEqual([clock.now(), clock.now(), clock.now()]);
  });

  it("says it is busy while it decides and delivers, and not once idle", async () => {
    await addUsers(f, ["u930"]);
    busyWhileDeciding.length = 0;
    expect(f.cloud.pipeline.busy).toBe(false);
    await f.ingest([eventOf("u930", clock.now())]);
    await f.cloud.pipeline.idle();
    expect(busyWhileDeciding).toEqual([true]);
    expect(f.cloud.pipeline.busy).toBe(false);
  });

  it("tells a waiter the offers issued on its event once decided, and nothing on another's", async () => {
    await liveRule(f, "group-wait", { trigger: { type: "enter" } });
    await addUsers(f, ["u920", "u921"]);
    const mine = eventOf("u920", clock.now());
    const other = eventOf("u921", clock.now());
    const waited = f.cloud.pipeline.whenDecided(mine.id, 60_000);
    const none = f.cloud.pipeline.whenDecided("never-submitted", 1);
    await f.ingest([mine, other], mine.seq);
    const offers = await waited;
    expect(offers?.map((o) => [o.ruleId, o.userId, o.eventId])).toEqual([["group-wait", "u920", mine.id]]);
    // An event nobody submits is not waited for past the bound (the real scheduler's 1 ms).
    await expect(none).resolves.toBeNull();
  });

  it("sees a directory write made between two groups (consent withdrawn)", async () => {
    await liveRule(f, "group-open", { trigger: { type: "enter" } });
    await addUsers(f, ["u910"]);
    await f.ingest([eventOf("u910", clock.now())]);
    await f.cloud.pipeline.idle();
    await f.cloud.repositories.users.upsertUser(
      {
        id: "u910",
        orgId: "o1",
        displayName: "u910",
        segments: [],
        loyaltyTier: null,
        marketingConsent: false,
        analyticsConsent: true,
      },
      clock.now(),
    );
    await f.ingest([eventOf("u910", clock.now())]);
    await f.cloud.pipeline.idle();
    const reasons = (await ruleDecisions(f, "group-open")).filter((d) => d.userId === "u910").map((d) => d.reason);
    expect(reasons.sort()).toEqual(["eligible", "no-marketing-consent"]);
  });
});

describe("DeliveryStage", () => {
  const offer = (id: string): Offer => ({
    offerId: id,
    ruleId: "r1",
    ruleVersion: 1,
    userId: "u1",
    storeId: "s1",
    zoneId: "z1",
    visitId: `visit-${id}`,
    eventId: `event-${id}`,
    title: "10% off",
    text: "Today",
    discount: { kind: "percent", percent: 10 },
    code: `CODE-${id}`,
    status: "issued",
    statusAt: 1000,
    issuedAt: 1000,
    expiresAt: 601_000,
  });

  function stage(publish: MessageBus["publish"]) {
    const recorded: string[][] = [];
    const bus = { publish } as unknown as MessageBus;
    const delivery = new DeliveryStage({
      bus,
      offers: {
        markAllPublished: async (ids) => {
          recorded.push([...ids]);
        },
        undeliveredOffers: async () => [],
      },
      clock: { now: () => 1000 },
      log: silentLog,
      recordDelayMs: 60_000,
    });
    return { delivery, recorded };
  }

  it("hands published offers to the next decision group instead of recording them itself", async () => {
    const { delivery, recorded } = stage(async () => undefined);
    expect(delivery.busy).toBe(false);
    delivery.accept([{ offer: offer("a") }, { offer: offer("b") }]);
    expect(delivery.busy).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(delivery.take()).toEqual(["a", "b"]);
    await delivery.idle();
    expect(recorded).toEqual([]);
    expect(delivery.busy).toBe(false);
    expect(delivery.counters.offersPublished).toBe(2);
  });

  it("records what no group took when it drains, and never an offer the broker refused", async () => {
    const { delivery, recorded } = stage(async (topic) => {
      if (topic.includes("/u1/") && recorded.length === 0 && failNext) {
        failNext = false;
        throw new Error("broker down");
      }
    });
    let failNext = true;
    delivery.accept([{ offer: offer("c") }]);
    delivery.accept([{ offer: offer("d") }]);
    await delivery.idle();
    expect(recorded).toEqual([["d"]]);
    expect(delivery.counters.offersPublished).toBe(1);
  });
});

describe("DirectoryCache", () => {
  it("reads each record once until the directory change counter moves", async () => {
    let changes = 0;
    let reads = 0;
    const user: AppUser = {
      id: "u1",
      orgId: "o1",
      displayName: null,
      segments: [],
      loyaltyTier: null,
      marketingConsent: true,
      analyticsConsent: true,
    };
    const cache = new DirectoryCache({
      directory: { getStore: async () => null, getZone: async () => null, getOrganisation: async () => null },
      users: {
        getUser: async () => {
          reads++;
          return user;
        },
      },
      changes: { directoryChanges: async () => changes },
    });
    await cache.refresh();
    expect(await cache.getUser("u1")).toEqual(user);
    await cache.refresh();
    expect(await cache.getUser("u1")).toEqual(user);
    expect(reads).toBe(1);
    changes++;
    await cache.refresh();
    await cache.getUser("u1");
    expect(reads).toBe(2);
  });
});

describe("event pipeline: a decision transaction that fails", () => {
  let f: CloudFixture;
  let failures = 0;

  beforeAll(async () => {
    f = await createCloudFixture({ seedRule: false });
    await liveRule(f, "retry-open", { trigger: { type: "enter" } });
    const repository = f.cloud.repositories.offers;
    const decideGroup = repository.decideGroup.bind(repository);
    repository.decideGroup = async (group, decide) => {
      if (failures > 0) {
        failures--;
        // As when the database restarts under the transaction.
        throw new Error("Connection terminated unexpectedly");
      }
      return decideGroup(group, decide);
    };
  });
  afterAll(async () => {
    await f?.close();
  });

  it("is tried again, so its events are decided without waiting for a restart", async () => {
    await addUsers(f, ["u950"]);
    failures = 2;
    const event = eventOf("u950", Date.now());
    await f.ingest([event], event.seq);
    await f.cloud.pipeline.idle();
    expect(failures).toBe(0);
    const decisions = await ruleDecisions(f, "retry-open");
    expect(decisions.map((d) => [d.eventId, d.outcome])).toEqual([[event.id, "issued"]]);
    const row = await f.cloud.repositories.db.get<{ decided_at: number | null }>(
      "SELECT decided_at FROM presence_events WHERE id = ?",
      [event.id],
    );
    expect(row?.decided_at).not.toBeNull();
  });
});
