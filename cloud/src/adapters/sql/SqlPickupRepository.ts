import { checkCollect, type Pickup, type PickupState } from "../../domain/coupons/index.js";
import type { CollectResult, PickupRepository } from "../../services/repositories.js";
import type { SharedSqlDatabase } from "./SqlDatabase.js";

interface PickupRow {
  id: string;
  org_id: string;
  store_id: string;
  user_id: string;
  order_id: string;
  code: string;
  state: PickupState;
  created_at: number;
  expires_at: number;
  arrived_at: number | null;
  collected_at: number | null;
}

const toPickup = (r: PickupRow): Pickup => ({
  pickupId: r.id,
  orgId: r.org_id,
  storeId: r.store_id,
  userId: r.user_id,
  orderId: r.order_id,
  code: r.code,
  state: r.state,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  arrivedAt: r.arrived_at,
  collectedAt: r.collected_at,
});

/**
 * The SQL of `listPickups`: an organisation's orders, at one store or all, in some states or all,
 * newest first and then by id so a page is stable.
 */
function listPickupsQuery(query: {
  readonly orgId: string;
  readonly storeId?: string;
  readonly states?: readonly PickupState[];
  readonly limit: number;
}): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [query.orgId];
  let sql = "SELECT * FROM pickups WHERE org_id = ?";
  if (query.storeId !== undefined) {
    sql += " AND store_id = ?";
    params.push(query.storeId);
  }
  if (query.states !== undefined) {
    if (query.states.length === 0) return { sql: "SELECT * FROM pickups WHERE 1 = 0", params: [] };
    sql += ` AND state IN (${query.states.map(() => "?").join(", ")})`;
    params.push(...query.states);
  }
  sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  params.push(Math.max(0, Math.trunc(query.limit)));
  return { sql, params };
}

/**
 * Click-and-collect orders in SQL (SQLite or PostgreSQL). Each change is a conditional update (an
 * awaiting order marked arrived, an order collected) in a transaction (SERIALIZABLE on PostgreSQL;
 * SQLite's one connection runs them one at a time), so of two processes racing for one order
 * exactly one changes it.
 */
export class SqlPickupRepository implements PickupRepository {
  constructor(private readonly db: SharedSqlDatabase) {}

  async createPickup(p: Pickup): Promise<boolean> {
    const result = await this.db.run(
      `INSERT INTO pickups (id, org_id, store_id, user_id, order_id, code, state, created_at, expires_at, arrived_at, collected_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [p.pickupId, p.orgId, p.storeId, p.userId, p.orderId, p.code, p.state, p.createdAt, p.expiresAt, p.arrivedAt, p.collectedAt],
    );
    return result.changes === 1;
  }

  async getPickup(pickupId: string): Promise<Pickup | null> {
    const row = await this.db.get<PickupRow>("SELECT * FROM pickups WHERE id = ?", [pickupId]);
    return row ? toPickup(row) : null;
  }

  async listPickups(query: { readonly orgId: string; readonly storeId?: string; readonly states?: readonly PickupState[]; readonly limit: number }): Promise<Pickup[]> {
    const { sql, params } = listPickupsQuery(query);
    return (await this.db.all<PickupRow>(sql, params)).map(toPickup);
  }

  markArrived(userId: string, storeId: string, now: number): Promise<Pickup[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.all<PickupRow>(
        "SELECT * FROM pickups WHERE user_id = ? AND store_id = ? AND state = 'awaiting' AND expires_at > ? ORDER BY created_at, id",
        [userId, storeId, now],
      );
      const marked: Pickup[] = [];
      for (const row of rows) {
        const r = await tx.run("UPDATE pickups SET state = 'arrived', arrived_at = ? WHERE id = ? AND state = 'awaiting'", [now, row.id]);
        if (r.changes === 1) marked.push({ ...toPickup(row), state: "arrived", arrivedAt: now });
      }
      return marked;
    });
  }

  collect(code: string, storeId: string, now: number): Promise<CollectResult> {
    return this.db.transaction(async (tx): Promise<CollectResult> => {
      const row = await tx.get<PickupRow>("SELECT * FROM pickups WHERE code = ?", [code]);
      if (!row) return { ok: false, reason: "unknown-code", text: "no order has this pick-up code" };
      const check = checkCollect(toPickup(row), storeId, now);
      if (!check.ok) return check;
      const taken = await tx.run("UPDATE pickups SET state = 'collected', collected_at = ? WHERE id = ? AND state <> 'collected'", [now, row.id]);
      if (taken.changes !== 1) throw new Error(`pickup ${row.id} changed inside its transaction`);
      return { ok: true, pickup: { ...toPickup(row), state: "collected", collectedAt: now } };
    });
  }
}
