import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteRepositories, type SqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { WebhookDispatcher } from "../../../cloud/src/services/webhooks/WebhookDispatcher.js";
import type { WebhookRequest, WebhookSender, WebhookSendResult } from "../../../cloud/src/services/webhooks/WebhookSender.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { webhookDelivery, webhookEndpoint } from "../contracts/webhookRepository.contract.js";
import { ManualClock } from "../manualClock.js";

/** A receiver per URL whose answers the test holds: each request waits until the test settles it. */
class HeldSender implements WebhookSender {
  readonly requests: { request: WebhookRequest; answer: (result: WebhookSendResult) => void }[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private closed = false;
  send(request: WebhookRequest): Promise<WebhookSendResult> {
    if (this.closed) return Promise.resolve({ outcome: "failed", error: "closed", statusCode: null });
    return new Promise((answer) => {
      this.requests.push({ request, answer });
      for (const w of this.waiters.filter((x) => this.requests.length >= x.count)) w.resolve();
      this.waiters = this.waiters.filter((x) => this.requests.length < x.count);
    });
  }
  /** Resolves once `count` requests in all have been sent. */
  until(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
  to(url: string) {
    return this.requests.filter((r) => r.request.url === url);
  }
  /** What the dispatcher's stop calls: every held request fails, as an aborted one would. */
  async close(): Promise<void> {
    this.closed = true;
    for (const r of this.requests) r.answer({ outcome: "failed", error: "aborted", statusCode: null });
  }
}

describe("webhook dispatcher", () => {
  let dir: string;
  let db: SqliteDatabase;
  let repos: SqliteRepositories;
  let clock: ManualClock;
  let scheduler: ManualScheduler;
  let sender: HeldSender;
  let dispatcher: WebhookDispatcher;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-webhooks-"));
    db = await SqliteDatabase.open(join(dir, "cloud.db"));
    await migrate(db, 0);
    repos = createSqliteRepositories(db);
    clock = new ManualClock(1_000_000);
    scheduler = new ManualScheduler(clock);
    sender = new HeldSender();
    await repos.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 3 }, 0);
    await repos.webhooks.createEndpoint(webhookEndpoint("slow"));
    await repos.webhooks.createEndpoint(webhookEndpoint("fast"));
    dispatcher = new WebhookDispatcher({
      webhooks: repos.webhooks,
      sender,
      hmac: (key, data) => createHmac("sha256", key).update(data).digest(),
      clock,
      scheduler,
      log: new RecordingLogger(),
      maxAttempts: 3,
      backoff: { baseMs: 1000, maxMs: 10_000 },
      pollIntervalMs: 500,
      perEndpointConcurrency: 2,
      maxInFlight: 10,
    });
  });
  afterEach(async () => {
    await dispatcher.stop();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const queue = async (endpointId: string, count: number) => {
    const items = Array.from({ length: count }, (_, i) => webhookDelivery(`${endpointId}-${i}`, { endpointId, nextAttemptAt: clock.now() }));
    dispatcher.queued(await repos.webhooks.enqueue(items, clock.now()));
  };

  it("holds at most its share of attempts for a slow endpoint, and the others' go out past it", async () => {
    await queue("slow", 6);
    await dispatcher.pass();
    await sender.until(2);
    expect(sender.to(webhookEndpoint("slow").url)).toHaveLength(2);

    await queue("fast", 3);
    await dispatcher.pass();
    await sender.until(4);
    const fast = sender.to(webhookEndpoint("fast").url);
    expect(fast).toHaveLength(2);
    for (const r of fast) r.answer({ outcome: "delivered", statusCode: 200 });
    for (const id of ["fast-0", "fast-1"]) await dispatcher.attemptOf(id);
    // Slots of the fast endpoint freed: its third message goes, the slow one still holds two.
    await dispatcher.pass();
    await sender.until(5);
    expect(sender.to(webhookEndpoint("fast").url)).toHaveLength(3);
    expect(sender.to(webhookEndpoint("slow").url)).toHaveLength(2);
    const sent = await repos.webhooks.deliveries({ orgId: "o1", endpointId: "fast", status: "sent", limit: 10, after: null });
    expect(sent).toHaveLength(2);
  });

  it("retries on the schedule and dead-letters after the last attempt", async () => {
    await queue("fast", 1);
    const attemptAnswering = async (n: number, result: WebhookSendResult) => {
      await dispatcher.pass();
      await sender.until(n);
      sender.requests[n - 1]?.answer(result);
      await dispatcher.attemptOf("fast-0");
    };
    await attemptAnswering(1, { outcome: "failed", error: "HTTP 500", statusCode: 500 });
    expect(await repos.webhooks.delivery("o1", "fast-0")).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: clock.now() + 1000 });
    clock.advance(999);
    await dispatcher.pass();
    expect(dispatcher.attemptOf("fast-0")).toBeUndefined();
    clock.advance(1);
    await attemptAnswering(2, { outcome: "failed", error: "HTTP 500", statusCode: 500 });
    expect(await repos.webhooks.delivery("o1", "fast-0")).toMatchObject({ attempts: 2, nextAttemptAt: clock.now() + 2000 });
    clock.advance(2000);
    await attemptAnswering(3, { outcome: "failed", error: "timed out after 10000 ms", statusCode: null });
    expect(await repos.webhooks.delivery("o1", "fast-0")).toMatchObject({
      status: "dead",
      attempts: 3,
      lastError: "timed out after 10000 ms (after 3 attempts)",
    });
    // Same id and body on each attempt.
    expect(new Set(sender.requests.map((r) => r.request.headers["webhook-id"]))).toEqual(new Set(["fast-0"]));
    expect(new Set(sender.requests.map((r) => r.request.body)).size).toBe(1);
  });

  it("polls on the injected scheduler once started", async () => {
    await queue("fast", 1);
    dispatcher.start();
    await sender.until(1);
    sender.requests[0]?.answer({ outcome: "failed", error: "HTTP 500", statusCode: 500 });
    await dispatcher.attemptOf("fast-0");
    // The retry is due in 1 s: not sent before, sent by a poll after. Fake time moves in small
    // steps, so the database reads a pass makes can finish between them.
    const sentAt = clock.now();
    await scheduler.advance(900);
    expect(sender.requests).toHaveLength(1);
    for (let i = 0; i < 5000 && sender.requests.length < 2; i++) await scheduler.advance(10);
    expect(sender.requests).toHaveLength(2);
    expect(clock.now() - sentAt).toBeGreaterThanOrEqual(1000);
  });

  it("keeps a disabled endpoint's messages waiting", async () => {
    await repos.webhooks.updateEndpoint("o1", "fast", { enabled: false }, clock.now());
    await queue("fast", 1);
    await dispatcher.pass();
    await dispatcher.attemptOf("fast-0");
    expect(sender.requests).toHaveLength(0);
    expect(await repos.webhooks.delivery("o1", "fast-0")).toMatchObject({ status: "pending", attempts: 0, lastError: "endpoint disabled" });
  });
});
