import Type, { type Static } from "typebox";
import {
  BeaconListsSchema,
  ID_PATTERN,
  type PresenceTuning,
  PresenceTuningSchema,
  StringEnum,
  ZoneSchema,
} from "../../../protocol/index.js";
import { RECOMMENDED_PRESENCE_TUNING } from "../domain/presence/PresenceEngine.js";

/**
 * The gateway's configuration file: one schema gives the TypeScript type, the validation at
 * start-up (every problem reported with its path) and the documented defaults.
 */

/**
 * Presence thresholds when a config sets none: the engine's recommended tuning (see
 * PresenceEngine.ts and docs/benchmarks.md for how they were chosen), so a gateway and a replay of
 * its capture decide alike without any presence section in the file.
 */
export const DEFAULT_PRESENCE: PresenceTuning = RECOMMENDED_PRESENCE_TUNING;

const MqttSchema = Type.Object(
  {
    url: Type.String({
      pattern: "^(mqtt|mqtts|ws|wss)://",
      description: "Broker URL, e.g. mqtts://cloud.example:8883.",
    }),
    username: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "This gateway's own MQTT user name.",
    }),
    password: Type.Optional(Type.String({ maxLength: 512, description: "Password; prefer passwordFile." })),
    passwordFile: Type.Optional(
      Type.String({ description: "File holding the password, re-read on every connection attempt." }),
    ),
    caFile: Type.Optional(Type.String({ description: "PEM CA bundle for mqtts:// with a private CA." })),
    certFile: Type.Optional(
      Type.String({ description: "PEM client certificate, for certificate authentication." }),
    ),
    keyFile: Type.Optional(Type.String({ description: "PEM private key of the client certificate." })),
    keepaliveS: Type.Integer({ minimum: 5, maximum: 600, default: 30 }),
    reconnectInitialMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 1000 }),
    reconnectMaxMs: Type.Integer({ minimum: 1000, maximum: 600_000, default: 60_000 }),
  },
  { additionalProperties: false },
);

const ScannerSchema = Type.Object(
  {
    source: StringEnum(["noble", "sim", "replay"] as const, { description: "Where adverts come from." }),
    adapter: Type.String({
      pattern: "^hci[0-9]+$",
      default: "hci0",
      description: "Bluetooth adapter (noble).",
    }),
    active: Type.Boolean({ default: false, description: "Active scanning (asks for scan responses)." }),
    replayFile: Type.Optional(
      Type.String({ minLength: 1, description: "Capture to play (JSON Lines, docs/replay.md) when source is replay." }),
    ),
    replaySpeed: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1000,
      default: 1,
      description: "Playback speed of a replayed capture; 1 is real time.",
    }),
    watchdogS: Type.Integer({
      minimum: 5,
      maximum: 3600,
      default: 30,
      description: "Restart scanning after this long without adverts.",
    }),
    giveUpS: Type.Integer({
      minimum: 30,
      maximum: 86_400,
      default: 300,
      description:
        "End the gateway (exit code 69, so systemd restarts it) when the radio stays interrupted this long: adapter powered off or blocked, or every restart of the scan failing.",
    }),
  },
  { additionalProperties: false },
);

const SiteSchema = Type.Object(
  {
    rssiOffsetDb: Type.Number({
      minimum: -30,
      maximum: 30,
      default: 0,
      description: "Added to every RSSI this radio reports.",
    }),
    defaultMeasuredPowerDbm: Type.Number({
      minimum: -100,
      maximum: 0,
      default: -59,
      description: "Power at 1 m when a beacon advertises none.",
    }),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  },
  { additionalProperties: false, default: {} },
);

/** Another gateway of the same store, whose sightings may reach this engine (the store LAN, a merged replay). */
const PeerSchema = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN, description: "The peer's gatewayId (the capture's `gw`)." }),
    rssiOffsetDb: Type.Number({
      minimum: -30,
      maximum: 30,
      default: 0,
      description: "Added to every RSSI that gateway reports.",
    }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lan: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z0-9.\\-]{1,253}:[0-9]{1,5}$",
        description:
          "The peer's store-LAN address, host:port (its `lan.port`). With the `lan` section, this gateway and the peer share their sightings, so both pool every gateway's evidence live.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** Live fusion over the store's LAN (docs/architecture.md, "Where the gateways of one store are arbitrated"). */
const LanSchema = Type.Object(
  {
    port: Type.Integer({
      minimum: 1,
      maximum: 65_535,
      default: 47_810,
      description: "UDP port this gateway receives its peers' sightings on.",
    }),
    bindHost: Type.Optional(
      Type.String({ minLength: 1, description: "Address to listen on; default every interface. The store LAN's, ideally." }),
    ),
    keyFile: Type.String({
      minLength: 1,
      description:
        "File holding the store's shared key (at least 32 bytes, e.g. `openssl rand -hex 32`), the same on every gateway of the store; datagrams are authenticated with HMAC-SHA256 under it.",
    }),
    latenessMs: Type.Integer({
      minimum: 200,
      maximum: 10_000,
      default: 1500,
      description:
        "How long sightings are held for the peers' to arrive before the engine reads them in one order, ms; decisions come this much later than a lone gateway's. A peer's sighting older than that is dropped and counted.",
    }),
    batchMs: Type.Integer({
      minimum: 20,
      maximum: 1000,
      default: 250,
      description: "Own sightings are sent to the peers this often, ms (well below latenessMs).",
    }),
  },
  { additionalProperties: false },
);

/** Calibration from evidence: the offset learned from members seen at the till (docs/architecture.md). */
const LearningSchema = Type.Object(
  {
    tillDistanceM: Type.Number({
      minimum: 0.5,
      maximum: 50,
      description:
        "Distance from this gateway to where a shopper stands to pay at the till, metres, measured once at installation. With it, the gateway learns its RSSI offset from the cloud's till labels; without the section, labels are ignored.",
    }),
    minSamples: Type.Integer({ minimum: 3, maximum: 1000, default: 10, description: "Till samples before the learned offset acts." }),
    maxStepDbPerDay: Type.Number({ exclusiveMinimum: 0, maximum: 10, default: 1, description: "Largest move of the learned offset per day, dB." }),
  },
  { additionalProperties: false },
);

const InsideLearningSchema = Type.Object(
  {
    zoneId: Type.String({
      minLength: 1,
      maxLength: 64,
      description:
        "The gateway-radius zone of this gateway that is the store's floor. With it, the gateway learns that zone's edgeLossDb from the cloud's inside labels (a consenting member's phone heard the store beacon); without the section, they are ignored.",
    }),
    minLabels: Type.Integer({ minimum: 3, maximum: 1000, default: 10, description: "Inside labels before the learned edge loss acts." }),
    percentile: Type.Number({
      minimum: 0.5,
      maximum: 0.99,
      default: 0.6,
      description: "Share of the seconds heard of members known inside that the zone should read inside (0.6 met the simulator's targets; higher follows labels made at the door out onto the pavement).",
    }),
    maxStepDbPerDay: Type.Number({ exclusiveMinimum: 0, maximum: 10, default: 2, description: "Largest move of the learned edge loss per day, dB." }),
  },
  { additionalProperties: false },
);

/** The gateway's time (docs/architecture.md, "The store's time"). */
const TimeSchema = Type.Object(
  {
    source: Type.Union([Type.Literal("cloud"), Type.Literal("system")], {
      default: "cloud",
      description:
        "cloud: the gateway measures its clock against the cloud's over its MQTT connection (NTP-style; store networks often block NTP) and stamps and decides on the corrected time; a clock NTP already keeps right is left as it is. system: it trusts the operating system's clock and asks nothing.",
    }),
    pollS: Type.Integer({
      minimum: 16,
      maximum: 1024,
      default: 64,
      description: "Seconds between two requests for the cloud's clock while connected (and a burst of 4 on each connect).",
    }),
  },
  { additionalProperties: false, default: {} },
);

const TrafficLearningSchema = Type.Object(
  {
    quantile: Type.Number({
      exclusiveMinimum: 0,
      maximum: 0.5,
      default: 0.1,
      description:
        "With this section the gateway learns how loud its pavement is from the passers-by its radio hears briefly (tracks of at most 90 s, subjects never labelled nor entered), and keeps its zones' edge loss short of this quantile of their closest approaches (their strong side)...",
    }),
    marginDb: Type.Number({ minimum: 0, maximum: 20, default: 3, description: "...less this margin, dB." }),
    tailZ: Type.Number({
      minimum: 0,
      maximum: 5,
      default: 0,
      description: "When above 0, the tail is extrapolated from the tracks' middle instead (median less this many robust deviations; 2.33: 1 % of a normal spread). Off: on the simulator it did not transfer to fresh shops.",
    }),
    leaveOutEntered: Type.Boolean({
      default: true,
      description: "Leave out subjects the engine entered into a zone (pop-in shoppers are brief too, and pull a low quantile onto the floor; a zone heard too wide then loosens its own bound).",
    }),
    minTracks: Type.Integer({ minimum: 20, maximum: 100_000, default: 100, description: "Short tracks before the bound acts." }),
    memoryDays: Type.Integer({ minimum: 1, maximum: 28, default: 7, description: "Days of tracks the bound reads: the (UTC) days the last this many × 24 h touch (a changed shop front is followed within them and a day)." }),
  },
  { additionalProperties: false },
);

const UplinkSchema = Type.Object(
  {
    batchSize: Type.Integer({ minimum: 1, maximum: 500, default: 200 }),
    maxInflightBatches: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
    ackTimeoutMs: Type.Integer({ minimum: 500, maximum: 600_000, default: 10_000 }),
    outboxMaxRows: Type.Integer({
      minimum: 100,
      default: 1_000_000,
      description: "Oldest events are evicted beyond this.",
    }),
    outboxMaxAgeH: Type.Number({
      exclusiveMinimum: 0,
      default: 168,
      description: "Events older than this are evicted.",
    }),
  },
  { additionalProperties: false, default: {} },
);

export const GatewayConfigSchema = Type.Object(
  {
    storeId: Type.String({ pattern: ID_PATTERN }),
    gatewayId: Type.String({ pattern: ID_PATTERN }),
    dataDir: Type.String({
      default: "./data",
      description: "Directory of the outbox and the last good remote config.",
    }),
    mqtt: MqttSchema,
    scanner: ScannerSchema,
    site: SiteSchema,
    zones: Type.Array(ZoneSchema, { default: [], maxItems: 200 }),
    peers: Type.Array(PeerSchema, {
      default: [],
      maxItems: 50,
      description:
        "The store's other gateways, surveyed. With site.lat/lon set, a gateway-radius zone pools their evidence to decide an enter when their sightings reach the engine: over the store LAN (`lan`, and each peer's `lan` address) or in a replay of a merged capture (docs/benchmarks.md, presence).",
    }),
    lan: Type.Optional(LanSchema),
    learning: Type.Optional(LearningSchema),
    insideLearning: Type.Optional(InsideLearningSchema),
    trafficLearning: Type.Optional(TrafficLearningSchema),
    beacons: BeaconListsSchema,
    presence: Type.Partial(PresenceTuningSchema, {
      default: {},
      description: "Overrides of the presence defaults.",
    }),
    uplink: UplinkSchema,
    time: TimeSchema,
    telemetryIntervalS: Type.Integer({ minimum: 1, maximum: 3600, default: 30 }),
  },
  { additionalProperties: false },
);
export type GatewayConfigInput = Static<typeof GatewayConfigSchema>;
