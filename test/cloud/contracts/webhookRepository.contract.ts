import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewWebhookDelivery, WebhookEndpoint, WebhookRepository } from "../../../cloud/src/services/repositories.js";
import { type BackendUnderTest, type MakeBackend, org } from "./repositoryContract.js";

export const webhookEndpoint = (id: string, overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id,
  orgId: "o1",
  url: `https://crm.example.com/hooks/${id}`,
  description: "CRM bridge",
  events: ["offer.*", "points.changed"],
  enabled: true,
  secret: `whsec_${Buffer.alloc(32, id).toString("base64")}`,
  previousSecret: null,
  previousSecretUntil: null,
  createdAt: 0,
  updatedAt: 0,
  ...overrides,
});

export const webhookDelivery = (id: string, overrides: Partial<NewWebhookDelivery> = {}): NewWebhookDelivery => ({
  id,
  endpointId: "e1",
  orgId: "o1",
  eventType: "offer.issued",
  userId: "u1",
  payload: JSON.stringify({ type: "offer.issued", timestamp: "2026-12-07T10:00:00.000Z", data: { offerId: `offer-${id}` } }),
  nextAttemptAt: 1000,
  ...overrides,
});

/** What every backend's WebhookRepository does: endpoints per organisation and a durable delivery outbox. */
export function describeWebhookRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`WebhookRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let webhooks: WebhookRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      webhooks = backend.repos.webhooks;
      await backend.repos.directory.upsertOrganisation(org("o1"), 0);
      await backend.repos.directory.upsertOrganisation(org("o2"), 0);
    });
    afterEach(async () => {
      await backend.close();
    });

    it("keeps endpoints per organisation, changes them in part and rotates their secret", async () => {
      await webhooks.createEndpoint(webhookEndpoint("e1"));
      await webhooks.createEndpoint(webhookEndpoint("e2", { createdAt: 5, updatedAt: 5, enabled: false, description: "" }));
      await webhooks.createEndpoint(webhookEndpoint("e3", { orgId: "o2" }));
      expect(await webhooks.endpoint("o1", "e1")).toEqual(webhookEndpoint("e1"));
      expect(await webhooks.endpoint("o2", "e1")).toBeNull();
      expect((await webhooks.endpoints("o1")).map((e) => [e.id, e.enabled])).toEqual([
        ["e1", true],
        ["e2", false],
      ]);

      expect(await webhooks.updateEndpoint("o1", "e1", { enabled: false, events: ["*"] }, 10)).toEqual(
        webhookEndpoint("e1", { enabled: false, events: ["*"], updatedAt: 10 }),
      );
      expect(await webhooks.updateEndpoint("o1", "e1", { url: "https://other.example.com/h", description: "" }, 11)).toMatchObject({
        url: "https://other.example.com/h",
        description: "",
        enabled: false,
        events: ["*"],
      });
      expect(await webhooks.updateEndpoint("o2", "e1", { enabled: true }, 12)).toBeNull();
      // Turned back on, and left on by a change that does not name it.
      expect(await webhooks.updateEndpoint("o1", "e1", { enabled: true }, 13)).toMatchObject({ enabled: true, updatedAt: 13 });
      expect(await webhooks.updateEndpoint("o1", "e1", { description: "on" }, 14)).toMatchObject({ enabled: true, description: "on" });
      expect((await webhooks.endpoints("o1")).map((e) => [e.id, e.enabled])).toEqual([
        ["e1", true],
        ["e2", false],
      ]);

      const before = webhookEndpoint("e1").secret;
      const rotated = await webhooks.rotateSecret("o1", "e1", "whsec_new", 5000, 20);
      expect(rotated).toMatchObject({ secret: "whsec_new", previousSecret: before, previousSecretUntil: 5000, updatedAt: 20 });
      expect(await webhooks.rotateSecret("o2", "e1", "whsec_x", 5000, 20)).toBeNull();

      expect(await webhooks.deleteEndpoint("o2", "e1")).toBe(false);
      expect(await webhooks.deleteEndpoint("o1", "e1")).toBe(true);
      expect(await webhooks.endpoint("o1", "e1")).toBeNull();
    });

    it("queues a message once and hands out what is due, earliest first, past busy endpoints", async () => {
      await webhooks.createEndpoint(webhookEndpoint("e1"));
      await webhooks.createEndpoint(webhookEndpoint("e2"));
      expect(await webhooks.enqueue([webhookDelivery("a", { nextAttemptAt: 2000 }), webhookDelivery("b"), webhookDelivery("c", { endpointId: "e2" })], 0)).toBe(3);
      expect(await webhooks.enqueue([webhookDelivery("a")], 0)).toBe(0);
      expect(await webhooks.nextDueAt()).toBe(1000);
      expect((await webhooks.due(999, 10, [])).map((d) => d.id)).toEqual([]);
      expect((await webhooks.due(5000, 10, [])).map((d) => d.id)).toEqual(["b", "c", "a"]);
      expect((await webhooks.due(5000, 10, ["e1"])).map((d) => d.id)).toEqual(["c"]);
      expect((await webhooks.due(5000, 10, ["e1", "e2"])).map((d) => d.id)).toEqual([]);
      expect((await webhooks.due(5000, 1, [])).map((d) => d.id)).toEqual(["b"]);
      expect(await webhooks.delivery("o1", "b")).toEqual({
        ...webhookDelivery("b"),
        status: "pending",
        attempts: 0,
        lastError: null,
        lastStatusCode: null,
        createdAt: 0,
        updatedAt: 0,
      });
      expect(await webhooks.delivery("o2", "b")).toBeNull();
    });

    it("retries, settles and dead-letters; only a dead letter of the organisation is replayed", async () => {
      await webhooks.createEndpoint(webhookEndpoint("e1"));
      await webhooks.enqueue([webhookDelivery("a"), webhookDelivery("b"), webhookDelivery("c")], 0);
      await webhooks.reschedule("a", { attempts: 1, nextAttemptAt: 9000, error: "HTTP 500", statusCode: 500 }, 1000);
      expect(await webhooks.delivery("o1", "a")).toMatchObject({ status: "pending", attempts: 1, nextAttemptAt: 9000, lastError: "HTTP 500", lastStatusCode: 500 });
      await webhooks.settle("b", { status: "sent", statusCode: 204 }, 1100);
      expect(await webhooks.delivery("o1", "b")).toMatchObject({ status: "sent", attempts: 1, lastError: null, lastStatusCode: 204, updatedAt: 1100 });
      await webhooks.settle("c", { status: "dead", error: "timed out after 10000 ms", statusCode: null }, 1200);
      expect(await webhooks.delivery("o1", "c")).toMatchObject({ status: "dead", attempts: 1, lastError: "timed out after 10000 ms", lastStatusCode: null });
      // A settled delivery stays settled.
      await webhooks.settle("b", { status: "dead", error: "late", statusCode: null }, 1300);
      await webhooks.reschedule("b", { attempts: 5, nextAttemptAt: 1, error: "late", statusCode: null }, 1300);
      expect(await webhooks.delivery("o1", "b")).toMatchObject({ status: "sent", attempts: 1 });
      expect((await webhooks.due(100_000, 10, [])).map((d) => d.id)).toEqual(["a"]);

      expect(await webhooks.replay("o2", "c", 2000)).toBe(false);
      expect(await webhooks.replay("o1", "b", 2000)).toBe(false);
      expect(await webhooks.replay("o1", "c", 2000)).toBe(true);
      expect(await webhooks.delivery("o1", "c")).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: 2000 });
      expect((await webhooks.due(2000, 10, [])).map((d) => d.id)).toEqual(["c"]);
    });

    it("makes a turned-on endpoint's waiting messages due at once, and no other's", async () => {
      await webhooks.createEndpoint(webhookEndpoint("e1"));
      await webhooks.createEndpoint(webhookEndpoint("e2"));
      await webhooks.enqueue([webhookDelivery("a"), webhookDelivery("b", { endpointId: "e2" }), webhookDelivery("c")], 0);
      const paused = { attempts: 0, nextAttemptAt: 3_600_000, error: "endpoint disabled", statusCode: null };
      await webhooks.reschedule("a", paused, 1000);
      await webhooks.reschedule("b", paused, 1000);
      await webhooks.settle("c", { status: "sent", statusCode: 200 }, 1000);
      expect(await webhooks.resume("o2", "e1", 2000)).toBe(0);
      expect(await webhooks.resume("o1", "e1", 2000)).toBe(1);
      expect((await webhooks.due(2000, 10, [])).map((d) => d.id)).toEqual(["a"]);
      expect(await webhooks.delivery("o1", "c")).toMatchObject({ status: "sent" });
    });

    it("lists deliveries newest first by endpoint and status, a page at a time; they go with their endpoint", async () => {
      await webhooks.createEndpoint(webhookEndpoint("e1"));
      await webhooks.createEndpoint(webhookEndpoint("e2"));
      await webhooks.createEndpoint(webhookEndpoint("e3", { orgId: "o2" }));
      for (let i = 0; i < 5; i++) await webhooks.enqueue([webhookDelivery(`d${i}`, { endpointId: i % 2 === 0 ? "e1" : "e2" })], i * 10);
      await webhooks.enqueue([webhookDelivery("x", { endpointId: "e3", orgId: "o2" })], 0);
      await webhooks.settle("d4", { status: "dead", error: "HTTP 500", statusCode: 500 }, 100);
      const q = { orgId: "o1", endpointId: null, status: null, limit: 2, after: null };
      const first = await webhooks.deliveries(q);
      expect(first.map((d) => d.id)).toEqual(["d4", "d3"]);
      const last = first.at(-1);
      if (last === undefined) throw new Error("empty page");
      expect((await webhooks.deliveries({ ...q, after: { at: last.createdAt, id: last.id } })).map((d) => d.id)).toEqual(["d2", "d1"]);
      expect((await webhooks.deliveries({ ...q, limit: 10, endpointId: "e1" })).map((d) => d.id)).toEqual(["d4", "d2", "d0"]);
      expect((await webhooks.deliveries({ ...q, limit: 10, status: "dead" })).map((d) => d.id)).toEqual(["d4"]);
      expect((await webhooks.deliveries({ ...q, limit: 10, status: "pending", endpointId: "e1" })).map((d) => d.id)).toEqual(["d2", "d0"]);

      expect(await webhooks.deleteEndpoint("o1", "e1")).toBe(true);
      expect((await webhooks.deliveries({ ...q, limit: 10 })).map((d) => d.id)).toEqual(["d3", "d1"]);
      expect((await webhooks.deliveries({ ...q, orgId: "o2", limit: 10 })).map((d) => d.id)).toEqual(["x"]);
    });
  });
}
