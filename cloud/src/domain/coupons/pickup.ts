/** awaiting → arrived → collected; a code not collected by `expiresAt` is no longer accepted. */
export const PICKUP_STATES = ["awaiting", "arrived", "collected"] as const;
export type PickupState = (typeof PICKUP_STATES)[number];

/** A click-and-collect order waiting in a store, with its single-use pick-up code. */
export interface Pickup {
  readonly pickupId: string;
  readonly orgId: string;
  readonly storeId: string;
  readonly userId: string;
  /** The online shop's order id, unique per store. */
  readonly orderId: string;
  /** Canonical redemption-style code (`formatRedemptionCode`), shown by the customer at the counter. */
  readonly code: string;
  readonly state: PickupState;
  readonly createdAt: number;
  /** Epoch ms; the code is refused from then on. */
  readonly expiresAt: number;
  readonly arrivedAt: number | null;
  readonly collectedAt: number | null;
}

export type CollectRefusal = "already-collected" | "expired" | "wrong-store";

/** Whether the counter of `storeId` may hand over `pickup` at `now` (once, before it expires). */
export function checkCollect(
  pickup: Pickup,
  storeId: string,
  now: number,
): { readonly ok: true } | { readonly ok: false; readonly reason: CollectRefusal; readonly text: string } {
  if (pickup.state === "collected")
    return { ok: false, reason: "already-collected", text: `order ${pickup.orderId} was collected at ${new Date(pickup.collectedAt ?? 0).toISOString()}` };
  if (now >= pickup.expiresAt) return { ok: false, reason: "expired", text: `the pick-up code expired at ${new Date(pickup.expiresAt).toISOString()}` };
  if (pickup.storeId !== storeId) return { ok: false, reason: "wrong-store", text: `order ${pickup.orderId} is collected at store ${pickup.storeId}` };
  return { ok: true };
}

/** Whether a presence at `storeId` at `now` is this awaiting order's customer arriving. */
export const arrivesFor = (pickup: Pickup, storeId: string, now: number): boolean =>
  pickup.state === "awaiting" && pickup.storeId === storeId && now < pickup.expiresAt;
