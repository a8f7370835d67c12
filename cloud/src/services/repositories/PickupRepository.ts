import type { CollectRefusal, Pickup, PickupState } from "../../domain/coupons/index.js";

export type CollectResult =
  | { readonly ok: true; readonly pickup: Pickup }
  | { readonly ok: false; readonly reason: CollectRefusal | "unknown-code"; readonly text: string };

/** Click-and-collect orders and their pick-up codes. */
export interface PickupRepository {
  /** Stores a new order; false when the store already has one with this order id. */
  createPickup(pickup: Pickup): Promise<boolean>;
  getPickup(pickupId: string): Promise<Pickup | null>;
  /**
   * An organisation's orders at one store (or every store), newest first (then by id), in the
   * given states (every state when absent), at most `limit`: what a pick-up counter lists.
   */
  listPickups(query: {
    readonly orgId: string;
    readonly storeId?: string;
    readonly states?: readonly PickupState[];
    readonly limit: number;
  }): Promise<Pickup[]>;
  /**
   * Marks the awaiting, unexpired orders of `userId` at `storeId` arrived at `now`, each once (a
   * conditional update); resolves to those this call marked, so each arrival is told once.
   */
  markArrived(userId: string, storeId: string, now: number): Promise<Pickup[]>;
  /** Hands the order over by its code at `storeId`, exactly once, before it expires. */
  collect(code: string, storeId: string, now: number): Promise<CollectResult>;
}
