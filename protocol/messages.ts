import Type, { type Static, type TSchema } from "typebox";
import { ID_PATTERN, SUBJECT_KINDS } from "./ids.js";
import { type Checked, Checker, StringEnum } from "./schema.js";
import type { GatewayChannel, StoreChannel, UserChannel } from "./topics.js";

/**
 * Versioned message schemas of the wire contract (docs/protocol.md). Every payload is a JSON
 * object with `v: 1`; a receiver rejects versions it does not know instead of guessing. Unknown
 * fields are rejected too, so a typo never passes silently.
 */
export const PROTOCOL_VERSION = 1;

const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
const IsoTime = (description: string) => Type.String({ format: "date-time", maxLength: 40, description });
const Version = Type.Literal(PROTOCOL_VERSION, { description: "Message schema version." });

export const SubjectSchema = Type.Object(
  {
    kind: StringEnum(SUBJECT_KINDS, { description: "How the subject was identified." }),
    id: Type.String({
      minLength: 3,
      maxLength: 128,
      description: "Subject id `<kind>:<fields>`, lowercase hex, e.g. `ibeacon:<uuid>:<major>:<minor>`.",
    }),
  },
  { additionalProperties: false },
);
export type Subject = Static<typeof SubjectSchema>;

/**
 * Longest dwell a presence event may report: 24 h. A visit ends once its subject is out of the zone
 * for `exitAfterMs` (at most 10 min), so a shopper's visit is hours at the very most; a store open
 * round the clock still sees nobody stand in one zone for a day. A subject that does (a shelf tag,
 * a badge left in a drawer) is a fixture, and the gateway reports its dwell clamped to this bound.
 * Anything above is a bug or a forgery: `Number.MAX_SAFE_INTEGER` once made a visit that began
 * 285 000 years ago and broke every reader of the store's visits.
 */
export const MAX_DWELL_MS = 24 * 60 * 60 * 1000;

/**
 * RSSI range a Bluetooth controller reports: -127..+20 dBm (Core spec v5.4, Vol 4, Part E,
 * 7.7.65.2, LE Advertising Report). The gateway clamps its calibrated, smoothed value to it.
 */
export const MIN_RSSI_DBM = -127;
export const MAX_RSSI_DBM = 20;

/**
 * Farthest distance an event may report, metres. BLE reaches about a kilometre in the open with
 * the coded PHY; in a store the gateway clamps far lower (50 m by default).
 */
export const MAX_DISTANCE_M = 1000;

export const PRESENCE_EVENT_TYPES = ["enter", "dwell", "exit"] as const;
export type PresenceEventType = (typeof PRESENCE_EVENT_TYPES)[number];

export const PresenceEventSchema = Type.Object(
  {
    id: Type.String({
      pattern: "^[A-Za-z0-9_-]{8,64}$",
      description: "Unique event id, stable across retries; the cloud stores each id once.",
    }),
    seq: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "Per-gateway monotonic sequence number (outbox order).",
    }),
    type: StringEnum(PRESENCE_EVENT_TYPES),
    storeId: Id("Store the gateway belongs to."),
    zoneId: Id("Zone entered, dwelt in or left."),
    gatewayId: Id("Gateway that decided the event."),
    subject: SubjectSchema,
    at: IsoTime("When the gateway decided, ISO-8601 UTC."),
    visitId: Type.String({
      pattern: "^[A-Za-z0-9_-]{8,64}$",
      description: "Shared by the enter, dwells and exit of one visit.",
    }),
    rssi: Type.Union([Type.Number({ minimum: MIN_RSSI_DBM, maximum: MAX_RSSI_DBM }), Type.Null()], {
      description: "Smoothed RSSI, dBm, -127..20.",
    }),
    distanceM: Type.Union([Type.Number({ minimum: 0, maximum: MAX_DISTANCE_M }), Type.Null()], {
      description: "Estimated distance to the gateway, metres, 0..1000.",
    }),
    dwellMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_DWELL_MS,
        description: "Time in the zone so far, ms, at most 24 h; on dwell and exit.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type PresenceEvent = Static<typeof PresenceEventSchema>;

/**
 * Sequences are unique within one outbox, the SQLite file a gateway keeps them in. A gateway whose
 * storage was replaced starts again at 1 under a new outbox id, so the cloud's acknowledgement state
 * for the old file can never make the new one drop events it has not sent yet.
 */
const OutboxId = Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$", description: "Id of the gateway's outbox." });

/** Largest batch a gateway sends in one publish; keeps one message well under broker limits. */
export const MAX_BATCH_EVENTS = 500;

export const EventBatchSchema = Type.Object(
  {
    v: Version,
    outbox: OutboxId,
    fromSeq: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description:
        "Lowest sequence the gateway still holds unacknowledged when sending; every lower one was acknowledged or evicted, so the cloud may count it as done.",
    }),
    events: Type.Array(PresenceEventSchema, { minItems: 1, maxItems: MAX_BATCH_EVENTS }),
  },
  { additionalProperties: false },
);
export type EventBatch = Static<typeof EventBatchSchema>;

export const AckSchema = Type.Object(
  {
    v: Version,
    outbox: OutboxId,
    upToSeq: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "Every sequence of this outbox up to here is durably stored in the cloud.",
    }),
  },
  { additionalProperties: false },
);
export type Ack = Static<typeof AckSchema>;

export const ProblemSchema = Type.Object(
  { path: Type.String({ maxLength: 256 }), message: Type.String({ maxLength: 512 }) },
  { additionalProperties: false },
);

/** Releases are named VERSION-HASH (firmware-config/install-release.sh). */
const ReleaseName = Type.Union([Type.String({ maxLength: 128 }), Type.Null()]);

export const UpdateReportSchema = Type.Object(
  {
    outcome: StringEnum(["updated", "unchanged", "rolled-back", "refused", "failed"] as const, {
      description:
        "updated: switched and healthy; rolled-back: switched, not healthy in time, switched back; refused: not verified (or failed here before); failed: could not install.",
    }),
    from: ReleaseName,
    to: ReleaseName,
    reason: Type.Union([Type.String({ maxLength: 1024 }), Type.Null()]),
    at: IsoTime("When the update ended (the gateway's clock)."),
  },
  { additionalProperties: false, description: "The last software update on the gateway, as install-release.sh reported it." },
);
export type UpdateReport = Static<typeof UpdateReportSchema>;
export const updateReportChecker = new Checker(UpdateReportSchema);

/**
 * What the gateway learned from members seen at the till (docs/architecture.md, "Calibration from
 * evidence"): the samples counted since the last survey, the offset it learned once it acts, and the
 * median sample of each recent week to show drift. Absent when the gateway does not learn.
 */
export const LearnedCalibrationSchema = Type.Object(
  {
    samples: Type.Integer({ minimum: 0, maximum: 1_000_000, description: "Till samples counted since the last survey." }),
    refused: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "Labels that gave no sample since the gateway started (not heard, outliers)." }),
    rssiOffsetDb: Type.Union([Type.Number({ minimum: -30, maximum: 30 }), Type.Null()], {
      description: "The offset learned and run with, dB; null while too few samples (the survey's or config's runs).",
    }),
    learnedAt: Type.Union([IsoTime("When the learned offset last moved."), Type.Null()]),
    weeks: Type.Array(
      Type.Object(
        {
          weekStart: IsoTime("Start of the 7-day bin."),
          samples: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
          medianDb: Type.Number({ minimum: -30, maximum: 30, description: "Median offset sample of the week, dB." }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 26, description: "Recent weeks, oldest first." },
    ),
  },
  { additionalProperties: false },
);
export type LearnedCalibration = Static<typeof LearnedCalibrationSchema>;

/**
 * What the gateway learned of a zone's enter threshold from `inside` labels (members known to be in
 * the store, position unknown; docs/architecture.md, "Calibration from evidence"). Absent when the
 * gateway does not learn it (config `insideLearning`).
 */
export const LearnedZoneSchema = Type.Object(
  {
    zoneId: Id("The zone learned: the store's floor."),
    labels: Type.Integer({ minimum: 0, maximum: 1_000_000, description: "Inside labels counted since the last survey." }),
    refused: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "Inside labels that gave no sample since the gateway started." }),
    edgeLossDb: Type.Union([Type.Number({ minimum: 0, maximum: 200 }), Type.Null()], {
      description: "The edge loss learned and run with, dB; null while too few labels (the survey's or the drawn radius's runs).",
    }),
    targetDb: Type.Union([Type.Number({ minimum: 0, maximum: 200 }), Type.Null()], {
      description: "Where the labels say the edge loss should be now, dB (it moves there a step a day); null while too few labels.",
    }),
    learnedAt: Type.Union([IsoTime("When the learned edge loss last moved."), Type.Null()]),
    weeks: Type.Array(
      Type.Object(
        {
          weekStart: IsoTime("Start of the 7-day bin."),
          labels: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
          thresholdDb: Type.Number({ minimum: 0, maximum: 200, description: "The raw path loss the week's labels put at the percentile, dB." }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 26, description: "Recent weeks, oldest first." },
    ),
  },
  { additionalProperties: false },
);
export type LearnedZone = Static<typeof LearnedZoneSchema>;

/**
 * What the gateway learned of its pavement from the passers-by it hears (config `trafficLearning`;
 * docs/architecture.md, "Calibration from evidence"): the bound on its zones' edge loss. Absent when
 * the gateway does not learn it.
 */
export const LearnedTrafficSchema = Type.Object(
  {
    tracks: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "Short tracks the bound reads (its last days)." }),
    counted: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "Short tracks counted since the gateway started." }),
    quantileDb: Type.Union([Type.Number({ minimum: 0, maximum: 200 }), Type.Null()], {
      description: "The strong tail of those tracks' closest approaches (extrapolated from their middle, or the learner's quantile), raw path loss, dB; null before any.",
    }),
    boundDb: Type.Union([Type.Number({ minimum: -200, maximum: 200 }), Type.Null()], {
      description: "The highest raw edge loss the pavement allows, dB (less the offset, the cap on this gateway's zones); null while too few tracks.",
    }),
    days: Type.Array(
      Type.Object(
        { dayStart: IsoTime("Start of the day."), tracks: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) },
        { additionalProperties: false },
      ),
      { maxItems: 28, description: "Tracks counted per day, oldest first." },
    ),
  },
  { additionalProperties: false },
);
export type LearnedTraffic = Static<typeof LearnedTrafficSchema>;

/**
 * What the gateway's presence runs calibrated with: its RSSI offset and each of its zones' enter
 * thresholds as its config holds them now, and when `arrival-gateway calibrate` last surveyed it.
 */
export const CalibrationReportSchema = Type.Object(
  {
    surveyedAt: Type.Union([IsoTime("When the site survey that wrote these values ended (the gateway's clock)."), Type.Null()], {
      description: "null: never surveyed with `arrival-gateway calibrate` (or its record is gone).",
    }),
    samples: Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()], {
      description: "Edge samples the offset was learned from; null when not surveyed.",
    }),
    rssiOffsetDb: Type.Number({ minimum: -30, maximum: 30, description: "Added to every RSSI this radio reports, dB (config site.rssiOffsetDb)." }),
    zones: Type.Array(
      Type.Object(
        {
          zoneId: Id("The zone."),
          edgeLossDb: Type.Union([Type.Number({ minimum: 0, maximum: 200 }), Type.Null()], {
            description: "Path loss at the zone's edge, dB: its enter threshold; null when the zone runs on its drawn radius.",
          }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50, description: "This gateway's gateway-radius zones." },
    ),
    learned: Type.Optional(LearnedCalibrationSchema),
    learnedZones: Type.Optional(Type.Array(LearnedZoneSchema, { maxItems: 50 })),
    learnedTraffic: Type.Optional(LearnedTrafficSchema),
  },
  { additionalProperties: false, description: "The gateway's presence calibration, as of `at`. Absent from gateways before 0.4." },
);
export type CalibrationReport = Static<typeof CalibrationReportSchema>;

export const GatewayStatusSchema = Type.Object(
  {
    v: Version,
    state: StringEnum(["online", "offline"] as const),
    at: Type.Optional(IsoTime("When the state was set; absent in the last will.")),
    version: Type.Optional(Type.String({ maxLength: 64, description: "Gateway software version." })),
    config: Type.Optional(
      Type.Object(
        {
          revision: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
          state: StringEnum(["applied", "rejected"] as const),
          problems: Type.Optional(Type.Array(ProblemSchema, { maxItems: 100 })),
        },
        { additionalProperties: false, description: "Outcome of the last remote config received." },
      ),
    ),
    scan: Type.Optional(
      Type.Object(
        {
          state: StringEnum(["scanning", "interrupted"] as const, {
            description: "interrupted: the radio is powered off, blocked or failing, and the gateway is retrying.",
          }),
          lastAdvertAgeS: Type.Union([Type.Number({ minimum: 0, maximum: 315_360_000 }), Type.Null()], {
            description: "Seconds since the last advert was heard when the status was sent; null before the first.",
          }),
        },
        { additionalProperties: false, description: "The radio, as of `at`. Absent from gateways before 0.2." },
      ),
    ),
    update: Type.Optional(UpdateReportSchema),
    advertising: Type.Optional(
      Type.Object(
        {
          state: StringEnum(["advertising", "off", "failed"] as const, {
            description: "off: no store beacon configured; failed: the adapter refused to advertise (see `error`), retried.",
          }),
          format: Type.Optional(StringEnum(["ibeacon", "eddystone-eid"] as const)),
          slotStart: Type.Optional(IsoTime("Start of the slot whose value is on air.")),
          error: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false, description: "The store beacon the gateway advertises, as of `at`." },
      ),
    ),
    calibration: Type.Optional(CalibrationReportSchema),
  },
  { additionalProperties: false },
);
export type GatewayStatus = Static<typeof GatewayStatusSchema>;

/** Longest uptime or age a gateway may report, seconds: a number beyond it is a bug, not a gateway. */
const TEN_YEARS_S = 10 * 365 * 86_400;
/** Largest clock offset between a store's gateways worth reporting, ms: beyond it no peer is believed. */
const MAX_CLOCK_OFFSET_MS = 3_600_000;
const ClockOffsetMs = Type.Integer({ minimum: -MAX_CLOCK_OFFSET_MS, maximum: MAX_CLOCK_OFFSET_MS });
/** Largest offset from the cloud's clock a gateway corrects (its filter refuses more), ms: 100 years. */
const MAX_REFERENCE_OFFSET_MS = 36_525 * 86_400_000;
const Count = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });

export const TelemetrySchema = Type.Object(
  {
    v: Version,
    at: IsoTime("When the sample was taken."),
    version: Type.String({ maxLength: 64 }),
    uptimeS: Type.Number({ minimum: 0, maximum: TEN_YEARS_S, description: "Seconds since the gateway started." }),
    advertsPerS: Type.Number({ minimum: 0, maximum: 100_000, description: "Adverts heard per second." }),
    subjectsTracked: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    outboxDepth: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    outboxOldestAgeS: Type.Number({ minimum: 0, maximum: TEN_YEARS_S }),
    eventsSent: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    reconnects: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    cpuPercent: Type.Number({
      minimum: 0,
      maximum: 12_800,
      description: "Process CPU, percent of one core (so up to 100 per core).",
    }),
    rssBytes: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    lan: Type.Optional(
      Type.Object(
        {
          sightingsReceived: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "Peers' sightings taken in." }),
          lateDropped: Type.Integer({
            minimum: 0,
            maximum: Number.MAX_SAFE_INTEGER,
            description: "Sightings dropped as late, ahead or beyond the merge's bound: a peer's clock or the LAN lags.",
          }),
          refused: Type.Integer({
            minimum: 0,
            maximum: Number.MAX_SAFE_INTEGER,
            description: "Datagrams refused: unauthenticated, malformed, oversized, stale, replayed or from no peer.",
          }),
          peers: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  id: Id("The peer's gatewayId, as configured."),
                  lastHeardAgeS: Type.Union([Type.Number({ minimum: 0, maximum: TEN_YEARS_S }), Type.Null()], {
                    description: "Seconds since the peer's last authenticated datagram when the sample was taken; null: never heard.",
                  }),
                  sightingsReceived: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
                  refused: Type.Integer({
                    minimum: 0,
                    maximum: Number.MAX_SAFE_INTEGER,
                    description: "Its authenticated datagrams refused as stale or replayed (a datagram failing authentication names no peer).",
                  }),
                  lateDropped: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
                  clockOffsetMs: Type.Optional(
                    Type.Union([ClockOffsetMs, Type.Null()], {
                      description:
                        "The peer's clock minus this gateway's, ms, as its freshest datagrams tell (less the LAN's delay); null: not heard lately, or too far off to believe.",
                    }),
                  ),
                },
                { additionalProperties: false },
              ),
              { maxItems: 50, description: "Each configured LAN peer, in config order." },
            ),
          ),
          clockOffsetMs: Type.Optional(
            Type.Integer({
              minimum: -MAX_CLOCK_OFFSET_MS,
              maximum: MAX_CLOCK_OFFSET_MS,
              description: "What this gateway adds to its clock to read the time the store's gateways agree on, ms; 0: its own clock is it.",
            }),
          ),
          recovery: Type.Optional(
            Type.Object(
              {
                missed: Count("Peers' datagrams found missing (a sequence number skipped)."),
                requested: Count("Requests this gateway sent its peers for missing datagrams (one may name several)."),
                resent: Count("Datagrams this gateway sent again because a peer asked."),
                recovered: Count("Missing datagrams that arrived after all (sent again, or reordered)."),
                givenUp: Count("Missing datagrams given up on: too old to merge by then, so the gateways may decide apart."),
              },
              { additionalProperties: false, description: "Lost datagrams asked for again within the lateness allowance." },
            ),
          ),
        },
        {
          additionalProperties: false,
          description: "The store LAN's live fusion, counted since the gateway started; absent without LAN peers.",
        },
      ),
    ),
    clock: Type.Optional(
      Type.Object(
        {
          source: Type.Literal("cloud", { description: "The gateway sets its clock by the cloud's, over MQTT (`time` requests)." }),
          offsetMs: Type.Union([Type.Integer({ minimum: -MAX_REFERENCE_OFFSET_MS, maximum: MAX_REFERENCE_OFFSET_MS }), Type.Null()], {
            description: "The cloud's clock minus the gateway's system clock, ms, as the believed sample measured it; null: no reply yet.",
          }),
          roundTripMs: Type.Union([Type.Integer({ minimum: 0, maximum: 3_600_000 }), Type.Null()], {
            description: "That sample's round trip, ms: the offset is right within half of it; null: no reply yet.",
          }),
          sampleAgeS: Type.Union([Type.Number({ minimum: 0, maximum: TEN_YEARS_S }), Type.Null()], {
            description: "Seconds since that sample when the telemetry was taken (it holds through an uplink outage); null: no reply yet.",
          }),
          correctionMs: Type.Integer({
            minimum: -MAX_REFERENCE_OFFSET_MS,
            maximum: MAX_REFERENCE_OFFSET_MS,
            description: "What the gateway adds to its system clock wherever it stamps or decides, ms; 0: its clock agrees with the cloud's within the round trip (kept by NTP), or no reply yet.",
          }),
          samples: Count("Replies taken as samples since the gateway started."),
          refused: Count("Replies refused as absurd (a negative or too long round trip, an offset beyond belief)."),
          unanswered: Count("Requests the cloud did not answer in time."),
        },
        { additionalProperties: false, description: "The gateway's clock against the cloud's; absent when it keeps its system clock (`time.source: system`)." },
      ),
    ),
  },
  { additionalProperties: false },
);
export type Telemetry = Static<typeof TelemetrySchema>;

const LatLon = Type.Object(
  { lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) },
  { additionalProperties: false },
);

/** Per-zone hysteresis: each zone's band fits its own size (a 2 m till, a 9 m shop floor). */
const ZoneExitMargin = Type.Optional(
  Type.Number({
    minimum: 0,
    maximum: 20,
    description: "Hysteresis of this zone: leave only beyond its edge + margin; absent = presence.exitMarginM.",
  }),
);

/**
 * A zone is a geofence. `gateway-radius` is a circle of `radiusM` around the gateway that hears the
 * subject (distance comes from RSSI); `circle` and `polygon` are in lat/lon and apply to positions
 * from several gateways or from a phone's GPS fix. A zone's own `exitMarginM` overrides the presence
 * tuning's for that zone.
 */
export const ZoneSchema = Type.Union([
  Type.Object(
    {
      id: Id("Zone id."),
      name: Type.Optional(Type.String({ maxLength: 120 })),
      shape: Type.Literal("gateway-radius"),
      gatewayId: Id("Gateway at the centre of the circle."),
      radiusM: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: "Radius, metres." }),
      exitMarginM: ZoneExitMargin,
      edgeLossDb: Type.Optional(
        Type.Number({
          exclusiveMinimum: 0,
          maximum: 80,
          description:
            "Path loss at the zone's edge as a site survey measured it (power at 1 m minus the calibrated RSSI), dB: the engine judges the zone against the distance this loss means instead of radiusM. Written by `arrival-gateway calibrate`; absent = radiusM.",
        }),
      ),
      peerEdges: Type.Optional(
        Type.Array(
          Type.Object(
            {
              gatewayId: Id("Another gateway of the store that pools its evidence into this zone."),
              edgeLossDb: Type.Number({
                exclusiveMinimum: 0,
                maximum: 80,
                description: "Path loss that gateway measured along this zone's edge during the site survey, dB.",
              }),
            },
            { additionalProperties: false },
          ),
          {
            maxItems: 16,
            description:
              "Where the store's other surveyed gateways hear this zone's edge, as a site survey measured it (power at 1 m minus each one's calibrated RSSI): each pools its evidence against this loss instead of the distance between the gateways plus the radius. Written by `arrival-gateway calibrate` when the survey heard those gateways; absent = geometry.",
          },
        ),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      id: Id("Zone id."),
      name: Type.Optional(Type.String({ maxLength: 120 })),
      shape: Type.Literal("circle"),
      center: LatLon,
      radiusM: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
      exitMarginM: ZoneExitMargin,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      id: Id("Zone id."),
      name: Type.Optional(Type.String({ maxLength: 120 })),
      shape: Type.Literal("polygon"),
      points: Type.Array(LatLon, { minItems: 3, maxItems: 100 }),
      exitMarginM: ZoneExitMargin,
    },
    { additionalProperties: false },
  ),
]);
export type Zone = Static<typeof ZoneSchema>;

/** Thresholds of the presence engine; every field has a default in the gateway config. */
export const PresenceTuningSchema = Type.Object(
  {
    pathLossExponent: Type.Number({
      minimum: 1.5,
      maximum: 5,
      description: "Log-distance exponent n; 2 is free space.",
    }),
    enterMinSamples: Type.Integer({
      minimum: 1,
      maximum: 50,
      description: "In-zone samples needed to enter.",
    }),
    enterWindowMs: Type.Integer({
      minimum: 1000,
      maximum: 120_000,
      description: "Window those samples must fall in.",
    }),
    exitMarginM: Type.Number({
      minimum: 0,
      maximum: 20,
      description: "Hysteresis: leave only beyond radius + margin.",
    }),
    exitAfterMs: Type.Integer({
      minimum: 1000,
      maximum: 600_000,
      description: "Out of zone (or unheard) this long = exit.",
    }),
    dwellMarksMs: Type.Array(Type.Integer({ minimum: 1000, maximum: MAX_DWELL_MS }), {
      maxItems: 20,
      description: "Dwell events at these times.",
    }),
    enterRankPerSecond: Type.Optional(
      Type.Boolean({
        description: "Enter test ranks one value per second, not every advert: same strictness at any advertising rate.",
      }),
    ),
    enterSequential: Type.Optional(
      Type.Object(
        {
          offsetDb: Type.Number({
            minimum: 0,
            maximum: 20,
            description: "A second this far (dB) beyond the enter threshold counts neither way; nearer counts for inside.",
          }),
          capDb: Type.Number({
            minimum: 0.5,
            maximum: 30,
            description: "Most one second can add or take away, dB.",
          }),
          thresholdDb: Type.Number({
            minimum: 1,
            maximum: 1000,
            description: "Enter once the accumulated evidence reaches this, dB·s.",
          }),
        },
        {
          additionalProperties: false,
          description:
            "Also enter on accumulated evidence (a CUSUM over each second's distance to the enter threshold, floored at 0), so a shopper who stays just beyond the threshold enters eventually.",
        },
      ),
    ),
    enterPooledDepth: Type.Optional(
      Type.Object(
        {
          depthDb: Type.Number({
            exclusiveMinimum: 0,
            maximum: 20,
            description: "Enter at once only when the counted seconds lie this far inside the edge on average, dB.",
          }),
          holdMs: Type.Integer({
            minimum: 1000,
            maximum: 600_000,
            description: "Otherwise enter once the evidence has held this long without a gap of enterWindowMs, ms. A hold within the k-of-n rule's own seconds leaves the rule without effect.",
          }),
        },
        {
          additionalProperties: false,
          description:
            "In a zone that pools the store's gateways, an enter on the k-of-n rule must lie deep enough inside the edge or have held long enough: someone who stops at the window for a few seconds, heard just inside the edge, does not enter.",
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PresenceTuning = Static<typeof PresenceTuningSchema>;

const BeaconListEntrySchema = Type.Object(
  {
    match: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: "^[A-Za-z0-9:._-]+\\*?$",
      description:
        "A subject id (ibeacon:<uuid>:<major>:<minor>, eddystone-uid:<namespace>:<instance>, …) or a prefix of one ending in * (ibeacon:<uuid>:7:* for every badge of major 7). Case does not matter.",
    }),
    role: Type.Optional(
      StringEnum(["staff", "fixture", "other"], {
        description: "What the beacon is: a staff badge, a fixed beacon (till, shelf), or something else.",
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 200, description: "For people reading the list." })),
  },
  { additionalProperties: false },
);

/**
 * Which beacons a gateway tracks, and per-beacon power at 1 m: in the gateway's config file, and
 * pushed by the cloud in the remote config (which then replaces the file's).
 */
export const BeaconListsSchema = Type.Object(
  {
    allow: Type.Optional(
      Type.Array(BeaconListEntrySchema, {
        default: [],
        maxItems: 1000,
        description: "When not empty, only beacons matching an entry are tracked.",
      }),
    ),
    deny: Type.Optional(
      Type.Array(BeaconListEntrySchema, {
        default: [],
        maxItems: 1000,
        description:
          "Beacons never tracked, even if allowed: staff badges, fixed beacons near the till. They never enter a zone.",
      }),
    ),
    calibration: Type.Optional(
      Type.Array(
        Type.Object(
          {
            subject: Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9:._-]+$", description: "The beacon's subject id." }),
            measuredPowerDbm: Type.Number({
              minimum: -100,
              maximum: -20,
              description: "Its power at 1 m as measured on site, dBm; overrides what the beacon advertises.",
            }),
          },
          { additionalProperties: false },
        ),
        { default: [], maxItems: 2000, description: "Per-beacon power at 1 m, for beacons whose advertised value is wrong." },
      ),
    ),
  },
  { additionalProperties: false, default: {} },
);
export type BeaconLists = Static<typeof BeaconListsSchema>;

/** Retained on the gateway's config topic by the cloud; applied without a restart. */
export const SoftwareTargetSchema = Type.Object(
  {
    release: Type.String({ pattern: "^[0-9A-Za-z.+-]{1,100}$", description: "The release to run, VERSION-HASH (install-release.sh's name)." }),
    url: Type.String({
      pattern: "^https?://[^\\s]+$",
      maxLength: 2048,
      description: "Where the tarball is; its .sha256 and .sig are at the same URL with those suffixes.",
    }),
    sha256: Type.String({ pattern: "^[0-9a-f]{64}$", description: "The tarball's SHA-256, checked after download." }),
  },
  {
    additionalProperties: false,
    description:
      "The software the gateway should run. It downloads it, then its updater verifies the signature, installs it beside the running release, switches and rolls back by itself when unhealthy.",
  },
);
export type SoftwareTarget = Static<typeof SoftwareTargetSchema>;

/**
 * The store beacon the gateways of a store advertise (see storeBeacon.ts): the organisation's
 * proximity UUID and the store's identity key, from which each slot's value is derived. Absent:
 * the gateway does not advertise.
 */
export const StoreBeaconConfigSchema = Type.Object(
  {
    format: StringEnum(["ibeacon", "eddystone-eid"] as const, {
      description: "ibeacon: the UUID with a rotating major/minor (what iOS region monitoring wakes an app for); eddystone-eid: the 8-byte EID.",
    }),
    uuid: Type.String({
      pattern: "^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$",
      description: "The organisation's proximity UUID: the region apps monitor.",
    }),
    identityKey: Type.String({ pattern: "^[0-9a-f]{32}$", description: "The store's 16-byte identity key, hex. A secret." }),
    rotationExponent: Type.Integer({
      minimum: 6,
      maximum: 15,
      description: "The value changes every 2^K seconds, at multiples of 2^K Unix seconds.",
    }),
    measuredPowerDbm: Type.Integer({
      minimum: -127,
      maximum: 20,
      description: "iBeacon: RSSI at 1 m; Eddystone: TX power at 0 m (about 41 dB more), dBm.",
    }),
  },
  { additionalProperties: false },
);
export type StoreBeaconConfig = Static<typeof StoreBeaconConfigSchema>;

export const GatewayRemoteConfigSchema = Type.Object(
  {
    v: Version,
    revision: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "Increases with every push; older revisions are ignored.",
    }),
    zones: Type.Array(ZoneSchema, { maxItems: 200 }),
    presence: Type.Optional(Type.Partial(PresenceTuningSchema)),
    software: Type.Optional(SoftwareTargetSchema),
    beacons: Type.Optional(BeaconListsSchema),
    storeBeacon: Type.Optional(StoreBeaconConfigSchema),
  },
  { additionalProperties: false },
);
export type GatewayRemoteConfig = Static<typeof GatewayRemoteConfigSchema>;

export const DiscountSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal("percent"), percent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal("amount"),
      amountMinor: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "Amount in the currency's minor unit (cents)." }),
      currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code." }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal("free-item"), item: Type.String({ minLength: 1, maxLength: 120 }) },
    { additionalProperties: false },
  ),
]);
export type Discount = Static<typeof DiscountSchema>;

/** Sent to `users/{userId}/offers` at QoS 1: a new offer, or a reminder before it expires. */
export const OfferMessageSchema = Type.Object(
  {
    v: Version,
    kind: StringEnum(["offer", "reminder"] as const),
    offerId: Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$" }),
    ruleId: Id("Rule that issued the offer."),
    storeId: Id("Store where it can be redeemed."),
    title: Type.String({ minLength: 1, maxLength: 120 }),
    text: Type.String({ maxLength: 1000 }),
    discount: DiscountSchema,
    code: Type.String({
      minLength: 16,
      maxLength: 64,
      description: "Single-use redemption code shown at the till.",
    }),
    issuedAt: IsoTime("When the offer was issued."),
    expiresAt: IsoTime("When it stops being redeemable."),
  },
  { additionalProperties: false },
);
export type OfferMessage = Static<typeof OfferMessageSchema>;

/**
 * Sent by the cloud to `stores/{storeId}/pickups` at QoS 1 when a click-and-collect customer
 * arrives (any presence source), so the order is ready at the counter. Names the order, not the
 * person: the counter matches it to its own order list.
 */
export const PickupArrivalMessageSchema = Type.Object(
  {
    v: Version,
    kind: Type.Literal("pickup-arrived"),
    pickupId: Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$" }),
    orderId: Type.String({ minLength: 1, maxLength: 64 }),
    storeId: Id("Store where the order is collected."),
    arrivedAt: IsoTime("When the customer was seen."),
  },
  { additionalProperties: false },
);
export type PickupArrivalMessage = Static<typeof PickupArrivalMessageSchema>;

/**
 * Published by the app to its own `users/{userId}/location` at QoS 1: the OS saw the phone enter a
 * store's geofence, with the GPS fix. `reportId` makes a redelivered report count once.
 */
export const LocationReportSchema = Type.Object(
  {
    v: Version,
    reportId: Type.String({ pattern: "^[A-Za-z0-9_-]{8,64}$", description: "Unique per report, stable across retries." }),
    storeId: Id("Store whose geofence was entered."),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    accuracyM: Type.Number({ minimum: 0, maximum: 100_000, description: "Horizontal accuracy radius, metres." }),
    at: IsoTime("When the fix was taken."),
  },
  { additionalProperties: false },
);
export type LocationReport = Static<typeof LocationReportSchema>;

/** Most subject ids one label names: a member's app id and a handful of linked beacons. */
export const MAX_LABEL_SUBJECTS = 16;

/** Where a label says the subject was. */
export const LABEL_PLACES = ["till", "inside"] as const;
export type LabelPlace = (typeof LABEL_PLACES)[number];

/**
 * Published by the cloud to one gateway's `labels` topic (QoS 1, not retained): a subject was at a
 * known place of the store at a known time, so what the gateway heard of it then is a calibration
 * sample at that place. Sent only for members who gave analytics consent. `till`: a coupon of the
 * member was redeemed at the store's till (not online) at `at`. `inside`: the member's phone heard
 * the store's own beacon at `at` (resolved to this store within the beacon's slot), so the member
 * was in the store then, but not where in it.
 */
export const PlaceLabelSchema = Type.Object(
  {
    v: Version,
    place: Type.Union(
      [Type.Literal("till"), Type.Literal("inside")],
      { description: "Where the subject was: `till`, at the store's till; `inside`, somewhere in the store (position unknown)." },
    ),
    at: IsoTime("When the subject was there (the redemption's time, the cloud's clock)."),
    subjects: Type.Array(
      Type.String({ minLength: 3, maxLength: 128, description: "A subject id the gateways would hear for the member (`app:<userId>`, a linked beacon's id)." }),
      { minItems: 1, maxItems: MAX_LABEL_SUBJECTS },
    ),
  },
  { additionalProperties: false },
);
export type PlaceLabel = Static<typeof PlaceLabelSchema>;

/** Largest epoch ms a clock exchange carries: the year 2286, beyond any clock worth correcting. */
const MAX_EPOCH_MS = 10_000_000_000_000;
const EpochMs = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS, description });
const TimeRequestId = Type.String({ pattern: "^[A-Za-z0-9_-]{1,32}$", description: "Names the request; the reply repeats it." });

/**
 * Published by a gateway to its own `time` topic (QoS 0, not retained): a request for the cloud's
 * clock, NTP-style (RFC 5905, on-wire protocol). QoS 0 because a sample is worth something only
 * when it travels at once: a late one only shows a long round trip, and the gateway sends another.
 */
export const TimeRequestSchema = Type.Object(
  {
    v: Version,
    id: TimeRequestId,
    t0: EpochMs("When the gateway sent the request, epoch ms of its own clock (the request's origin timestamp)."),
  },
  { additionalProperties: false },
);
export type TimeRequest = Static<typeof TimeRequestSchema>;

/**
 * Published by the cloud to one gateway's `time-reply` topic (QoS 0, not retained) for each of its
 * `time` requests. With t3, when the reply arrived by its own clock, the gateway measures its clock
 * minus the cloud's: offset = ((t1 − t0) + (t2 − t3)) / 2 within ± round trip / 2, where the round
 * trip is (t3 − t0) − (t2 − t1).
 */
export const TimeReplySchema = Type.Object(
  {
    v: Version,
    id: TimeRequestId,
    t0: EpochMs("The request's t0, repeated."),
    t1: EpochMs("When the cloud received the request, epoch ms of its clock."),
    t2: EpochMs("When the cloud sent this reply, epoch ms of its clock."),
  },
  { additionalProperties: false },
);
export type TimeReply = Static<typeof TimeReplySchema>;

/** Typed map from channel to payload: publishing the wrong payload on a channel does not compile. */
export const GATEWAY_MESSAGES = {
  events: new Checker(EventBatchSchema),
  status: new Checker(GatewayStatusSchema),
  telemetry: new Checker(TelemetrySchema),
  config: new Checker(GatewayRemoteConfigSchema),
  ack: new Checker(AckSchema),
  labels: new Checker(PlaceLabelSchema),
  time: new Checker(TimeRequestSchema),
  "time-reply": new Checker(TimeReplySchema),
} as const satisfies Record<GatewayChannel, Checker<TSchema>>;

export const USER_MESSAGES = {
  offers: new Checker(OfferMessageSchema),
  location: new Checker(LocationReportSchema),
} as const satisfies Record<UserChannel, Checker<TSchema>>;

/** What the cloud sends on each store channel, read by the store's own devices. */
export const STORE_MESSAGES = {
  pickups: new Checker(PickupArrivalMessageSchema),
} as const satisfies Record<StoreChannel, Checker<TSchema>>;

export type GatewayMessage<C extends GatewayChannel> = Static<(typeof GATEWAY_MESSAGES)[C]["schema"]>;
export type UserMessage<C extends UserChannel> = Static<(typeof USER_MESSAGES)[C]["schema"]>;
export type StoreMessage<C extends StoreChannel> = Static<(typeof STORE_MESSAGES)[C]["schema"]>;

/** Payloads above this size are refused before parsing; the largest legal batch is far smaller. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Serialises a message for the wire. */
export function encodeMessage(message: object): Buffer {
  return Buffer.from(JSON.stringify(message));
}

function decodeWith<T>(
  checker: { check(value: unknown): Checked<T> },
  payload: Uint8Array | string,
): Checked<T> {
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > MAX_PAYLOAD_BYTES) {
    return {
      ok: false,
      problems: [{ path: "", message: `payload of ${size} bytes exceeds ${MAX_PAYLOAD_BYTES}` }],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8"));
  } catch (err) {
    return { ok: false, problems: [{ path: "", message: `not JSON: ${(err as Error).message}` }] };
  }
  if (typeof value === "object" && value !== null && "v" in value && value.v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      problems: [{ path: "/v", message: `unsupported version ${JSON.stringify(value.v)}` }],
    };
  }
  return checker.check(value);
}

/** Parses and validates a payload received on a gateway channel; never throws. */
export function decodeGatewayMessage<C extends GatewayChannel>(
  channel: C,
  payload: Uint8Array | string,
): Checked<GatewayMessage<C>> {
  return decodeWith(GATEWAY_MESSAGES[channel] as Checker<TSchema>, payload) as Checked<GatewayMessage<C>>;
}

/** Parses and validates a payload received on a user channel; never throws. */
export function decodeUserMessage<C extends UserChannel>(
  channel: C,
  payload: Uint8Array | string,
): Checked<UserMessage<C>> {
  return decodeWith(USER_MESSAGES[channel] as Checker<TSchema>, payload) as Checked<UserMessage<C>>;
}

/** Parses and validates a payload received on a store channel (a counter device's); never throws. */
export function decodeStoreMessage<C extends StoreChannel>(
  channel: C,
  payload: Uint8Array | string,
): Checked<StoreMessage<C>> {
  return decodeWith(STORE_MESSAGES[channel] as Checker<TSchema>, payload) as Checked<StoreMessage<C>>;
}
