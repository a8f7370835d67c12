import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Offer } from "../../../cloud/src/domain/offers/index.js";
import { FakeWebPushService } from "../../support/FakeWebPushService.js";
import { webPushConfig } from "../../support/pushConfig.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";
import { addUsers, eventOf } from "../ruleKit.js";

/** What storage held for a decision group as its transaction returned, before anything else ran. */
interface GroupSeen {
  readonly failed: boolean;
  /** Offers stored for the group's events. */
  readonly offers: readonly string[];
  /** Push outbox rows of those offers. */
  readonly pushRows: readonly string[];
  /** The group's events still undecided. */
  readonly undecided: number;
}

/**
 * An issued offer and its push outbox row are committed together, by the decision group's
 * transaction: the row is there as soon as the offer is, the push is sent without being queued
 * again, and a row the outbox refuses fails the decision (which is tried again) instead of leaving
 * an offer that no push will ever follow.
 */
describe("push rows written with the decision", () => {
  let f: CloudFixture;
  let service: FakeWebPushService;
  const seen: GroupSeen[] = [];
  let enqueued = 0;

  const inList = (ids: readonly string[]) => ids.map(() => "?").join(", ") || "NULL";

  beforeAll(async () => {
    f = await createCloudFixture({ push: await webPushConfig({ allowPrivateEndpoints: true, frequencyCapMinutes: 0 }) });
    const key = await f.cloud.http.inject({ url: "/v1/push/web-push-key", headers: { authorization: `Bearer ${f.keys.appU1}` } });
    service = new FakeWebPushService(key.json<{ publicKey: string }>().publicKey);
    await service.start();
    const repos = f.cloud.repositories;
    const offers = repos.offers;
    const decideGroup = offers.decideGroup.bind(offers);
    offers.decideGroup = async (group, decide) => {
      const events = group.requests.map((r) => r.event.id);
      const look = async (failed: boolean): Promise<void> => {
        const stored = await repos.db.all<{ id: string }>(`SELECT id FROM offers WHERE event_id IN (${inList(events)})`, events);
        const ids = stored.map((o) => o.id);
        const rows = await repos.db.all<{ offer_id: string }>(`SELECT offer_id FROM push_outbox WHERE offer_id IN (${inList(ids)})`, ids);
        const undecided = await repos.db.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM presence_events WHERE id IN (${inList(events)}) AND decided_at IS NULL`,
          events,
        );
        seen.push({ failed, offers: ids, pushRows: rows.map((r) => r.offer_id), undecided: undecided?.n ?? -1 });
      };
      let result: (Offer | null)[];
      try {
        result = await decideGroup(group, decide);
      } catch (err) {
        await look(true);
        // Let the stage's retry of this group through.
        await repos.db.exec("DROP TRIGGER IF EXISTS refuse_push");
        throw err;
      }
      await look(false);
      return result;
    };
    const enqueuePush = repos.delivery.enqueuePush.bind(repos.delivery);
    repos.delivery.enqueuePush = (items, now) => {
      enqueued += items.length;
      return enqueuePush(items, now);
    };
  });
  afterAll(async () => {
    await f?.close();
    await service?.stop();
  });

  const subscribe = async (userId: string) => {
    const sub = service.subscribe();
    await f.cloud.repositories.pushRegistrations.upsertPushRegistration(
      { userId, installationId: `browser-${userId}`, orgId: "o1", provider: "webpush", token: sub.endpoint, keys: sub.keys, environment: null },
      Date.now(),
    );
    return sub;
  };

  it("commits the push row with the offer and sends it without queueing it again", async () => {
    await addUsers(f, ["u701"]);
    const sub = await subscribe("u701");
    seen.length = 0;
    const enter = eventOf("u701", Date.now());
    await f.ingest([enter], enter.seq);
    await f.cloud.offers.idle();
    await f.cloud.push.drain();

    const [offer] = seen.flatMap((s) => s.offers);
    expect(offer).toBeDefined();
    // As the decision's transaction returned, before delivery ran: the row is already stored.
    expect(seen).toEqual([{ failed: false, offers: [offer], pushRows: [offer], undecided: 0 }]);
    expect(enqueued).toBe(0);
    expect(service.errors).toEqual([]);
    expect(service.received.filter((p) => p.subscriptionId === sub.id).map((p) => (p.payload as { offerId: string }).offerId)).toEqual([offer]);
    expect(f.cloud.push.counters).toMatchObject({ queued: 1, sent: 1 });
  });

  it("fails the decision when the outbox refuses the row, and issues the offer with its row when tried again", async () => {
    await addUsers(f, ["u702"]);
    const sub = await subscribe("u702");
    seen.length = 0;
    const sentBefore = f.cloud.push.counters.sent;
    await f.cloud.repositories.db.exec(
      "CREATE TRIGGER refuse_push BEFORE INSERT ON push_outbox BEGIN SELECT RAISE(ABORT, 'outbox refused'); END",
    );
    const enter = eventOf("u702", Date.now());
    await f.ingest([enter], enter.seq);
    // Through the stage's retry, after its first pause.
    await f.cloud.offers.idle();
    await f.cloud.push.drain();

    expect(seen).toHaveLength(2);
    // The failed transaction left nothing: no offer without its row, the event still undecided.
    expect(seen[0]).toEqual({ failed: true, offers: [], pushRows: [], undecided: 1 });
    const offer = seen[1]?.offers[0];
    expect(seen[1]).toEqual({ failed: false, offers: [offer], pushRows: [offer], undecided: 0 });
    expect(enqueued).toBe(0);
    expect(service.received.filter((p) => p.subscriptionId === sub.id).map((p) => (p.payload as { offerId: string }).offerId)).toEqual([offer]);
    expect(f.cloud.push.counters.sent).toBe(sentBefore + 1);
  });
});
