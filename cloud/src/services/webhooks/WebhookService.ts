import type { Problem } from "../../../../protocol/index.js";
import {
  checkWebhookUrl,
  formatSecret,
  invalidFilters,
  SECRET_KEY_BYTES,
  SUBSCRIBABLE_EVENT_TYPES,
  webhookPayload,
} from "../../domain/webhooks/index.js";
import type { Principal } from "../CredentialService.js";
import { done, notFound, type Outcome, refuse } from "../Outcome.js";
import type { Clock, RandomBytes } from "../ports.js";
import type {
  AuditRepository,
  WebhookDelivery,
  WebhookDeliveryCursor,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookRepository,
} from "../repositories.js";

/** What an organisation sends to create an endpoint. */
export interface WebhookEndpointInput {
  readonly url: string;
  readonly description?: string | undefined;
  readonly events: readonly string[];
  readonly enabled?: boolean | undefined;
}

/** An endpoint with its secret, as shown once: at creation and at rotation. */
export interface WebhookEndpointWithSecret {
  readonly endpoint: WebhookEndpoint;
  readonly secret: string;
}

export interface WebhookServiceOptions {
  readonly webhooks: WebhookRepository;
  readonly audit: AuditRepository;
  readonly clock: Clock;
  readonly randomBytes: RandomBytes;
  /** A fresh id for an endpoint or a message. */
  readonly newId: (prefix: "ep" | "msg") => string;
  /** Accept private addresses and plain http (`webhooks.allowPrivateNetworks`). */
  readonly allowPrivateNetworks: boolean;
  /** Endpoints per organisation at most. */
  readonly maxEndpoints: number;
  /** A delivery was queued or replayed: send soon. */
  readonly onQueued: (count: number) => void;
  /** The organisation's endpoints changed (the event side's cache forgets them). */
  readonly onEndpointsChanged: (orgId: string) => void;
}

const actorOf = (principal: Principal): string => `api-key:${principal.keyId}`;

/** The default grace of a rotation: the previous secret signs too for a day. */
export const DEFAULT_ROTATION_GRACE_S = 86_400;

/**
 * An organisation's webhook endpoints and their deliveries, for its admins (docs/webhooks.md). A
 * URL must pass the URL policy; the secret is generated here and shown only in the answers to
 * creation and rotation; every change is audited without the secret.
 */
export class WebhookService {
  constructor(private readonly o: WebhookServiceOptions) {}

  async create(principal: Principal, input: WebhookEndpointInput): Promise<Outcome<WebhookEndpointWithSecret>> {
    const problems = this.problemsOf(input);
    if (problems.length > 0) return invalid(problems);
    const url = checkWebhookUrl(input.url, this.o.allowPrivateNetworks);
    if (!url.ok) return invalid([{ path: "/url", message: url.reason }]);
    if ((await this.o.webhooks.endpoints(principal.orgId)).length >= this.o.maxEndpoints)
      return refuse("CONFLICT", `an organisation has at most ${this.o.maxEndpoints} webhook endpoints`);
    const now = this.o.clock.now();
    const secret = formatSecret(this.o.randomBytes(SECRET_KEY_BYTES));
    const endpoint: WebhookEndpoint = {
      id: this.o.newId("ep"),
      orgId: principal.orgId,
      url: url.url,
      description: input.description ?? "",
      events: [...new Set(input.events)],
      enabled: input.enabled ?? true,
      secret,
      previousSecret: null,
      previousSecretUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.o.webhooks.createEndpoint(endpoint);
    this.o.onEndpointsChanged(principal.orgId);
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: "webhook.endpoint.create",
      target: `webhook:${endpoint.id}`,
      detail: { url: endpoint.url, events: endpoint.events },
    });
    return done({ endpoint, secret });
  }

  async list(principal: Principal): Promise<Outcome<WebhookEndpoint[]>> {
    return done(await this.o.webhooks.endpoints(principal.orgId));
  }

  async get(principal: Principal, id: string): Promise<Outcome<WebhookEndpoint>> {
    const endpoint = await this.o.webhooks.endpoint(principal.orgId, id);
    return endpoint === null ? notFound(`webhook endpoint ${id} not found`) : done(endpoint);
  }

  async update(principal: Principal, id: string, change: Partial<WebhookEndpointInput>): Promise<Outcome<WebhookEndpoint>> {
    const problems = this.problemsOf(change);
    if (problems.length > 0) return invalid(problems);
    let url: string | undefined;
    if (change.url !== undefined) {
      const checked = checkWebhookUrl(change.url, this.o.allowPrivateNetworks);
      if (!checked.ok) return invalid([{ path: "/url", message: checked.reason }]);
      url = checked.url;
    }
    const now = this.o.clock.now();
    const updated = await this.o.webhooks.updateEndpoint(
      principal.orgId,
      id,
      {
        ...(url === undefined ? {} : { url }),
        ...(change.description === undefined ? {} : { description: change.description }),
        ...(change.events === undefined ? {} : { events: [...new Set(change.events)] }),
        ...(change.enabled === undefined ? {} : { enabled: change.enabled }),
      },
      now,
    );
    if (updated === null) return notFound(`webhook endpoint ${id} not found`);
    this.o.onEndpointsChanged(principal.orgId);
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: "webhook.endpoint.update",
      target: `webhook:${id}`,
      detail: { url: updated.url, events: updated.events, enabled: updated.enabled },
    });
    // Turned back on: what waited for it goes now.
    if (change.enabled === true) {
      await this.o.webhooks.resume(principal.orgId, id, now);
      this.o.onQueued(0);
    }
    return done(updated);
  }

  async remove(principal: Principal, id: string): Promise<Outcome<{ removed: true }>> {
    if (!(await this.o.webhooks.deleteEndpoint(principal.orgId, id))) return notFound(`webhook endpoint ${id} not found`);
    this.o.onEndpointsChanged(principal.orgId);
    await this.o.audit.audit({ at: this.o.clock.now(), actor: actorOf(principal), action: "webhook.endpoint.delete", target: `webhook:${id}` });
    return done({ removed: true });
  }

  /**
   * A new signing secret; the current one keeps signing beside it for `graceS` seconds (0: it stops
   * at once), so receivers can switch without losing a message.
   */
  async rotateSecret(principal: Principal, id: string, graceS: number = DEFAULT_ROTATION_GRACE_S): Promise<Outcome<WebhookEndpointWithSecret>> {
    const now = this.o.clock.now();
    const secret = formatSecret(this.o.randomBytes(SECRET_KEY_BYTES));
    const endpoint = await this.o.webhooks.rotateSecret(principal.orgId, id, secret, now + graceS * 1000, now);
    if (endpoint === null) return notFound(`webhook endpoint ${id} not found`);
    await this.o.audit.audit({
      at: now,
      actor: actorOf(principal),
      action: "webhook.endpoint.rotate-secret",
      target: `webhook:${id}`,
      detail: { graceS },
    });
    return done({ endpoint, secret });
  }

  /** Queues a `webhook.test` message to the endpoint (enabled or not, any filter). */
  async test(principal: Principal, id: string): Promise<Outcome<WebhookDelivery>> {
    const endpoint = await this.o.webhooks.endpoint(principal.orgId, id);
    if (endpoint === null) return notFound(`webhook endpoint ${id} not found`);
    const now = this.o.clock.now();
    const deliveryId = this.o.newId("msg");
    const payload = webhookPayload("webhook.test", now, { endpointId: id });
    await this.o.webhooks.enqueue(
      [{ id: deliveryId, endpointId: id, orgId: principal.orgId, eventType: payload.type, userId: null, payload: JSON.stringify(payload), nextAttemptAt: now }],
      now,
    );
    this.o.onQueued(1);
    const delivery = await this.o.webhooks.delivery(principal.orgId, deliveryId);
    return delivery === null ? notFound(`webhook endpoint ${id} not found`) : done(delivery);
  }

  async deliveries(
    principal: Principal,
    query: { endpointId: string | null; status: WebhookDeliveryStatus | null; limit: number; after: WebhookDeliveryCursor | null },
  ): Promise<Outcome<WebhookDelivery[]>> {
    if (query.endpointId !== null && (await this.o.webhooks.endpoint(principal.orgId, query.endpointId)) === null)
      return notFound(`webhook endpoint ${query.endpointId} not found`);
    return done(await this.o.webhooks.deliveries({ orgId: principal.orgId, ...query }));
  }

  async delivery(principal: Principal, id: string): Promise<Outcome<WebhookDelivery>> {
    const delivery = await this.o.webhooks.delivery(principal.orgId, id);
    return delivery === null ? notFound(`webhook delivery ${id} not found`) : done(delivery);
  }

  /** Sends a dead letter again (same id, same body, fresh attempts). */
  async replay(principal: Principal, id: string): Promise<Outcome<WebhookDelivery>> {
    const now = this.o.clock.now();
    if (!(await this.o.webhooks.replay(principal.orgId, id, now))) {
      const delivery = await this.o.webhooks.delivery(principal.orgId, id);
      return delivery === null
        ? notFound(`webhook delivery ${id} not found`)
        : refuse("CONFLICT", `webhook delivery ${id} is ${delivery.status}; only a dead one is replayed`);
    }
    await this.o.audit.audit({ at: now, actor: actorOf(principal), action: "webhook.replay", target: `webhook-delivery:${id}` });
    this.o.onQueued(0);
    return this.delivery(principal, id);
  }

  private problemsOf(input: Partial<WebhookEndpointInput>): Problem[] {
    const problems: Problem[] = [];
    if (input.events !== undefined) {
      if (input.events.length === 0) problems.push({ path: "/events", message: "must name at least one event type" });
      for (const bad of invalidFilters(input.events))
        problems.push({
          path: `/events/${input.events.indexOf(bad)}`,
          message: `unknown event type ${JSON.stringify(bad)}; one of ${SUBSCRIBABLE_EVENT_TYPES.join(", ")}, a family such as offer.* or *`,
        });
    }
    return problems;
  }
}

function invalid(problems: readonly Problem[]) {
  return refuse("VALIDATION_FAILED", `invalid webhook endpoint:\n${problems.map((p) => `${p.path}: ${p.message}`).join("\n")}`, problems);
}
