import type { PresenceEvent } from "../../../protocol/index.js";
import type { AppUser, Repositories, StoreRecord } from "../../../cloud/src/services/repositories.js";

/**
 * A backend under test: a fresh, empty (migrated) store of every repository, and how to dispose of
 * it. Each contract seeds what it needs through the ports themselves, never through the backend's
 * own tables, so the same suite runs unchanged against any backend.
 */
export interface BackendUnderTest {
  readonly repos: Repositories;
  close(): Promise<void>;
}

/** Builds a fresh backend for one test. */
export type MakeBackend = () => Promise<BackendUnderTest>;

export const org = (id: string, maxOffersPerUserPerDay = 3) => ({ id, name: `Org ${id}`, maxOffersPerUserPerDay });

export const store = (id: string, orgId: string, overrides: Partial<StoreRecord> = {}): StoreRecord => ({
  id,
  orgId,
  name: `Store ${id}`,
  timezone: "UTC",
  lat: null,
  lon: null,
  tags: [],
  ...overrides,
});

export const user = (id: string, orgId: string, overrides: Partial<AppUser> = {}): AppUser => ({
  id,
  orgId,
  displayName: null,
  segments: [],
  loyaltyTier: null,
  marketingConsent: true,
  analyticsConsent: true,
  ...overrides,
});

export const BEACON = "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:1:2";

/** A gateway's presence event of `seq` (ids padded so their order is their sequence). */
export function presenceEvent(seq: number, overrides: Partial<PresenceEvent> = {}): PresenceEvent {
  return {
    id: `event-${String(seq).padStart(8, "0")}`,
    seq,
    type: "enter",
    storeId: "s1",
    zoneId: "z1",
    gatewayId: "g1",
    subject: { kind: "ibeacon", id: BEACON },
    at: "2026-11-22T09:00:00.000Z",
    visitId: "visit-00000001",
    rssi: -60,
    distanceM: 1.5,
    ...overrides,
  };
}

/** Organisation o1 with store s1 (UTC), zone z1 and gateway g1: where most contracts start. */
export async function seedStore(repos: Repositories): Promise<void> {
  await repos.directory.upsertOrganisation(org("o1"), 0);
  await repos.directory.upsertStore(store("s1", "o1"), 0);
  await repos.directory.upsertZone({ id: "z1", storeId: "s1", name: "Entrance", tags: [], geometry: { id: "z1" } });
  await repos.directory.upsertGateway({ id: "g1", storeId: "s1", name: "Gateway 1" }, 0);
}
