import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteRepositories, type SqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import type { Offer } from "../../../cloud/src/domain/offers/index.js";
import { PushDispatcher } from "../../../cloud/src/services/push/PushDispatcher.js";
import type { PushMessage, PushSender, PushSendResult } from "../../../cloud/src/services/push/PushSender.js";
import type { PushRegistration } from "../../../cloud/src/services/repositories.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { ManualClock } from "../manualClock.js";

/** A push service whose answers the test scripts; it answers `sent` when the script is empty. */
class ScriptedSender implements PushSender {
  readonly provider = "webpush" as const;
  readonly sent: { installationId: string; message: PushMessage }[] = [];
  readonly script: PushSendResult[] = [];
  async send(registration: PushRegistration, message: PushMessage): Promise<PushSendResult> {
    const answer = this.script.shift() ?? { outcome: "sent" };
    if (answer.outcome === "sent") this.sent.push({ installationId: registration.installationId, message });
    return answer;
  }
}

const START = Date.parse("2026-12-07T02:00:00Z"); // 10:00 in Hong Kong

function offer(id: string, overrides: Partial<Offer> = {}): Offer {
  return {
    offerId: id,
    ruleId: "r1",
    ruleVersion: 1,
    userId: "u1",
    storeId: "s1",
    zoneId: "z1",
    visitId: "v1",
    eventId: "e1",
    title: `Offer ${id}`,
    text: "Secret details stay in the app",
    discount: { kind: "percent", percent: 10 },
    issuedAt: START,
    expiresAt: START + 600_000,
    code: "ABCD-EFGH",
    status: "issued",
    statusAt: START,
    ...overrides,
  };
}

describe("push outbox", () => {
  let dir: string;
  let db: SqliteDatabase;
  let repos: SqliteRepositories;
  let clock: ManualClock;
  let sender: ScriptedSender;
  let dispatcher: PushDispatcher;

  const makeDispatcher = (frequencyCapMinutes = 0, overrides: Partial<ConstructorParameters<typeof PushDispatcher>[0]> = {}) =>
    new PushDispatcher({
      registrations: repos.pushRegistrations,
      delivery: repos.delivery,
      stores: repos.directory,
      senders: [sender],
      clock,
      scheduler: new ManualScheduler(clock),
      log: new RecordingLogger(),
      newId: (() => {
        let n = 0;
        return () => `item-${++n}`;
      })(),
      jitter: () => 0,
      frequencyCapMinutes,
      maxAttempts: 3,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      pollIntervalMs: 1000,
      ...overrides,
    });

  const register = (installationId: string, token = `https://push.example.com/${installationId}`) =>
    repos.pushRegistrations.upsertPushRegistration(
      { userId: "u1", installationId, orgId: "o1", provider: "webpush", token, keys: { p256dh: "k", auth: "a" }, environment: null },
      START,
    );

  /** A dispatcher whose registration reads are noted (the member ids of each), returned. */
  const watchRegistrationReads = (): string[][] => {
    const real = repos.pushRegistrations;
    const reads: string[][] = [];
    const watched = Object.create(real) as typeof real;
    watched.pushRegistrationsOf = (userIds) => {
      reads.push([...userIds]);
      return real.pushRegistrationsOf(userIds);
    };
    dispatcher = makeDispatcher(0, { registrations: watched });
    return reads;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-push-"));
    db = await SqliteDatabase.open(join(dir, "cloud.db"));
    await migrate(db, 0);
    repos = createSqliteRepositories(db);
    clock = new ManualClock(START);
    await repos.directory.upsertOrganisation({ id: "o1", name: "O", maxOffersPerUserPerDay: 5 }, 0);
    await repos.directory.upsertStore(
      { id: "s1", orgId: "o1", name: "S", timezone: "Asia/Hong_Kong", lat: null, lon: null, tags: [] },
      0,
    );
    await repos.users.upsertUser(
      { id: "u1", orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
      0,
    );
    sender = new ScriptedSender();
    dispatcher = makeDispatcher();
  });
  afterEach(async () => {
    await dispatcher.stop();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("sends each offer to every installation with only its id and title, and leaves a push receipt", async () => {
    await register("phone");
    await register("tablet");
    await dispatcher.offersIssued([offer("o-1")]);
    await dispatcher.drain();
    expect(sender.sent.map((s) => s.installationId).sort()).toEqual(["phone", "tablet"]);
    expect(sender.sent[0]?.message).toEqual({ offerId: "o-1", title: "Offer o-1", ttlS: 600, collapseKey: "o-1" });
    expect(await repos.delivery.receiptCounts({ orgId: "o1", storeId: null, from: 0, to: START + 1 })).toEqual({
      push: 1,
      mqtt: 0,
      pull: 0,
    });
    // Issued again (a redelivery after a restart): nothing new to send.
    await dispatcher.offersIssued([offer("o-1")]);
    await dispatcher.drain();
    expect(sender.sent).toHaveLength(2);
  });

  it("sends a freshly queued offer without reading it back, and only once", async () => {
    await register("phone");
    await register("tablet");
    const reads = watchRegistrationReads();
    await dispatcher.offersIssued([offer("o-1")]);
    await dispatcher.drain();
    expect(sender.sent.map((s) => s.installationId).sort()).toEqual(["phone", "tablet"]);
    // Read once, to queue: the attempts took the registrations from there.
    expect(reads).toEqual([["u1"]]);
    expect(await repos.delivery.pushItem("item-1")).toMatchObject({ status: "sent" });
    expect(await repos.delivery.pushItem("item-2")).toMatchObject({ status: "sent" });
  });

  it("builds a decision group's rows from registrations read before it, and sends those stored without reading back", async () => {
    await register("phone");
    const reads = watchRegistrationReads();
    const plan = await dispatcher.prepare(["u1", "u1", "u2"]);
    expect(reads).toEqual([["u1", "u2"]]);
    // A transaction run twice (its first run rolled back): only the second run's offer is stored.
    plan.itemsOf(offer("o-lost"), "o1");
    const rows = plan.itemsOf(offer("o-kept"), "o1");
    expect(rows.map((r) => [r.offerId, r.installationId, r.orgId, r.storeId, r.nextAttemptAt])).toEqual([["o-kept", "phone", "o1", "s1", START]]);
    // No installation, or expired already: no row.
    expect(plan.itemsOf(offer("o-none", { userId: "u2" }), "o1")).toEqual([]);
    expect(plan.itemsOf(offer("o-old", { expiresAt: START }), "o1")).toEqual([]);
    // What the decision's transaction does with the rows, then its commit.
    await repos.delivery.enqueuePush(rows, START);
    plan.stored([offer("o-kept")]);
    await dispatcher.drain();
    expect(sender.sent.map((s) => [s.message.offerId, s.installationId])).toEqual([["o-kept", "phone"]]);
    expect(reads).toHaveLength(1);
    expect(dispatcher.counters).toMatchObject({ queued: 1, sent: 1 });
    expect(await repos.delivery.pushItem(rows[0]?.id ?? "")).toMatchObject({ status: "sent" });
  });

  it("asks for the registrations and the stores at once when it queues, not one after the other", async () => {
    await register("phone");
    const real = repos.pushRegistrations;
    const asked: string[] = [];
    const watched = Object.create(real) as typeof real;
    watched.pushRegistrationsOf = async (userIds) => {
      asked.push("registrations");
      // Still unanswered when the store is asked for.
      await new Promise((r) => setImmediate(r));
      asked.push("registrations answered");
      return real.pushRegistrationsOf(userIds);
    };
    const stores = {
      getStore: (id: string) => {
        asked.push(`store ${id}`);
        return repos.directory.getStore(id);
      },
    };
    dispatcher = makeDispatcher(0, { registrations: watched, stores });
    await dispatcher.offersIssued([offer("o-1"), offer("o-2")]);
    expect(asked).toEqual(["store s1", "registrations", "registrations answered"]);
    await dispatcher.drain();
    expect(sender.sent.map((s) => s.message.offerId).sort()).toEqual(["o-1", "o-2"]);
  });

  it("asks for the store and both policies at once before an attempt", async () => {
    await register("phone");
    const asked: string[] = [];
    const stores = {
      getStore: async (id: string) => {
        asked.push("store");
        // Still unanswered when the policies are asked for.
        await new Promise((r) => setImmediate(r));
        asked.push("store answered");
        return repos.directory.getStore(id);
      },
    };
    const delivery = Object.create(repos.delivery) as typeof repos.delivery;
    delivery.pushPolicy = (orgId, storeId) => {
      asked.push(storeId === null ? "org policy" : "store policy");
      return repos.delivery.pushPolicy(orgId, storeId);
    };
    dispatcher = makeDispatcher(0, { delivery });
    await dispatcher.offersIssued([offer("o-1")]);
    dispatcher = makeDispatcher(0, { delivery, stores });
    await dispatcher.drain();
    expect(asked).toEqual(["store", "org policy", "store policy", "store answered"]);
    expect(sender.sent.map((s) => s.message.offerId)).toEqual(["o-1"]);
  });

  it("keeps its window full: a slow push service answer does not hold up the items behind it", async () => {
    for (const id of ["a", "b", "c", "d", "e", "f"]) await register(id);
    // The first installation's push hangs until released; the window holds two attempts.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let othersDone = (): void => undefined;
    const fiveOthers = new Promise<void>((resolve) => (othersDone = resolve));
    const slow: PushSender = {
      provider: "webpush",
      send: async (registration, message) => {
        if (registration.installationId === "a") await held;
        const result = await sender.send(registration, message);
        if (sender.sent.filter((s) => s.installationId !== "a").length === 5) othersDone();
        return result;
      },
    };
    dispatcher = makeDispatcher(0, { senders: [slow], batchSize: 2 });
    await dispatcher.offersIssued([offer("o-1")]);
    const drained = dispatcher.drain();
    // Batch after batch, the second batch would wait for "a": the five others go through beside it.
    await fiveOthers;
    expect(sender.sent.map((s) => s.installationId).sort()).toEqual(["b", "c", "d", "e", "f"]);
    release();
    await drained;
    expect(sender.sent.map((s) => s.installationId).sort()).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(await repos.delivery.duePush(clock.now(), 10)).toEqual([]);
  });

  it("sends what is queued while a slow answer is awaited, without waiting for it", async () => {
    await register("phone");
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let secondSent = (): void => undefined;
    const second = new Promise<void>((resolve) => (secondSent = resolve));
    const slow: PushSender = {
      provider: "webpush",
      send: async (registration, message) => {
        if (message.offerId === "o-1") await held;
        const result = await sender.send(registration, message);
        if (message.offerId === "o-2") secondSent();
        return result;
      },
    };
    const scheduler = new ManualScheduler(clock);
    dispatcher = makeDispatcher(0, { senders: [slow], scheduler });
    dispatcher.start();
    await dispatcher.offersIssued([offer("o-1")]);
    await scheduler.runDue();
    // o-1's push hangs (a push service taking its whole timeout); o-2 is issued meanwhile.
    await dispatcher.offersIssued([offer("o-2")]);
    await scheduler.runDue();
    await second;
    expect(sender.sent.map((s) => s.message.offerId)).toEqual(["o-2"]);
    release();
    await dispatcher.drain();
    expect(sender.sent.map((s) => s.message.offerId)).toEqual(["o-2", "o-1"]);
  });

  it("stops after the attempts in flight, leaving the rest pending for the next start", async () => {
    for (const id of ["a", "b", "c", "d", "e", "f"]) await register(id);
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inFlight = 0;
    let windowFull = (): void => undefined;
    const full = new Promise<void>((resolve) => (windowFull = resolve));
    const slow: PushSender = {
      provider: "webpush",
      send: async (registration, message) => {
        if (++inFlight === 2) windowFull();
        await held;
        return sender.send(registration, message);
      },
    };
    const scheduler = new ManualScheduler(clock);
    dispatcher = makeDispatcher(0, { senders: [slow], scheduler, batchSize: 2 });
    dispatcher.start();
    await dispatcher.offersIssued([offer("o-1")]);
    await scheduler.runDue();
    await full;
    const stopped = dispatcher.stop();
    release();
    await stopped;
    expect(sender.sent).toHaveLength(2);
    expect(await repos.delivery.duePush(clock.now(), 10)).toHaveLength(4);
  });

  it("retries with backoff and the service's Retry-After, then dead-letters; a replay sends it", async () => {
    await register("phone");
    sender.script.push({ outcome: "retry", reason: "HTTP 503" }, { outcome: "retry", reason: "HTTP 429", retryAfterMs: 30_000 });
    await dispatcher.offersIssued([offer("o-1")]);
    await dispatcher.drain();
    expect(await repos.delivery.pushItem("item-1")).toMatchObject({ attempts: 1, nextAttemptAt: START + 1000, lastError: "HTTP 503" });
    clock.advance(999);
    await dispatcher.drain();
    expect(sender.script).toHaveLength(1);
    clock.advance(1);
    await dispatcher.drain();
    // The service asked for 30 s, longer than the backoff's 2 s.
    expect(await repos.delivery.pushItem("item-1")).toMatchObject({ attempts: 2, nextAttemptAt: START + 31_000 });
    sender.script.push({ outcome: "retry", reason: "HTTP 500" });
    clock.set(START + 31_000);
    await dispatcher.drain();
    expect(await repos.delivery.pushItem("item-1")).toMatchObject({ status: "dead", attempts: 3, lastError: "HTTP 500 (after 3 attempts)" });
    expect(sender.sent).toEqual([]);
    expect((await repos.delivery.deadPush("o1", 10)).map((i) => i.id)).toEqual(["item-1"]);

    expect(await repos.delivery.replayPush("item-1", clock.now())).toBe(true);
    await dispatcher.drain();
    expect(sender.sent.map((s) => s.message.offerId)).toEqual(["o-1"]);
    expect(dispatcher.counters).toMatchObject({ retried: 2, dead: 1, sent: 1 });
  });

  it("dead-letters at once what will never succeed", async () => {
    await register("phone");
    sender.script.push({ outcome: "rejected", reason: "HTTP 403" });
    await dispatcher.offersIssued([offer("o-1")]);
    await dispatcher.drain();
    expect(await repos.delivery.pushItem("item-1")).toMatchObject({ status: "dead", lastError: "HTTP 403" });
  });

  it("removes a registration the push service says is gone", async () => {
    await register("phone");
    await register("tablet");
    sender.script.push({ outcome: "gone", reason: "HTTP 410" });
    await dispatcher.offersIssued([offer("o-1")]);
    await dispatcher.drain();
    const left = await repos.pushRegistrations.pushRegistrations("u1");
    expect(left).toHaveLength(1);
    expect(sender.sent.map((s) => s.installationId)).toEqual(left.map((r) => r.installationId));
    expect(dispatcher.counters.removed).toBe(1);
  });

  it("loses nothing across a restart: a new dispatcher resumes what is pending", async () => {
    await register("phone");
    sender.script.push({ outcome: "retry", reason: "connection reset" });
    await dispatcher.offersIssued([offer("o-1"), offer("o-2")]);
    // Stopped before any attempt of o-2's item... and o-1's first attempt failed.
    await dispatcher.drain();
    await dispatcher.stop();
    expect(sender.sent.map((s) => s.message.offerId)).toEqual(["o-2"]);

    const restarted = makeDispatcher();
    clock.advance(1000);
    restarted.start();
    await restarted.drain();
    await restarted.stop();
    expect(sender.sent.map((s) => s.message.offerId)).toEqual(["o-2", "o-1"]);
  });

  it("holds notifications in the store's quiet hours until they end, and drops those that would expire", async () => {
    await register("phone");
    // 22:00-08:00 in Hong Kong; 02:00 UTC is 10:00 there, so move to 23:30 local (15:30 UTC).
    await repos.delivery.setPushPolicy("o1", null, { quietHours: { start: "22:00", end: "08:00" }, frequencyCapMinutes: null }, 0);
    clock.set("2026-12-07T15:30:00Z");
    const night = clock.now();
    await dispatcher.offersIssued([
      offer("short", { issuedAt: night, expiresAt: night + 600_000 }),
      offer("long", { issuedAt: night, expiresAt: night + 12 * 3_600_000 }),
    ]);
    await dispatcher.drain();
    expect(sender.sent).toEqual([]);
    expect((await repos.delivery.pushItem("item-1"))?.status).toBe("dropped");
    // 08:00 Hong Kong = 00:00 UTC the next day.
    expect(await repos.delivery.pushItem("item-2")).toMatchObject({ status: "pending", nextAttemptAt: Date.parse("2026-12-08T00:00:00Z") });

    // A store's own quiet hours win over the organisation's.
    await repos.delivery.setPushPolicy("o1", "s1", { quietHours: { start: "23:00", end: "23:45" }, frequencyCapMinutes: null }, 0);
    clock.set("2026-12-07T15:50:00Z"); // 23:50 local: the store's hours are over
    await repos.delivery.reschedulePush("item-2", { attempts: 0, nextAttemptAt: clock.now(), error: null }, clock.now());
    await dispatcher.drain();
    expect(sender.sent.map((s) => s.message.offerId)).toEqual(["long"]);
  });

  it("lets one offer per member through the frequency cap, counting an MQTT delivery", async () => {
    dispatcher = makeDispatcher(30);
    await register("phone");
    await register("tablet");
    await dispatcher.offersIssued([offer("first")]);
    await dispatcher.drain();
    // Both installations get the first offer: the cap counts offers, not devices.
    expect(sender.sent.map((s) => s.message.offerId)).toEqual(["first", "first"]);
    clock.advance(29 * 60_000);
    await dispatcher.offersIssued([offer("second", { expiresAt: clock.now() + 600_000 })]);
    await dispatcher.drain();
    expect(sender.sent).toHaveLength(2);
    expect(dispatcher.counters.dropped).toBe(2);

    // 31 minutes on, an offer already delivered over MQTT claims the slot: the next push waits.
    clock.advance(2 * 60_000);
    expect(await repos.delivery.claimNotification("u1", "by-mqtt", clock.now(), 30 * 60_000)).toBe(true);
    await dispatcher.offersIssued([offer("third", { expiresAt: clock.now() + 600_000 }), offer("by-mqtt", { expiresAt: clock.now() + 600_000 })]);
    await dispatcher.drain();
    expect(sender.sent.map((s) => s.message.offerId).filter((id) => id !== "first").sort()).toEqual(["by-mqtt", "by-mqtt"]);
  });

  it("drops an offer that expired while it waited", async () => {
    await register("phone");
    sender.script.push({ outcome: "retry", reason: "HTTP 503", retryAfterMs: 3_600_000 });
    await dispatcher.offersIssued([offer("o-1")]);
    await dispatcher.drain();
    clock.advance(3_600_000);
    await dispatcher.drain();
    expect(await repos.delivery.pushItem("item-1")).toMatchObject({ status: "dropped", lastError: "expired" });
    expect(sender.sent).toEqual([]);
  });

  it("leaves an item that storage fails on pending, and still sends the others", async () => {
    await repos.users.upsertUser(
      { id: "u2", orgId: "o1", displayName: null, segments: [], loyaltyTier: null, marketingConsent: true, analyticsConsent: true },
      0,
    );
    await repos.pushRegistrations.upsertPushRegistration(
      { userId: "u2", installationId: "broken", orgId: "o1", provider: "webpush", token: "https://push.example.com/b", keys: { p256dh: "k", auth: "a" }, environment: null },
      START,
    );
    await register("phone");
    const real = repos.pushRegistrations;
    const failing = {
      upsertPushRegistration: real.upsertPushRegistration.bind(real),
      pushRegistrations: real.pushRegistrations.bind(real),
      pushRegistration: real.pushRegistration.bind(real),
      removePushRegistration: real.removePushRegistration.bind(real),
      removePushToken: real.removePushToken.bind(real),
      pushRegistrationsOf: async (userIds: readonly string[]) => {
        // Queueing reads them all at once; an attempt reads only its own items' members.
        if (userIds.length === 1 && userIds[0] === "u2") throw new Error("disk I/O error");
        return real.pushRegistrationsOf(userIds);
      },
    };
    // Queued before a restart: the new dispatcher reads them back from storage.
    await makeDispatcher(0).offersIssued([offer("o-2", { userId: "u2" }), offer("o-1")]);
    dispatcher = makeDispatcher(0, { registrations: failing, batchSize: 1 });
    await dispatcher.drain(5);
    expect(sender.sent.map((s) => s.installationId)).toEqual(["phone"]);
    const pending = await repos.delivery.duePush(clock.now(), 10);
    expect(pending.map((i) => i.installationId)).toEqual(["broken"]);
  });
});
