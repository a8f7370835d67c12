import Type, { type Static } from "typebox";
import { StringEnum } from "../../../protocol/index.js";

/** A listener address of the embedded broker. */
const listenPort = (port: number) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: port, description: "0 picks a free port." });

/** The embedded broker: aedes in this process, authenticating against the cloud's own credentials. */
export const EmbeddedMqttSchema = Type.Object(
  {
    mode: Type.Literal("embedded"),
    host: Type.String({ default: "127.0.0.1" }),
    port: listenPort(1883),
    maxPayloadBytes: Type.Integer({ minimum: 1024, maximum: 16 * 1024 * 1024, default: 256 * 1024 }),
    tls: Type.Optional(
      Type.Object(
        {
          host: Type.String({ default: "127.0.0.1" }),
          port: listenPort(8883),
          certFile: Type.String({ minLength: 1, description: "PEM certificate (chain) of the broker." }),
          keyFile: Type.String({ minLength: 1, description: "PEM private key of the certificate." }),
          caFile: Type.Optional(Type.String({ minLength: 1, description: "PEM CA bundle to present." })),
        },
        { additionalProperties: false, description: "MQTT over TLS (mqtts://); absent: off." },
      ),
    ),
    websocket: Type.Optional(
      Type.Object(
        {
          host: Type.String({ default: "127.0.0.1" }),
          port: listenPort(8083),
          path: Type.String({ pattern: "^/", default: "/mqtt" }),
        },
        { additionalProperties: false, description: "MQTT over WebSocket for apps and browsers; absent: off." },
      ),
    ),
    maxInflightMessages: Type.Integer({
      minimum: 1,
      default: 100,
      description: "Messages the broker delivers at once across all clients (aedes concurrency).",
    }),
    maxQueuedPerClient: Type.Integer({
      minimum: 1,
      default: 42,
      description: "Messages held for a client whose CONNECT is still being authenticated.",
    }),
    connectionsPerSecondPerIp: Type.Number({
      minimum: 0,
      default: 20,
      description: "Sustained connection attempts per source address, per second; 0: unlimited.",
    }),
    connectionBurstPerIp: Type.Integer({
      minimum: 1,
      default: 100,
      description: "Connection attempts a source address may make at once (a store's NAT, a restart).",
    }),
  },
  { additionalProperties: false },
);

/**
 * An external broker (mosquitto, EMQX): the cloud connects as a client with its service account,
 * and the broker enforces access control.
 */
export const ExternalMqttSchema = Type.Object(
  {
    mode: Type.Literal("external"),
    url: Type.String({
      pattern: "^(mqtt|mqtts|ws|wss)://",
      description: "mqtt://host:1883, mqtts://host:8883, ws://… or wss://…",
    }),
    username: Type.String({ minLength: 1, description: "The cloud's service account at the broker." }),
    password: Type.Optional(Type.String({ minLength: 1 })),
    passwordFile: Type.Optional(
      Type.String({ minLength: 1, description: "File holding the password; read at each connection." }),
    ),
    caFile: Type.Optional(Type.String({ minLength: 1, description: "PEM CA bundle of an mqtts:// broker." })),
    clientId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: "Stable client id; default: <username>.<worker id> (each worker its own).",
      }),
    ),
    shareGroup: Type.String({
      pattern: "^[A-Za-z0-9_.-]{1,64}$",
      default: "arrival-cloud",
      description:
        "MQTT 5 shared subscription group of the cloud's workers: gateway events and phones' location reports are subscribed as $share/<group>/…, so each goes to one worker.",
    }),
    keepaliveS: Type.Integer({ minimum: 5, maximum: 65535, default: 30 }),
    sessionExpiryS: Type.Integer({
      minimum: 0,
      default: 3600,
      description: "How long the broker keeps the cloud's session (and queues events) while it is away.",
    }),
    provisioning: StringEnum(["mosquitto-dynsec", "none"] as const, {
      default: "mosquitto-dynsec",
      description:
        "mosquitto-dynsec: the cloud creates and revokes gateway and app accounts on mosquitto's dynamic security plugin; none: accounts are managed at the broker.",
    }),
    dynsec: Type.Optional(
      Type.Object(
        {
          username: Type.String({ minLength: 1 }),
          password: Type.Optional(Type.String({ minLength: 1 })),
          passwordFile: Type.Optional(Type.String({ minLength: 1 })),
        },
        {
          additionalProperties: false,
          description:
            "The dynsec admin account (from mosquitto_ctrl dynsec init); required with provisioning mosquitto-dynsec.",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Storage in one SQLite file: one cloud process (the default). */
export const SqliteStorageSchema = Type.Object(
  {
    kind: Type.Literal("sqlite"),
    path: Type.Optional(
      Type.String({ minLength: 1, description: "The database file; default <dataDir>/cloud.db." }),
    ),
  },
  { additionalProperties: false },
);

/** Storage in PostgreSQL: any number of cloud processes share one database (docs/scale.md). */
export const PostgresStorageSchema = Type.Object(
  {
    kind: Type.Literal("postgres"),
    url: Type.String({
      minLength: 1,
      description:
        "postgres://user@host:5432/database. Keep the password out of it: passwordFile, password or " +
        "ARRIVAL_PG_PASSWORD.",
    }),
    password: Type.Optional(Type.String({ minLength: 1, description: "Set by ARRIVAL_PG_PASSWORD." })),
    passwordFile: Type.Optional(
      Type.String({ minLength: 1, description: "File holding the password (trailing newline ignored)." }),
    ),
    ssl: Type.Optional(
      Type.Union(
        [
          Type.Boolean(),
          Type.Object(
            {
              caFile: Type.Optional(
                Type.String({ minLength: 1, description: "PEM CA bundle the server's certificate must chain to." }),
              ),
              rejectUnauthorized: Type.Optional(
                Type.Boolean({ description: "Refuse a certificate that does not verify; default true." }),
              ),
            },
            { additionalProperties: false },
          ),
        ],
        {
          description:
            "TLS to the server: false, true (system CAs), or options; replaces the URL's sslmode. " +
            "Default: the URL decides.",
        },
      ),
    ),
    maxConnections: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: "Connections of this process's pool; default 10." }),
    ),
  },
  { additionalProperties: false },
);

/** The cloud's configuration: file, environment and flags merge into this, validated at start-up. */
export const CloudConfigSchema = Type.Object(
  {
    dataDir: Type.String({ default: "./data", description: "Directory of the SQLite database." }),
    storage: Type.Union([SqliteStorageSchema, PostgresStorageSchema], {
      default: { kind: "sqlite" },
      description: "sqlite: one file under dataDir (default); postgres: a database shared by several cloud processes.",
    }),
    http: Type.Object(
      {
        host: Type.String({ default: "127.0.0.1" }),
        port: Type.Integer({
          minimum: 0,
          maximum: 65535,
          default: 8080,
          description: "0 picks a free port.",
        }),
        rateLimitPerMinute: Type.Integer({ minimum: 1, default: 1200 }),
      },
      { additionalProperties: false, default: {} },
    ),
    mqtt: Type.Union([EmbeddedMqttSchema, ExternalMqttSchema], {
      default: { mode: "embedded" },
      description: "embedded: aedes inside this process (default); external: an existing broker.",
    }),
    ingest: Type.Object(
      {
        commitDelayMs: Type.Integer({
          minimum: 0,
          maximum: 1000,
          default: 0,
          description:
            "How long an event batch that finds ingest idle waits before it is committed, so batches arriving " +
            "meanwhile share one commit (one fsync), milliseconds. Raises throughput on slow disks at the cost " +
            "of ack and offer latency; 0 commits at once.",
        }),
        maxEventAgeH: Type.Integer({
          minimum: 1,
          maximum: 24 * 365,
          default: 192,
          description:
            "Events dated further back than this are refused (reason too-old) and acknowledged, hours. Keep " +
            "it above the gateways' outboxMaxAgeH (default 168): nothing older can be an honest late delivery.",
        }),
        maxClockSkewS: Type.Integer({
          minimum: 1,
          maximum: 86_400,
          default: 300,
          description:
            "Events dated further ahead of the cloud's clock than this are refused (reason in-future) and " +
            "acknowledged, seconds; covers a gateway that booted before its first NTP sync.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    offers: Type.Object(
      {
        maxEventAgeS: Type.Integer({
          minimum: 1,
          default: 600,
          description: "Older events trigger no offer.",
        }),
        reminderLeadS: Type.Integer({
          minimum: 0,
          default: 300,
          description:
            "Seconds before an offer expires that its reminder is sent (once, same channel, kind " +
            "reminder); 0 turns reminders off. Offers valid for no longer than this get none.",
        }),
        sweepIntervalS: Type.Integer({
          minimum: 1,
          maximum: 3600,
          default: 15,
          description: "How often offers are expired, reminded and redelivered, seconds.",
        }),
        voidWindowS: Type.Integer({
          minimum: 0,
          maximum: 7 * 86_400,
          default: 900,
          description: "How long after a redemption the store that made it may void it, seconds; 0 turns voids off.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    fleet: Type.Object(
      {
        staleAfterS: Type.Integer({
          minimum: 5,
          maximum: 86_400,
          default: 120,
          description:
            "A gateway not heard from (status, telemetry or events) for longer than this is shown offline " +
            "even without its last will, seconds. Keep it above the gateways' telemetryIntervalS (default 30).",
        }),
        offlineAlertS: Type.Integer({
          minimum: 0,
          maximum: 30 * 86_400,
          default: 600,
          description:
            "A gateway offline for longer than this is flagged offlineTooLong (API) and counted in " +
            "arrival_gateways_offline_too_long (metrics), seconds.",
        }),
        telemetryRetentionH: Type.Integer({
          minimum: 1,
          maximum: 24 * 90,
          default: 48,
          description: "Telemetry history (the console's sparklines) older than this is deleted, hours.",
        }),
        telemetryMinSpacingS: Type.Integer({
          minimum: 0,
          maximum: 3600,
          default: 10,
          description:
            "At most one history sample per gateway per this many seconds (the latest sample is always " +
            "kept), so a gateway publishing too often cannot grow the history.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    privacy: Type.Object(
      {
        retentionDays: Type.Integer({
          minimum: 1,
          maximum: 3650,
          default: 30,
          description:
            "Raw presence events, visits and phone location fixes older than this many days are deleted; " +
            "visits are kept only as daily counts per store and zone.",
        }),
        retentionSweepS: Type.Integer({
          minimum: 1,
          maximum: 86_400,
          default: 3600,
          description: "How often the retention job runs, seconds.",
        }),
        eidRotationExponent: Type.Integer({
          minimum: 0,
          maximum: 15,
          default: 10,
          description:
            "Eddystone-EID rotation period exponent K given to newly registered installs: the id changes every 2^K s (10: about 17 min).",
        }),
        eidRefreshS: Type.Integer({
          minimum: 1,
          maximum: 3600,
          default: 60,
          description: "How often the EID resolution table is brought up to date, seconds.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    worker: Type.Object(
      {
        id: Type.Optional(
          Type.String({
            pattern: "^[A-Za-z0-9_.-]{1,64}$",
            description:
              "This worker's id, unique among the cloud's workers: its MQTT client id suffix and its metrics label. Default: generated at each start (hostname and random), so set it to keep the broker session across restarts.",
          }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    push: Type.Object(
      {
        frequencyCapMinutes: Type.Integer({
          minimum: 0,
          maximum: 7 * 24 * 60,
          default: 30,
          description:
            "At most one offer notified per member per this many minutes, across push and MQTT, unless the " +
            "organisation's push policy says otherwise; 0 turns the cap off.",
        }),
        maxAttempts: Type.Integer({
          minimum: 1,
          maximum: 50,
          default: 8,
          description: "Attempts at one push notification before it is dead-lettered.",
        }),
        retryBaseS: Type.Integer({
          minimum: 1,
          maximum: 3600,
          default: 5,
          description: "Wait after the first failed attempt, seconds; doubled after each further one.",
        }),
        retryMaxS: Type.Integer({
          minimum: 1,
          maximum: 86_400,
          default: 900,
          description: "Longest wait between attempts, seconds.",
        }),
        pollIntervalMs: Type.Integer({
          minimum: 50,
          maximum: 60_000,
          default: 1000,
          description: "How often the outbox looks for notifications due (new ones are sent at once), ms.",
        }),
        allowPrivateEndpoints: Type.Boolean({
          default: false,
          description:
            "Accept Web Push endpoints over plain http or on loopback and private addresses (a local push " +
            "service in development and tests). Off, an app cannot make the cloud call into its own network.",
        }),
        webPush: Type.Optional(
          Type.Object(
            {
              subject: Type.String({
                pattern: "^(mailto:|https://)",
                description: "VAPID `sub` claim (RFC 8292 §2.1): a mailto: or https: contact for the push service.",
              }),
              vapidKeyFile: Type.String({
                minLength: 1,
                description: "PEM (PKCS#8) P-256 private key of the application server; the public key is derived.",
              }),
              encryptionThreads: Type.Optional(
                Type.Integer({
                  minimum: 0,
                  maximum: 16,
                  description:
                    "Threads that encrypt messages (RFC 8291), started on the first one; 0 encrypts on the event loop. Default: one fewer than the cores, 1 to 4.",
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        apns: Type.Optional(
          Type.Object(
            {
              teamId: Type.String({ pattern: "^[A-Z0-9]{10}$", description: "Apple developer team id (the token's iss)." }),
              keyId: Type.String({ pattern: "^[A-Z0-9]{10}$", description: "Id of the .p8 signing key (the token's kid)." }),
              keyFile: Type.String({ minLength: 1, description: "The .p8 signing key (PEM, P-256)." }),
              topic: Type.String({ minLength: 1, description: "The app's bundle id (apns-topic)." }),
              productionUrl: Type.String({ default: "https://api.push.apple.com", description: "APNs host for production tokens." }),
              developmentUrl: Type.String({
                default: "https://api.sandbox.push.apple.com",
                description: "APNs host for development (sandbox) tokens.",
              }),
            },
            { additionalProperties: false },
          ),
        ),
        fcm: Type.Optional(
          Type.Object(
            {
              serviceAccountFile: Type.String({
                minLength: 1,
                description: "Firebase service account JSON (project_id, client_email, private_key, token_uri).",
              }),
              url: Type.String({ default: "https://fcm.googleapis.com", description: "FCM HTTP v1 host." }),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    webhooks: Type.Object(
      {
        maxAttempts: Type.Integer({
          minimum: 1,
          maximum: 50,
          default: 10,
          description: "Attempts at one webhook message before it is dead-lettered (docs/webhooks.md).",
        }),
        retryBaseS: Type.Integer({
          minimum: 1,
          maximum: 3600,
          default: 10,
          description: "Wait after the first failed attempt, seconds; doubled after each further one.",
        }),
        retryMaxS: Type.Integer({
          minimum: 1,
          maximum: 86_400,
          default: 3600,
          description: "Longest wait between attempts, seconds.",
        }),
        pollIntervalMs: Type.Integer({
          minimum: 50,
          maximum: 60_000,
          default: 1000,
          description: "How often the outbox looks for messages due (new ones are sent at once), ms.",
        }),
        timeoutMs: Type.Integer({
          minimum: 100,
          // Half the 60 s a PostgreSQL worker leases a message for: an attempt always ends inside
          // its lease, so no other worker sends the same message meanwhile.
          maximum: 30_000,
          default: 10_000,
          description: "One attempt (connect, send, answer) longer than this fails, ms (at most 30 000).",
        }),
        maxResponseBytes: Type.Integer({
          minimum: 0,
          maximum: 1_048_576,
          default: 65_536,
          description: "Most of a receiver's answer read, bytes; the rest is dropped (only its status matters).",
        }),
        perEndpointConcurrency: Type.Integer({
          minimum: 1,
          maximum: 64,
          default: 4,
          description: "Attempts in flight to one endpoint at most, so a slow endpoint cannot hold up the others.",
        }),
        maxInFlight: Type.Integer({
          minimum: 1,
          maximum: 1024,
          default: 64,
          description: "Attempts in flight in all at most, per cloud worker.",
        }),
        maxEndpointsPerOrganisation: Type.Integer({
          minimum: 1,
          maximum: 1000,
          default: 20,
          description: "Webhook endpoints an organisation may have.",
        }),
        allowPrivateNetworks: Type.Boolean({
          default: false,
          description:
            "Send webhooks to loopback and private addresses and over plain http (receivers on the operator's own " +
            "network, development and tests). Off, an organisation cannot make the cloud call into its own network.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    storeBeacon: Type.Object(
      {
        secretFile: Type.Optional(
          Type.String({
            minLength: 1,
            description:
              "File holding the store beacon secret (at least 32 random bytes, e.g. `head -c 32 /dev/urandom | base64`), the same for every worker. " +
              "Each organisation's proximity UUID and each store's identity key are derived from it. Absent: the gateways advertise no store beacon.",
          }),
        ),
        format: StringEnum(["ibeacon", "eddystone-eid"] as const, {
          default: "ibeacon",
          description: "What the gateways advertise: an iBeacon (what iOS region monitoring wakes an app for) or an Eddystone-EID frame.",
        }),
        rotationExponent: Type.Integer({
          minimum: 6,
          maximum: 15,
          default: 9,
          description: "The beacon's value changes every 2^K seconds (default 512 s); a value proves presence only within its slot.",
        }),
        measuredPowerDbm: Type.Integer({ minimum: -127, maximum: 20, default: -59, description: "iBeacon measured power (RSSI at 1 m), dBm." }),
        keyEpoch: Type.Integer({
          minimum: 1,
          maximum: 1_000_000,
          default: 1,
          description: "Raise it to give every store a new identity key (the gateways get it with their next config).",
        }),
        maxReportAgeS: Type.Integer({
          minimum: 5,
          maximum: 3600,
          default: 120,
          description: "A phone's sighting report whose time is further than this from the cloud's is refused.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      {
        level: StringEnum(["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const, {
          default: "info",
        }),
        format: StringEnum(["auto", "json", "pretty"] as const, { default: "auto" }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type CloudConfig = Static<typeof CloudConfigSchema>;
