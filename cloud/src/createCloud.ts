import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { EmbeddedBroker } from "./adapters/broker/EmbeddedBroker.js";
import { createHttpApp } from "./adapters/http/createHttpApp.js";
import { credentialRoutes } from "./adapters/http/routes/credentialRoutes.js";
import { gatewayRoutes } from "./adapters/http/routes/gatewayRoutes.js";
import { httpMetrics, metricsRoutes } from "./adapters/http/routes/metricsRoutes.js";
import { processMetrics } from "./adapters/process/processMetrics.js";
import { SqliteFleetRepository } from "./adapters/sqlite/SqliteFleetRepository.js";
import { healthRoutes } from "./adapters/http/routes/healthRoutes.js";
import { consoleRoutes } from "./adapters/http/console/consoleRoutes.js";
import { liveRoutes } from "./adapters/http/routes/liveRoutes.js";
import { analyticsRoutes } from "./adapters/http/routes/analyticsRoutes.js";
import { decisionRoutes } from "./adapters/http/routes/decisionRoutes.js";
import { offerRoutes } from "./adapters/http/routes/offerRoutes.js";
import { ruleRoutes } from "./adapters/http/routes/ruleRoutes.js";
import { activityRoutes } from "./adapters/http/routes/activityRoutes.js";
import { storeRoutes } from "./adapters/http/routes/storeRoutes.js";
import { userRoutes } from "./adapters/http/routes/userRoutes.js";
import { SqliteActivityRepository } from "./adapters/sqlite/SqliteActivityRepository.js";
import { SqliteDirectoryReads } from "./adapters/sqlite/SqliteDirectoryReads.js";
import { SqliteDirectoryRepository } from "./adapters/sqlite/SqliteDirectoryRepository.js";
import { SqliteErasureRepository } from "./adapters/sqlite/SqliteErasureRepository.js";
import { privacyRoutes } from "./adapters/http/routes/privacyRoutes.js";
import { type ShopperPage, shopperPageRoutes } from "./adapters/http/routes/shopperPageRoutes.js";
import { SqlitePrivacyRepository } from "./adapters/sqlite/SqlitePrivacyRepository.js";
import { EidResolutionService } from "./services/EidResolutionService.js";
import { GeofenceService } from "./services/GeofenceService.js";
import { RetentionService } from "./services/RetentionService.js";
import { migrate } from "./adapters/sqlite/migrations.js";
import { SqliteDatabase } from "./adapters/sqlite/SqliteDatabase.js";
import { SqliteOfferRepository } from "./adapters/sqlite/SqliteOfferRepository.js";
import { SqliteAnalyticsRepository } from "./adapters/sqlite/SqliteAnalyticsRepository.js";
import { SqliteRepository } from "./adapters/sqlite/SqliteRepository.js";
import { SqliteRuleRepository } from "./adapters/sqlite/SqliteRuleRepository.js";
import type { CloudConfig } from "./config/schema.js";
import type { Offer } from "./domain/offers/index.js";
import { cloudMetrics } from "./services/cloudMetrics.js";
import { CredentialService } from "./services/CredentialService.js";
import { FleetService } from "./services/FleetService.js";
import { MetricsRegistry } from "./services/MetricsRegistry.js";
import { IngestService } from "./services/IngestService.js";
import { LiveFeed } from "./services/LiveFeed.js";
import { AnalyticsService } from "./services/AnalyticsService.js";
import { DryRunService } from "./services/DryRunService.js";
import { OfferLifecycleService } from "./services/OfferLifecycleService.js";
import { DecisionStage } from "./services/pipeline/DecisionStage.js";
import { DeliveryStage } from "./services/pipeline/DeliveryStage.js";
import { DirectoryCache } from "./services/pipeline/DirectoryCache.js";
import { EventPipeline } from "./services/pipeline/EventPipeline.js";
import { RuleService } from "./services/RuleService.js";
import { StoreService } from "./services/StoreService.js";
import { UserService } from "./services/UserService.js";
import { createMqttSide } from "./createMqtt.js";
import type { Clock, Logger, MessageBus } from "./services/ports.js";

export interface CloudDependencies {
  readonly log: Logger;
  readonly clock: Clock;
  readonly onOfferIssued?: (offer: Offer) => void;
  /** Demo mode: serve the shopper page at /demo/shopper. */
  readonly shopperPage?: ShopperPage;
}

/** The running cloud, for main, the demo and tests: its parts, and where it listens. */
export interface Cloud {
  readonly repository: SqliteRepository;
  readonly offerRepository: SqliteOfferRepository;
  readonly credentials: CredentialService;
  /** Stored presence → decisions → offers delivered (`idle()` waits for all of it). */
  readonly pipeline: EventPipeline;
  /** The event pipeline under the name tests and scripts knew it by. */
  readonly offers: EventPipeline;
  /** Rules API behaviour and the rule scheduler (`tick()` applies due transitions now). */
  readonly rules: RuleService;
  readonly ruleRepository: SqliteRuleRepository;
  /** Offer expiry, reminders and redelivery (`sweep()` runs one pass now). */
  readonly offerLifecycle: OfferLifecycleService;
  readonly ingest: IngestService;
  /** Gateway health and config pushes (`sweep()` writes last-seen times and prunes telemetry now). */
  readonly fleet: FleetService;
  /** What GET /metrics renders. */
  readonly metrics: MetricsRegistry;
  /** Eddystone-EID keys and the resolution table (`refresh()` moves it to the clock's now). */
  readonly eid: EidResolutionService;
  readonly geofence: GeofenceService;
  /** Deletes raw presence data past `privacy.retentionDays` (`sweep()` runs it now). */
  readonly retention: RetentionService;
  readonly privacyRepository: SqlitePrivacyRepository;
  /** The cloud's side of MQTT: the embedded broker in-process, or a client of the external one. */
  readonly broker: MessageBus;
  /** The embedded broker, or null in external mode (then no broker runs in this process). */
  readonly embeddedBroker: EmbeddedBroker | null;
  readonly http: FastifyInstance;
  /** Ports actually bound (useful when the config asked for port 0); MQTT is 0 in external mode. */
  readonly mqttPort: () => number;
  /** Every embedded listener's bound port (0 when off or in external mode). */
  readonly mqttPorts: () => { tcp: number; tls: number; websocket: number };
  readonly httpPort: () => number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Composes the cloud from its config: SQLite storage, the embedded broker, ingest, the rules engine
 * and the HTTP API. Nothing listens until `start`; `stop` shuts down in reverse order and drains.
 */
export async function createCloud(config: Readonly<CloudConfig>, deps: CloudDependencies): Promise<Cloud> {
  const { log, clock } = deps;
  await mkdir(config.dataDir, { recursive: true });
  const db = await SqliteDatabase.open(join(config.dataDir, "cloud.db"));
  await migrate(db, clock.now());
  const repository = new SqliteRepository(db);
  const offerRepository = new SqliteOfferRepository(db);

  const mqtt = createMqttSide(config.mqtt, {
    log,
    clock,
    // Called only once the broker runs, after `credentials` exists.
    authenticate: (username, password) => credentials.verifyMqtt(username, password),
    revokedSince: (since) => credentials.revokedMqttSince(since),
  });
  const credentials = new CredentialService({
    credentials: repository,
    audit: repository,
    clock,
    log: log.child({ component: "credentials" }),
    provisioner: mqtt.provisioner,
  });
  const broker = mqtt.bus;
  // What the console's live view shows: presence, arrivals and offers as they happen, in memory.
  const live = new LiveFeed({
    clock,
    log: log.child({ component: "live" }),
    orgOfStore: async (storeId) => (await repository.getStore(storeId))?.orgId ?? null,
  });
  // The event pipeline: what sources (gateway batches, phones' geofence reports) committed is
  // decided in groups, then delivered. Stages front to back.
  const delivery = new DeliveryStage({
    bus: broker,
    offers: offerRepository,
    clock,
    log: log.child({ component: "delivery" }),
  });
  const directoryReads = new SqliteDirectoryReads(db);
  const decisions = new DecisionStage({
    offers: offerRepository,
    rules: offerRepository,
    events: repository,
    directory: new DirectoryCache({ directory: repository, users: repository, changes: directoryReads, usersByIds: directoryReads }),
    organisations: async () => (await repository.listOrganisations()).map((o) => o.id),
    published: delivery,
    clock,
    randomBytes: (size) => randomBytes(size),
    log: log.child({ component: "decisions" }),
    maxEventAgeMs: config.offers.maxEventAgeS * 1000,
    output: (issued) => {
      // The demo and the console watch offers as they are issued, before delivery.
      for (const { offer, shopper } of issued) {
        live.offerIssued(offer, shopper);
        deps.onOfferIssued?.(offer);
      }
      delivery.accept(issued.map((i) => i.offer));
    },
  });
  const pipeline = new EventPipeline({
    decisions,
    delivery,
    stages: [decisions, delivery],
    watch: (events) => live.eventsStored(events),
  });
  const directoryRepository = new SqliteDirectoryRepository(db);
  const fleet = new FleetService({
    bus: broker,
    fleet: new SqliteFleetRepository(db),
    zones: { listZones: (storeId) => repository.listZones(storeId), replaceZones: (storeId, zones) => directoryRepository.replaceZones(storeId, zones) },
    audit: repository,
    clock,
    log: log.child({ component: "fleet" }),
    staleAfterMs: config.fleet.staleAfterS * 1000,
    offlineAlertMs: config.fleet.offlineAlertS * 1000,
    telemetryRetentionMs: config.fleet.telemetryRetentionH * 3_600_000,
    telemetryMinSpacingMs: config.fleet.telemetryMinSpacingS * 1000,
  });
  const ingest = new IngestService({
    bus: broker,
    events: repository,
    clock,
    log: log.child({ component: "ingest" }),
    commitDelayMs: config.ingest.commitDelayMs,
    onStored: (events) => pipeline.submit(events),
    onHeard: (storeId, gatewayId) => fleet.noteHeard(storeId, gatewayId),
  });
  const privacyRepository = new SqlitePrivacyRepository(db);
  const eid = new EidResolutionService({
    keys: privacyRepository,
    clock,
    log: log.child({ component: "eid" }),
    rotationExponent: config.privacy.eidRotationExponent,
    refreshIntervalMs: config.privacy.eidRefreshS * 1000,
  });
  const geofence = new GeofenceService({
    locations: privacyRepository,
    directory: repository,
    clock,
    log: log.child({ component: "geofence" }),
    onStored: (events) => pipeline.submit(events),
    bus: broker,
    users: repository,
  });
  const retention = new RetentionService({
    retention: privacyRepository,
    clock,
    log: log.child({ component: "retention" }),
    retentionDays: config.privacy.retentionDays,
    intervalMs: config.privacy.retentionSweepS * 1000,
  });
  const ruleRepository = new SqliteRuleRepository(db);
  const analyticsRepository = new SqliteAnalyticsRepository(db);
  const rules = new RuleService({
    rules: ruleRepository,
    directory: repository,
    clock,
    log: log.child({ component: "rules" }),
    onRulesChanged: (orgId) => pipeline.reloadRules(orgId),
  });
  const offerLifecycle = new OfferLifecycleService({
    bus: broker,
    offers: offerRepository,
    clock,
    log: log.child({ component: "offer-lifecycle" }),
    reminderLeadS: config.offers.reminderLeadS,
    intervalMs: config.offers.sweepIntervalS * 1000,
  });
  const http = await createHttpApp({
    credentials,
    log: log.child({ component: "http" }),
    rateLimitPerMinute: config.http.rateLimitPerMinute,
  });
  const metrics = new MetricsRegistry();
  processMetrics(metrics);
  const { redemptions } = cloudMetrics(metrics, { ingest, offers: pipeline, fleet });
  // Before the routes, so it counts every one of them.
  httpMetrics(http, metrics);
  healthRoutes(http, {
    // Not ready while an external broker is unreachable: events and offers cannot flow.
    ready: async () => mqtt.ready() && (await db.get("SELECT 1 AS ok")) !== undefined,
  });
  offerRoutes(http, {
    offers: offerRepository,
    users: repository,
    stores: repository,
    clock,
    onRedeem: (outcome) => redemptions.inc({ outcome }),
    onRedeemed: (offer, at) => live.offerRedeemed(offer, at),
  });
  decisionRoutes(http, { decisions: offerRepository, users: repository, rules: ruleRepository });
  ruleRoutes(http, {
    rules,
    dryRun: new DryRunService({
      replay: analyticsRepository,
      directory: repository,
      stores: (orgId) => analyticsRepository.storesOf(orgId),
    }),
  });
  analyticsRoutes(http, {
    analytics: new AnalyticsService({ analytics: analyticsRepository, rules: ruleRepository }),
    directory: repository,
  });
  credentialRoutes(http, { credentials, directory: repository, users: repository });
  gatewayRoutes(http, { fleet, directory: repository, audit: repository, now: () => clock.now() });
  metricsRoutes(http, { registry: metrics });
  const storeService = new StoreService({
    stores: directoryRepository,
    directory: repository,
    audit: repository,
    clock,
    zonesChanged: (storeId, actor) => fleet.publishStoreZones(storeId, actor),
  });
  storeRoutes(http, { stores: storeService });
  userRoutes(http, {
    users: new UserService({
      users: repository,
      devices: directoryRepository,
      privacy: new SqliteErasureRepository(db),
      credentials,
      audit: repository,
      clock,
      log: log.child({ component: "users" }),
      randomToken: () => randomBytes(12).toString("base64url"),
      onErased: (userId) => live.forgetUser(userId),
      onAnalyticsWithdrawn: (userId) => live.unlinkUser(userId),
      onAnalyticsGiven: (userId) => live.relinkUser(userId),
    }),
  });
  activityRoutes(http, { activity: new SqliteActivityRepository(db), stores: storeService });
  privacyRoutes(http, {
    eid,
    geofence,
    audit: repository,
    clock,
    visits: privacyRepository,
    stores: repository,
  });
  if (deps.shopperPage) shopperPageRoutes(http, deps.shopperPage);
  liveRoutes(http, { live, credentials });
  consoleRoutes(http);

  let started = false;
  async function stop(): Promise<void> {
    if (!started) {
      await db.close();
      return;
    }
    started = false;
    // Inputs first, then what they feed, so in-flight work drains into a database still open.
    await http.close();
    // No new batches or location reports; those being stored finish and reach the rules engine.
    await Promise.all([ingest.stop(), geofence.stop()]);
    await pipeline.stop();
    // After ingest (no later noteHeard is lost) and before the broker: the last wills it publishes
    // while closing say the cloud went away, and a stopped FleetService ignores them.
    await fleet.stop();
    await Promise.all([retention.stop(), eid.stop(), offerLifecycle.stop(), rules.stop()]);
    await mqtt.stop();
    await db.close();
  }

  const httpPort = (): number => {
    const address = http.server.address();
    return typeof address === "object" && address ? address.port : config.http.port;
  };
  return {
    repository,
    offerRepository,
    credentials,
    pipeline,
    offers: pipeline,
    rules,
    ruleRepository,
    offerLifecycle,
    ingest,
    fleet,
    metrics,
    eid,
    geofence,
    retention,
    privacyRepository,
    broker,
    embeddedBroker: mqtt.embedded,
    http,
    mqttPort: () => mqtt.embedded?.port ?? 0,
    mqttPorts: () => mqtt.embedded?.ports ?? { tcp: 0, tls: 0, websocket: 0 },
    httpPort,
    async start() {
      if (started) return;
      started = true;
      try {
        await mqtt.start();
        // First: the embedded broker hands no retained status to an in-process subscriber, so a
        // status published before this subscribes would be missed; and the desired configs go
        // back on their retained topics (lost with the broker's memory) before gateways return.
        await fleet.start();
        await pipeline.start();
        await rules.start();
        offerLifecycle.start();
        await eid.refresh();
        eid.start();
        await geofence.start();
        retention.start();
        await ingest.start();
        await http.listen({ host: config.http.host, port: config.http.port });
      } catch (err) {
        // A half-started cloud (broker up, HTTP port taken) would ingest with no API and look
        // healthy to a supervisor: stop what started, so the process can exit with the error.
        await stop().catch(() => undefined);
        throw err;
      }
      log.info({ host: config.http.host, port: httpPort() }, "http api listening");
    },
    stop,
  };
}
