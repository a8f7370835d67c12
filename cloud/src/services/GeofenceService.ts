import { createHash, randomUUID } from "node:crypto";
import {
  appSubjectId,
  decodeUserMessage,
  formatProblems,
  type PresenceEvent,
  parseTopic,
  TOPIC_ROOT,
} from "../../../protocol/index.js";
import {
  checkGeofenceFix,
  type LocationFix,
  type PlausibilityVerdict,
} from "../domain/privacy/geofencePlausibility.js";
import type { EventTrigger } from "../domain/rules/index.js";
import { STORE_VISIT_GAP_MS } from "../domain/visits/storeVisit.js";
import type { LocationRepository } from "./repositories.js";
import type { Clock, Logger, MessageBus } from "./ports.js";
import { done, notFound, type Outcome } from "./Outcome.js";
import type { DirectoryRepository, StoredEvent, UserRepository } from "./repositories.js";

/** Zone id of geofence entries: the OS geofence is the store as a whole. */
export const GEOFENCE_ZONE_ID = "geofence";
/** Zone id of a phone's store beacon sightings: the beacon is the store as a whole. */
export const STORE_BEACON_ZONE_ID = "store-beacon";
/** Gateway id recorded on events the phone reported itself. */
export const PHONE_GATEWAY_ID = "phone";
/**
 * The presence event id of a user's location report. `reportId` is the app's, unique only among
 * that user's reports, while event ids are unique across all users: the id is derived from both,
 * so another user's equal `reportId` is a different event and the same user's resend the same one.
 * A hash keeps it within the event id pattern (`^[A-Za-z0-9_-]{8,64}$`) whatever the two lengths,
 * and unambiguous (a user id and a report id may both contain `-`).
 */
export function geofenceEventId(userId: string, reportId: string): string {
  return `app-${createHash("sha256").update(`${userId}\u0000${reportId}`).digest("hex").slice(0, 40)}`;
}

/**
 * The trigger a stored event fires. A phone's geofence entry is stored as an `enter` of the store's
 * `geofence` zone (visits and analytics read it as one), but the rules select it as
 * `geofence-arrival`: a rule on gateway arrivals must not fire on a phone's own claim, and a
 * geofence rule must fire on it.
 */
export function triggerOfStored(event: Pick<PresenceEvent, "type" | "zoneId" | "gatewayId">): EventTrigger {
  if (event.gatewayId !== PHONE_GATEWAY_ID) return event.type;
  if (event.zoneId === GEOFENCE_ZONE_ID) return "geofence-arrival";
  // The phone heard the store's own beacon: its own claim too, with a stronger proof than a fix.
  if (event.zoneId === STORE_BEACON_ZONE_ID) return "beacon-arrival";
  return event.type;
}

/**
 * How long one geofence visit lasts for its id: reports of one user and store within a window share
 * a visit id, so a phone re-entering the fence (GPS jitter at its edge) is one visit, not several.
 * The store visit (see `domain/visits/storeVisit.ts`) joins windows and gateway sightings beyond that.
 */
export const GEOFENCE_VISIT_WINDOW_MS = STORE_VISIT_GAP_MS;

/**
 * The visit id of a geofence entry: stable per user, store and window, within the visit id pattern.
 * Once-per-visit caps hold for a phone's repeated reports as they do for a gateway's visit.
 */
export function geofenceVisitId(userId: string, storeId: string, atMs: number): string {
  const window = Math.floor(atMs / GEOFENCE_VISIT_WINDOW_MS);
  return `geo-${createHash("sha256").update(`${userId}\u0000${storeId}\u0000${window}`).digest("hex").slice(0, 40)}`;
}

/** How far around the fix's time a gateway sighting corroborates it. */
const CORROBORATION_WINDOW_MS = 10 * 60_000;

/** A geofence entry as stored: its event, the plausibility verdict and the signals recorded with it. */
export interface GeofenceEntry {
  readonly eventId: string;
  readonly verdict: PlausibilityVerdict;
  readonly signals: GeofenceSignals;
}

export interface GeofenceSignals {
  readonly source: "phone-geofence";
  readonly plausible: boolean;
  readonly flags: string[];
  readonly accuracyM: number;
  readonly distanceFromStoreM: number | null;
  readonly speedFromPreviousMps: number | null;
  /** null: the store has no gateways; otherwise whether they saw this user within ±10 min. */
  readonly seenByStoreGateways: boolean | null;
}

/**
 * A phone reports that the OS saw it enter a store's geofence. The fix is checked for
 * plausibility and compared with what the store's own gateways saw; both become the event's
 * signals, which every decision on it records. A plausible entry goes through the same offer
 * pipeline as a beacon arrival; an implausible one is stored, flagged and decided no further.
 */
export class GeofenceService {
  constructor(
    private readonly o: {
      readonly locations: LocationRepository;
      readonly directory: Pick<DirectoryRepository, "getStore">;
      readonly clock: Clock;
      readonly log: Logger;
      readonly onStored: (events: readonly StoredEvent[]) => void;
      /** Location reports over MQTT (`users/{userId}/location`); absent: HTTP only. */
      readonly bus?: MessageBus;
      readonly users?: Pick<UserRepository, "getUser">;
    },
  ) {}

  private started = false;
  private subscribed = false;
  /** MQTT reports being handled, so `stop` can wait for them. */
  private readonly inFlight = new Set<Promise<void>>();

  /** Subscribes to every app's location reports; the broker's ACL lets each app publish only its own. */
  async start(): Promise<void> {
    const { bus } = this.o;
    if (this.started || !bus) return;
    this.started = true;
    if (this.subscribed) return;
    this.subscribed = true;
    await bus.subscribe(`${TOPIC_ROOT}/users/+/location`, async (message) => {
      // Once stopping, reports are dropped: a phone sends its next fix anyway.
      if (!this.started) return;
      const handling = this.handleReport(message.topic, message.payload);
      this.inFlight.add(handling);
      try {
        await handling;
      } finally {
        this.inFlight.delete(handling);
      }
      // Shared across workers: each report is stored (and decided) by one of them.
    }, { shared: true });
  }

  /** Stops taking MQTT reports and waits for those being stored to finish. Idempotent. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Handles one location report from MQTT; a bad one is logged and dropped, never thrown. */
  async handleReport(topic: string, payload: Uint8Array): Promise<void> {
    const { log } = this.o;
    const parsed = parseTopic(topic);
    if (parsed?.scope !== "user" || parsed.channel !== "location") return;
    const decoded = decodeUserMessage("location", payload);
    if (!decoded.ok) {
      log.warn({ userId: parsed.userId, problems: formatProblems(decoded.problems) }, "location report rejected");
      return;
    }
    const user = await this.o.users?.getUser(parsed.userId);
    if (!user) {
      log.warn({ userId: parsed.userId }, "location report from an unknown user");
      return;
    }
    const report = decoded.value;
    const outcome = await this.reportEntry({
      userId: user.id,
      orgId: user.orgId,
      storeId: report.storeId,
      fix: { lat: report.lat, lon: report.lon, accuracyM: report.accuracyM, at: Date.parse(report.at) },
      eventId: geofenceEventId(user.id, report.reportId),
    });
    if (!outcome.ok) log.warn({ userId: user.id, storeId: report.storeId }, "location report names an unknown store");
  }

  /** `eventId` makes a retried report count once (see `geofenceEventId`); default a new id. */
  async reportEntry(input: {
    userId: string;
    orgId: string;
    storeId: string;
    fix: LocationFix;
    eventId?: string;
  }): Promise<Outcome<GeofenceEntry>> {
    const { locations, clock } = this.o;
    const store = await this.o.directory.getStore(input.storeId);
    if (!store || store.orgId !== input.orgId) return notFound(`no store ${input.storeId}`);
    const { fix, userId } = input;
    const previous = await locations.lastFix(userId, fix.at);
    const verdict = checkGeofenceFix({ fix, previous, store: { lat: store.lat, lon: store.lon } });
    const gateways = await locations.countGateways(store.id);
    const seen =
      gateways === 0
        ? null
        : (await locations.countGatewaySightings(
            userId,
            store.id,
            fix.at - CORROBORATION_WINDOW_MS,
            fix.at + CORROBORATION_WINDOW_MS,
          )) > 0;
    const signals: GeofenceSignals = {
      source: "phone-geofence",
      plausible: verdict.plausible,
      flags: verdict.flags,
      accuracyM: fix.accuracyM,
      distanceFromStoreM: verdict.distanceFromStoreM,
      speedFromPreviousMps: verdict.speedFromPreviousMps,
      seenByStoreGateways: seen,
    };
    const id = input.eventId ?? randomUUID();
    const event: PresenceEvent = {
      id,
      seq: 1,
      type: "enter",
      storeId: store.id,
      zoneId: GEOFENCE_ZONE_ID,
      gatewayId: PHONE_GATEWAY_ID,
      subject: { kind: "app", id: appSubjectId(userId) },
      at: new Date(fix.at).toISOString(),
      visitId: geofenceVisitId(userId, store.id, fix.at),
      rssi: null,
      distanceM: verdict.distanceFromStoreM,
    };
    const now = clock.now();
    const stored = await locations.storeAppEntry({
      event,
      userId,
      fix,
      signals,
      receivedAt: now,
      decidedAt: verdict.plausible ? null : now,
    });
    // The cross-check travels with the event, so a rule may require it (requireCorroboration).
    if (stored && verdict.plausible) this.o.onStored([{ ...stored, corroborated: seen }]);
    // Without the user id (see "offer issued"): the event id leads to them only where storage links it.
    this.o.log.info({ storeId: store.id, eventId: id, ...signals }, "geofence entry reported");
    return done({ eventId: id, verdict, signals });
  }
}
