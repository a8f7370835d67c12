import type {
  NewWebhookDelivery,
  WebhookAttemptFailure,
  WebhookDelivery,
  WebhookDeliveryQuery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointChange,
  WebhookRepository,
} from "../../services/repositories.js";
import type { SharedSqlDatabase } from "./SqlDatabase.js";

interface EndpointRow {
  id: string;
  org_id: string;
  url: string;
  description: string;
  events: string;
  /** 0/1 in SQLite, which has no boolean type; a boolean in PostgreSQL. */
  enabled: number | boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  org_id: string;
  event_type: string;
  user_id: string | null;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  last_status_code: number | null;
  created_at: number;
  updated_at: number;
}

const ENDPOINT_COLUMNS =
  "id, org_id, url, description, events, enabled, secret, previous_secret, previous_secret_until, created_at, updated_at";
export const DELIVERY_COLUMNS =
  "id, endpoint_id, org_id, event_type, user_id, payload, status, attempts, next_attempt_at, last_error, last_status_code, created_at, updated_at";

function endpointOf(r: EndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    orgId: r.org_id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as string[],
    enabled: r.enabled === true || r.enabled === 1,
    secret: r.secret,
    previousSecret: r.previous_secret,
    previousSecretUntil: r.previous_secret_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function deliveryOf(r: DeliveryRow): WebhookDelivery {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    orgId: r.org_id,
    eventType: r.event_type,
    userId: r.user_id,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    lastStatusCode: r.last_status_code,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const marks = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

/**
 * How a backend hands due deliveries to this process's sender: the one part of the webhook outbox
 * whose SQL differs. SQLite has one sending process, so `due` is a plain read; on PostgreSQL several
 * processes share the outbox, so `due` leases what it hands out (see PostgresWebhookClaims).
 */
export interface WebhookClaims {
  /** Pending deliveries due at `now`, earliest first, none of `skipEndpoints`, at most `limit`. */
  due(now: number, limit: number, skipEndpoints: readonly string[]): Promise<WebhookDelivery[]>;
  /** When the earliest pending delivery this process may send falls due; null when none waits. */
  nextDueAt(): Promise<number | null>;
  /**
   * SET clauses, each after a comma, that hand a delivery back when it is rescheduled, settled,
   * resumed or replayed: "" where `due` holds nothing.
   */
  readonly release: string;
}

/**
 * Webhook endpoints and their delivery outbox in SQL (SQLite migration 19, PostgreSQL 7): the same
 * statements on both, but for how due deliveries are claimed (`WebhookClaims`). `enabled` binds as
 * 0/1, which PostgreSQL reads as a boolean literal.
 */
export class SqlWebhookRepository implements WebhookRepository {
  constructor(
    private readonly db: SharedSqlDatabase,
    private readonly claims: WebhookClaims,
  ) {}

  async createEndpoint(e: WebhookEndpoint): Promise<void> {
    await this.db.run(
      `INSERT INTO webhook_endpoints (${ENDPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.id, e.orgId, e.url, e.description, JSON.stringify(e.events), e.enabled ? 1 : 0, e.secret, e.previousSecret, e.previousSecretUntil, e.createdAt, e.updatedAt],
    );
  }

  async endpoint(orgId: string, id: string): Promise<WebhookEndpoint | null> {
    const row = await this.db.get<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ? AND org_id = ?`, [id, orgId]);
    return row ? endpointOf(row) : null;
  }

  async endpoints(orgId: string): Promise<WebhookEndpoint[]> {
    const rows = await this.db.all<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE org_id = ? ORDER BY created_at, id`,
      [orgId],
    );
    return rows.map(endpointOf);
  }

  async updateEndpoint(orgId: string, id: string, change: WebhookEndpointChange, now: number): Promise<WebhookEndpoint | null> {
    const result = await this.db.run(
      `UPDATE webhook_endpoints SET url = COALESCE(CAST(? AS TEXT), url), description = COALESCE(CAST(? AS TEXT), description),
         events = COALESCE(CAST(? AS TEXT), events), enabled = COALESCE(CAST(? AS BOOLEAN), enabled), updated_at = ?
       WHERE id = ? AND org_id = ?`,
      [
        change.url ?? null,
        change.description ?? null,
        change.events === undefined ? null : JSON.stringify(change.events),
        change.enabled === undefined ? null : change.enabled ? 1 : 0,
        now,
        id,
        orgId,
      ],
    );
    return result.changes > 0 ? this.endpoint(orgId, id) : null;
  }

  async rotateSecret(orgId: string, id: string, secret: string, previousUntil: number, now: number): Promise<WebhookEndpoint | null> {
    const result = await this.db.run(
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = ?, secret = ?, updated_at = ?
       WHERE id = ? AND org_id = ?`,
      [previousUntil, secret, now, id, orgId],
    );
    return result.changes > 0 ? this.endpoint(orgId, id) : null;
  }

  async deleteEndpoint(orgId: string, id: string): Promise<boolean> {
    // Its deliveries go with it (ON DELETE CASCADE).
    const result = await this.db.run("DELETE FROM webhook_endpoints WHERE id = ? AND org_id = ?", [id, orgId]);
    return result.changes > 0;
  }

  enqueue(deliveries: readonly NewWebhookDelivery[], now: number): Promise<number> {
    if (deliveries.length === 0) return Promise.resolve(0);
    return this.db.transaction(async (tx) => {
      let added = 0;
      for (const d of deliveries) {
        const result = await tx.run(
          `INSERT INTO webhook_deliveries (${DELIVERY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, ?, ?)
           ON CONFLICT (id) DO NOTHING`,
          [d.id, d.endpointId, d.orgId, d.eventType, d.userId, d.payload, d.nextAttemptAt, now, now],
        );
        added += result.changes;
      }
      return added;
    });
  }

  due(now: number, limit: number, skipEndpoints: readonly string[]): Promise<WebhookDelivery[]> {
    return this.claims.due(now, limit, skipEndpoints);
  }

  nextDueAt(): Promise<number | null> {
    return this.claims.nextDueAt();
  }

  async delivery(orgId: string, id: string): Promise<WebhookDelivery | null> {
    const row = await this.db.get<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = ? AND org_id = ?`, [id, orgId]);
    return row ? deliveryOf(row) : null;
  }

  async resume(orgId: string, endpointId: string, now: number): Promise<number> {
    const result = await this.db.run(
      `UPDATE webhook_deliveries SET next_attempt_at = ?, updated_at = ?${this.claims.release}
       WHERE org_id = ? AND endpoint_id = ? AND status = 'pending' AND next_attempt_at > ?`,
      [now, now, orgId, endpointId, now],
    );
    return result.changes;
  }

  async reschedule(id: string, change: { attempts: number; nextAttemptAt: number } & WebhookAttemptFailure, now: number): Promise<void> {
    await this.db.run(
      `UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, last_status_code = ?, updated_at = ?${this.claims.release}
       WHERE id = ? AND status = 'pending'`,
      [change.attempts, change.nextAttemptAt, change.error, change.statusCode, now, id],
    );
  }

  async settle(
    id: string,
    outcome: { status: "sent"; statusCode: number } | ({ status: "dead" } & WebhookAttemptFailure),
    now: number,
  ): Promise<void> {
    await this.db.run(
      `UPDATE webhook_deliveries SET status = ?, last_error = ?, last_status_code = ?, updated_at = ?, attempts = attempts + 1${this.claims.release}
       WHERE id = ? AND status = 'pending'`,
      [outcome.status, outcome.status === "dead" ? outcome.error : null, outcome.statusCode, now, id],
    );
  }

  async deliveries(q: WebhookDeliveryQuery): Promise<WebhookDelivery[]> {
    const where = ["org_id = ?"];
    const params: (string | number)[] = [q.orgId];
    if (q.endpointId !== null) {
      where.push("endpoint_id = ?");
      params.push(q.endpointId);
    }
    if (q.status !== null) {
      where.push("status = ?");
      params.push(q.status);
    }
    if (q.after !== null) {
      where.push("(created_at < ? OR (created_at = ? AND id < ?))");
      params.push(q.after.at, q.after.at, q.after.id);
    }
    const rows = await this.db.all<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...params, q.limit],
    );
    return rows.map(deliveryOf);
  }

  async replay(orgId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db.run(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?${this.claims.release}
       WHERE id = ? AND org_id = ? AND status = 'dead'`,
      [now, now, id, orgId],
    );
    return result.changes > 0;
  }
}
