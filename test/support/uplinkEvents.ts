import type { UnsequencedEvent } from "../../gateway/src/services/ports.js";

/** Store and gateway that every uplink fault test uses (registered by `seedUplinkStore`). */
export const STORE_ID = "s1";
export const GATEWAY_ID = "g1";

/** Events are dated from when the test run started: the cloud refuses dates far from its clock. */
const RUN_START_MS = Date.now();

/**
 * Event `n` of a run called `tag`, as the scan pipeline would hand it to the outbox. Ids are unique
 * per (tag, n): the cloud deduplicates by id, so two runs of a test producer must not reuse ids, or
 * a fresh event would be taken for a re-send. The subject is an unregistered beacon, so the cloud
 * stores the event and evaluates no rule: the tests measure the uplink only.
 */
export function uplinkEvent(tag: string, n: number): UnsequencedEvent {
  return {
    id: `${tag}-${String(n).padStart(10, "0")}`,
    type: "dwell",
    storeId: STORE_ID,
    zoneId: "z1",
    gatewayId: GATEWAY_ID,
    subject: { kind: "ibeacon", id: "ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:7:7" },
    at: new Date(RUN_START_MS + n).toISOString(),
    visitId: `visit-${tag}`,
    rssi: -70,
    distanceM: 3,
    dwellMs: n,
  };
}

/** Events `from` .. `from + count - 1` of run `tag`. */
export function uplinkEvents(tag: string, from: number, count: number): UnsequencedEvent[] {
  return Array.from({ length: count }, (_, k) => uplinkEvent(tag, from + k));
}
