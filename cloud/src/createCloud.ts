import { createHmac, randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { EmbeddedBroker } from "./adapters/broker/EmbeddedBroker.js";
import { createHttpApp } from "./adapters/http/createHttpApp.js";
import { credentialRoutes } from "./adapters/http/routes/credentialRoutes.js";
import { gatewayRoutes } from "./adapters/http/routes/gatewayRoutes.js";
import { operatorRoutes } from "./adapters/http/routes/operatorRoutes.js";
import { rolloutRoutes } from "./adapters/http/routes/rolloutRoutes.js";
import { releaseRoutes } from "./adapters/http/routes/releaseRoutes.js";
import { FileReleaseStore } from "./adapters/releases/FileReleaseStore.js";
import { httpMetrics, metricsRoutes } from "./adapters/http/routes/metricsRoutes.js";
import { PromMetrics } from "./adapters/metrics/PromMetrics.js";
import { healthRoutes } from "./adapters/http/routes/healthRoutes.js";
import { consoleRoutes } from "./adapters/http/console/consoleRoutes.js";
import { liveRoutes } from "./adapters/http/routes/liveRoutes.js";
import { analyticsRoutes } from "./adapters/http/routes/analyticsRoutes.js";
import { decisionRoutes } from "./adapters/http/routes/decisionRoutes.js";
import { offerRoutes } from "./adapters/http/routes/offerRoutes.js";
import { couponRoutes } from "./adapters/http/routes/couponRoutes.js";
import { pickupRoutes } from "./adapters/http/routes/pickupRoutes.js";
import { ruleRoutes } from "./adapters/http/routes/ruleRoutes.js";
import { activityRoutes } from "./adapters/http/routes/activityRoutes.js";
import { storeRoutes } from "./adapters/http/routes/storeRoutes.js";
import { userRoutes } from "./adapters/http/routes/userRoutes.js";
import { membershipRoutes } from "./adapters/http/routes/membershipRoutes.js";
import { storeBeaconRoutes } from "./adapters/http/routes/storeBeaconRoutes.js";
import { privacyRoutes } from "./adapters/http/routes/privacyRoutes.js";
import { pushRoutes } from "./adapters/http/routes/pushRoutes.js";
import { webhookRoutes } from "./adapters/http/routes/webhookRoutes.js";
import { HttpWebhookSender } from "./adapters/webhooks/HttpWebhookSender.js";
import { createPushSenders } from "./adapters/push/createPushSenders.js";
import { DeliveryReceipts } from "./services/push/DeliveryReceipts.js";
import { PushDispatcher, pushMetrics } from "./services/push/PushDispatcher.js";
import { PushService } from "./services/push/PushService.js";
import { observedLedger } from "./services/webhooks/observedLedger.js";
import { WebhookDispatcher, webhookMetrics } from "./services/webhooks/WebhookDispatcher.js";
import { WebhookEvents } from "./services/webhooks/WebhookEvents.js";
import { WebhookService } from "./services/webhooks/WebhookService.js";
import { type ShopperPage, shopperPageRoutes } from "./adapters/http/routes/shopperPageRoutes.js";
import { EidResolutionService } from "./services/EidResolutionService.js";
import { GatewayService } from "./services/GatewayService.js";
import { GeofenceService } from "./services/GeofenceService.js";
import { RetentionService } from "./services/RetentionService.js";
import type { CloudConfig } from "./config/schema.js";
import type { Offer } from "./domain/offers/index.js";
import { cloudMetrics, pipelineLatency } from "./services/cloudMetrics.js";
import { CredentialAdminService } from "./services/CredentialAdminService.js";
import { CredentialService } from "./services/CredentialService.js";
import { OrganisationService } from "./services/OrganisationService.js";
import { RolloutService } from "./services/RolloutService.js";
import { FleetService } from "./services/FleetService.js";
import { IngestService } from "./services/IngestService.js";
import { LiveFeed } from "./services/LiveFeed.js";
import { LiveRelay } from "./services/LiveRelay.js";
import { ReachService } from "./services/ReachService.js";
import { StoreBeaconService } from "./services/StoreBeaconService.js";
import { AnalyticsService } from "./services/AnalyticsService.js";
import { DecisionLogService } from "./services/DecisionLogService.js";
import { DryRunService } from "./services/DryRunService.js";
import { OfferLifecycleService } from "./services/OfferLifecycleService.js";
import { RedemptionGuard } from "./services/RedemptionGuard.js";
import { PlaceLabelService } from "./services/PlaceLabelService.js";
import { TimeService } from "./services/TimeService.js";
import { RedemptionService } from "./services/RedemptionService.js";
import { CouponService } from "./services/CouponService.js";
import { PickupService } from "./services/PickupService.js";
import { DecisionStage } from "./services/pipeline/DecisionStage.js";
import { DeliveryStage } from "./services/pipeline/DeliveryStage.js";
import { DirectoryCache } from "./services/pipeline/DirectoryCache.js";
import { EventPipeline } from "./services/pipeline/EventPipeline.js";
import { RuleService } from "./services/RuleService.js";
import { ShopperOfferService } from "./services/ShopperOfferService.js";
import { StoreActivityService } from "./services/StoreActivityService.js";
import { StoreService } from "./services/StoreService.js";
import { UserService } from "./services/UserService.js";
import { MembershipService } from "./services/MembershipService.js";
import { MemberImportService } from "./services/MemberImportService.js";
import { createMqttSide } from "./createMqtt.js";
import { type CloudRepositories, openStorage } from "./openStorage.js";
import type { Metrics, MetricsExposition } from "./services/Metrics.js";
import type { WrittenEntry } from "./services/repositories.js";
import { type Clock, type Logger, type MessageBus, type Scheduler, systemScheduler } from "./services/ports.js";
import { type Coordination, leaderOnlyScheduler } from "./services/Coordination.js";
import { WorkerSync } from "./services/WorkerSync.js";

export interface CloudDependencies {
  readonly log: Logger;
  readonly clock: Clock;
  /** Timers of every periodic service (sweeps, schedulers, the commit delay); default the process's own. */
  readonly scheduler?: Scheduler;
  readonly onOfferIssued?: (offer: Offer) => void;
  /** Demo mode: serve the shopper page at /demo/shopper. */
  readonly shopperPage?: ShopperPage;
  /**
   * Coordination of this worker with the others sharing its storage (leadership for periodic jobs,
   * change notices), made for this worker's id. Default: a single process, always leader
   * (`LocalCoordination`); with PostgreSQL storage, `PostgresCoordination` on the same database.
   */
  readonly coordination?: (workerId: string) => Coordination;
}

/** The running cloud, for main, the demo and tests: its parts, and where it listens. */
export interface Cloud {
  /** This worker's id (`worker.id`, or generated): its MQTT client id suffix and metrics label. */
  readonly workerId: string;
  /** Leadership among the workers and their change notices (one process: always the leader). */
  readonly coordination: Pick<Coordination, "isLeader">;
  /** Storage, one repository per aggregate (and the backend's connection, for tests and tools). */
  readonly repositories: CloudRepositories;
  readonly credentials: CredentialService;
  /** Stored presence → decisions → offers delivered (`idle()` waits for all of it). */
  readonly pipeline: EventPipeline;
  /** The event pipeline under the name tests and scripts knew it by. */
  readonly offers: EventPipeline;
  /** Rules API behaviour and the rule scheduler (`tick()` applies due transitions now). */
  readonly rules: RuleService;
  /** Offer expiry, reminders and redelivery (`sweep()` runs one pass now). */
  readonly offerLifecycle: OfferLifecycleService;
  readonly ingest: IngestService;
  /** Answers the gateways' clock requests (the store's time reference). */
  readonly time: TimeService;
  /** Gateway health and config pushes (`sweep()` writes last-seen times and prunes telemetry now). */
  readonly fleet: FleetService;
  /** Software rollouts per store (`sweep()` advances every rollout now, on the leader). */
  readonly rollouts: RolloutService;
  /** What GET /metrics renders (the cloud's own registry and the process's metrics). */
  readonly metrics: Metrics & MetricsExposition;
  /** Eddystone-EID keys and the resolution table (`refresh()` moves it to the clock's now). */
  readonly eid: EidResolutionService;
  readonly geofence: GeofenceService;
  /** Deletes raw presence data past `privacy.retentionDays` (`sweep()` runs it now). */
  readonly retention: RetentionService;
  /** Loyalty: programme, points, tiers (`sweep()` writes off expired points and ends tier periods now). */
  readonly membership: MembershipService;
  /** The push outbox (`drain()` sends everything due now). */
  readonly push: PushDispatcher;
  /** The webhook outbox (`drain()` sends everything due now and waits for the attempts). */
  readonly webhooks: WebhookDispatcher;
  /** What the flows tell webhooks (`idle()` waits until what was reported is in the outbox). */
  readonly webhookEvents: WebhookEvents;
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
 * Composes the cloud from its config: storage (SQLite or PostgreSQL), the embedded broker, ingest,
 * the rules engine and the HTTP API. Nothing listens until `start`; `stop` shuts down in reverse
 * order and drains.
 */
export async function createCloud(config: Readonly<CloudConfig>, deps: CloudDependencies): Promise<Cloud> {
  const { log, clock } = deps;
  const scheduler = deps.scheduler ?? systemScheduler;
  await mkdir(config.dataDir, { recursive: true });
  // SQLite in dataDir, or PostgreSQL shared with other cloud processes (config.storage).
  const storage = await openStorage(config, clock.now(), log.child({ component: "storage" }));
  const repositories = storage.repositories;
  const { directory, users, events, rules: ruleRepository, offers: offerRepository, privacy, audit, analytics } =
    repositories;

  const workerId = config.worker.id ?? generatedWorkerId();
  // By default the storage's own: one process on SQLite, the shared database on PostgreSQL.
  const coordination =
    deps.coordination?.(workerId) ?? storage.coordination(workerId, { scheduler, log: log.child({ component: "coordination" }) });
  // Periodic jobs that must run once across the fleet tick on every worker and run on the leader.
  const leaderScheduler = leaderOnlyScheduler(scheduler, coordination);
  const mqtt = createMqttSide(config.mqtt, {
    log,
    workerId,
    workerIdStable: config.worker.id !== undefined,
    clock,
    scheduler,
    // Called only once the broker runs, after `credentials` exists.
    authenticate: (username, password) => credentials.verifyMqtt(username, password),
    revokedSince: (since) => credentials.revokedMqttSince(since),
    liveMqttAccounts: () => credentials.liveMqttAccounts(),
    // Called only once the broker runs, after the fleet and the metrics exist.
    onTakeover: (_clientId, identity) => {
      takeovers.inc({ role: identity.role });
      if (identity.role === "gateway") fleet.noteTakeover(identity.storeId, identity.gatewayId);
    },
    // An external broker that restarted without persistence has lost the retained desired
    // configs: a gateway that reconnects (or a new one) would find none. The leader, one worker
    // for the fleet, publishes them again.
    onReconnected: () => {
      if (!coordination.isLeader()) return;
      fleet.republish().catch((err: unknown) => log.error({ err }, "config re-publish after a reconnect failed"));
    },
  });
  const credentials = new CredentialService({
    credentials: repositories.credentials,
    audit,
    clock,
    log: log.child({ component: "credentials" }),
    provisioner: mqtt.provisioner,
    organisations: directory,
  });
  const broker = mqtt.bus;
  // Labelled by worker only with a configured (stable) id: a generated one, new at every start,
  // would start new series each restart; Prometheus's own instance label tells processes apart.
  const metrics = new PromMetrics(config.worker.id === undefined ? {} : { workerId: config.worker.id });
  const latency = pipelineLatency(metrics);
  // What the console's live view shows: presence, arrivals and offers as they happen, in memory.
  const liveFeed = new LiveFeed({
    clock,
    log: log.child({ component: "live" }),
    orgOfStore: async (storeId) => (await directory.getStore(storeId))?.orgId ?? null,
  });
  // With several workers each handles a share of every store: each shows its changes to the others.
  const live = new LiveRelay({ feed: liveFeed, coordination, scheduler, log: log.child({ component: "live" }) });
  // Webhooks: a durable outbox of signed messages to the organisations' endpoints (docs/webhooks.md).
  const webhookDispatcher = new WebhookDispatcher({
    webhooks: repositories.webhooks,
    sender: new HttpWebhookSender({
      timeoutMs: config.webhooks.timeoutMs,
      maxResponseBytes: config.webhooks.maxResponseBytes,
      allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
      userAgent: "Arrival-Webhooks/1",
    }),
    hmac: (key, data) => createHmac("sha256", key).update(data).digest(),
    clock,
    scheduler,
    log: log.child({ component: "webhooks" }),
    maxAttempts: config.webhooks.maxAttempts,
    backoff: { baseMs: config.webhooks.retryBaseS * 1000, maxMs: config.webhooks.retryMaxS * 1000 },
    pollIntervalMs: config.webhooks.pollIntervalMs,
    perEndpointConcurrency: config.webhooks.perEndpointConcurrency,
    maxInFlight: config.webhooks.maxInFlight,
  });
  const webhookEvents = new WebhookEvents({
    webhooks: repositories.webhooks,
    stores: directory,
    users,
    clock,
    log: log.child({ component: "webhooks" }),
    onQueued: (count) => webhookDispatcher.queued(count),
  });
  // Push: a durable outbox in front of the OS push services; receipts per channel.
  const pushSenders = await createPushSenders(config.push, () => clock.now(), { scheduler, log: log.child({ component: "push" }) });
  const push = new PushDispatcher({
    registrations: repositories.pushRegistrations,
    delivery: repositories.delivery,
    stores: directory,
    senders: pushSenders.senders,
    clock,
    scheduler,
    log: log.child({ component: "push" }),
    newId: () => randomBytes(12).toString("base64url").replace(/^[-_]/, "p"),
    jitter: () => Math.random(),
    frequencyCapMinutes: config.push.frequencyCapMinutes,
    maxAttempts: config.push.maxAttempts,
    backoff: { baseMs: config.push.retryBaseS * 1000, maxMs: config.push.retryMaxS * 1000 },
    pollIntervalMs: config.push.pollIntervalMs,
    onSent: (sent) => webhookEvents.track(webhookEvents.offersDelivered([sent], "push")),
  });
  const receipts = new DeliveryReceipts({
    delivery: repositories.delivery,
    stores: directory,
    clock,
    log: log.child({ component: "receipts" }),
    frequencyCapMinutes: config.push.frequencyCapMinutes,
  });
  // The event pipeline: what sources (gateway batches, phones' geofence reports) committed is
  // decided in groups, then delivered. Stages front to back.
  const delivery = new DeliveryStage({
    bus: broker,
    offers: offerRepository,
    clock,
    log: log.child({ component: "delivery" }),
    eventToOffer: latency.eventToOffer,
    scheduler,
    pushOutbox: push,
    onPublished: (published) => {
      webhookEvents.track(webhookEvents.offersDelivered(published, "mqtt"));
      return receipts.publishedOverMqtt(published);
    },
  });
  const directoryCache = new DirectoryCache({ directory, users, changes: directory, usersByIds: users });
  const decisions = new DecisionStage({
    offers: offerRepository,
    rules: ruleRepository,
    events,
    directory: directoryCache,
    organisations: async () => (await directory.listOrganisations()).map((o) => o.id),
    published: delivery,
    clock,
    randomBytes: (size) => randomBytes(size),
    log: log.child({ component: "decisions" }),
    maxEventAgeMs: config.offers.maxEventAgeS * 1000,
    decisionLatency: latency.decision,
    scheduler,
    push,
    output: (issued) => {
      // The demo and the console watch offers as they are issued, before delivery.
      for (const { offer, shopper } of issued) {
        live.offerIssued(offer, shopper);
        deps.onOfferIssued?.(offer);
      }
      webhookEvents.track(webhookEvents.offersIssued(issued.map((i) => i.offer)));
      delivery.accept(issued);
    },
  });
  // Other watchers of stored presence (membership's visit points), added where they are built.
  const presenceListeners: ((events: Parameters<EventPipeline["submit"]>[0]) => void)[] = [];
  const pipeline = new EventPipeline({
    decisions,
    delivery,
    stages: [decisions, delivery],
    watch: (events) => {
      live.eventsStored(events);
      webhookEvents.track(webhookEvents.presenceStored(events));
      for (const listener of presenceListeners) listener(events);
    },
  });
  // The store's time: each gateway's clock requests answered with the cloud's clock.
  const time = new TimeService({ bus: broker, clock, log: log.child({ component: "time" }) });
  // Where consenting members were (at the till, inside the store): calibration labels for the gateways.
  const placeLabels = new PlaceLabelService({ users, fleet: repositories.fleet, bus: broker, log: log.child({ component: "place-labels" }) });
  // The beacon phones can hear in the stores (docs/push.md): keys derived from one shared secret.
  const storeBeacon = new StoreBeaconService({
    secret: await storeBeaconSecret(config.storeBeacon.secretFile),
    settings: config.storeBeacon,
    hmac: (key, data) => createHmac("sha256", key).update(data).digest(),
    directory,
    locations: privacy,
    // Called only for a sighting reported over HTTP, once the pipeline exists.
    onStored: (stored) => pipeline.submit(stored),
    decided: (eventId, withinMs) => pipeline.whenDecided(eventId, withinMs),
    // The member was in the store: its gateways learn their zones' thresholds from what they heard then.
    onInside: (sighting) => {
      void placeLabels.sightedInside(sighting).catch((err: unknown) => {
        log.warn({ err, storeId: sighting.storeId }, "inside label not sent");
      });
    },
    clock,
    log: log.child({ component: "store-beacon" }),
  });
  const fleet = new FleetService({
    bus: broker,
    fleet: repositories.fleet,
    zones: {
      listZones: (storeId) => directory.listZones(storeId),
      replaceZones: async (storeId, zones) => {
        const result = await directory.replaceZones(storeId, zones);
        ingest.zonesChanged(storeId);
        workerSync.zonesChanged(storeId);
        return result;
      },
    },
    audit,
    clock,
    scheduler,
    log: log.child({ component: "fleet" }),
    staleAfterMs: config.fleet.staleAfterS * 1000,
    offlineAlertMs: config.fleet.offlineAlertS * 1000,
    telemetryRetentionMs: config.fleet.telemetryRetentionH * 3_600_000,
    telemetryMinSpacingMs: config.fleet.telemetryMinSpacingS * 1000,
    // Called only once messages flow, after `rollouts` exists.
    onReport: (storeId) => rollouts.noteReport(storeId),
    onOffline: (storeId, gatewayId, at) => webhookEvents.track(webhookEvents.gatewayOffline(storeId, gatewayId, at)),
    storeBeacon: (storeId) => storeBeacon.configFor(storeId),
    leader: () => coordination.isLeader(),
  });
  const ingest = new IngestService({
    bus: broker,
    events,
    zones: directory,
    clock,
    scheduler,
    log: log.child({ component: "ingest" }),
    plausibility: {
      maxEventAgeMs: config.ingest.maxEventAgeH * 3_600_000,
      maxClockSkewMs: config.ingest.maxClockSkewS * 1000,
    },
    commitDelayMs: config.ingest.commitDelayMs,
    commitLatency: latency.ingestCommit,
    onStored: (stored) => pipeline.submit(stored),
    // Ingest leaves the database queue to the pipeline after a commit only while it works.
    othersWaiting: () => pipeline.busy,
    onHeard: (storeId, gatewayId) => fleet.noteHeard(storeId, gatewayId),
  });
  const eid = new EidResolutionService({
    keys: privacy,
    audit,
    clock,
    scheduler: leaderScheduler,
    log: log.child({ component: "eid" }),
    rotationExponent: config.privacy.eidRotationExponent,
    refreshIntervalMs: config.privacy.eidRefreshS * 1000,
  });
  const geofence = new GeofenceService({
    locations: privacy,
    directory,
    clock,
    log: log.child({ component: "geofence" }),
    onStored: (stored) => pipeline.submit(stored),
    bus: broker,
    users,
  });
  const retention = new RetentionService({
    retention: privacy,
    clock,
    scheduler: leaderScheduler,
    log: log.child({ component: "retention" }),
    retentionDays: config.privacy.retentionDays,
    intervalMs: config.privacy.retentionSweepS * 1000,
  });
  const rules = new RuleService({
    rules: ruleRepository,
    directory,
    clock,
    scheduler: leaderScheduler,
    log: log.child({ component: "rules" }),
    onRulesChanged: (orgId) => {
      workerSync.rulesChanged(orgId);
      return pipeline.reloadRules(orgId);
    },
  });
  const offerLifecycle = new OfferLifecycleService({
    bus: broker,
    offers: offerRepository,
    clock,
    scheduler: leaderScheduler,
    log: log.child({ component: "offer-lifecycle" }),
    reminderLeadS: config.offers.reminderLeadS,
    intervalMs: config.offers.sweepIntervalS * 1000,
    pushOutbox: push,
  });
  const http = await createHttpApp({
    credentials,
    log: log.child({ component: "http" }),
    rateLimitPerMinute: config.http.rateLimitPerMinute,
    verifyGatewayLogin: async (username, password) =>
      (await credentials.verifyMqtt(username, Buffer.from(password)))?.role === "gateway",
  });
  const { redemptions, takeovers } = cloudMetrics(metrics, {
    ingest,
    offers: pipeline,
    fleet,
    undeliveredOffers: () => offerRepository.countUndelivered(clock.now()),
    outboxesBehindGap: () => events.countOutboxesBehindGap(),
    leader: () => coordination.isLeader(),
  });
  pushMetrics(metrics, push);
  webhookMetrics(metrics, webhookDispatcher);
  // Before the routes, so it counts every one of them.
  httpMetrics(http, metrics);
  healthRoutes(http, {
    // Not ready while an external broker is unreachable: events and offers cannot flow.
    ready: async () => mqtt.ready() && (await storage.ping()),
  });
  // Membership: points ledger, programme, tiers; stored presence earns visit points.
  // Every ledger entry reaches the webhook stream as points.changed, once (keyed by the entry).
  const pointsWritten = (orgId: string, written: WrittenEntry) => webhookEvents.track(webhookEvents.pointsChanged(orgId, written.entry, written.balance));
  const ledger = observedLedger(repositories.ledger, pointsWritten);
  const membership = new MembershipService({
    ledger,
    membership: repositories.membership,
    users,
    directory,
    clock,
    scheduler: leaderScheduler,
    log: log.child({ component: "membership" }),
    randomBytes: (size) => randomBytes(size),
    metrics,
    onPointsWritten: pointsWritten,
    onTierChanged: (orgId, change) => webhookEvents.track(webhookEvents.tierChanged(orgId, change)),
  });
  offerRoutes(http, {
    offers: new ShopperOfferService({
      offers: offerRepository,
      users,
      clock,
      onListed: (listed) => {
        webhookEvents.track(webhookEvents.offersDelivered(listed, "pull"));
        return receipts.pulled(listed);
      },
    }),
    redemptions: new RedemptionService({
      offers: offerRepository,
      stores: directory,
      clock,
      onAttempt: (outcome) => redemptions.inc({ outcome }),
      onRedeemed: (offer, at, { storeId, channel }) => {
        live.offerRedeemed(offer, at);
        // The member stood at the till: the store's gateways learn from what they heard then.
        void placeLabels.redeemed({ storeId, userId: offer.userId, channel, at }).catch((err: unknown) => {
          log.warn({ err, storeId }, "till label not sent");
        });
        webhookEvents.track(webhookEvents.offerRedeemed(offer, at));
      },
      guard: new RedemptionGuard(),
      voidWindowMs: config.offers.voidWindowS * 1000,
      points: membership,
      log: log.child({ component: "redemptions" }),
    }),
  });
  decisionRoutes(http, {
    log: new DecisionLogService({ decisions: offerRepository, users, rules: ruleRepository }),
  });
  const dryRun = new DryRunService({
    replay: analytics,
    directory,
    stores: (orgId) => directory.listStores(orgId, null),
  });
  ruleRoutes(http, { rules, dryRun, reach: new ReachService({ dryRun, audience: users, clock }) });
  analyticsRoutes(http, {
    analytics: new AnalyticsService({ analytics, directory, rules: ruleRepository, coupons: repositories.coupons }),
  });
  const gateways = new GatewayService({ directory, audit, now: () => clock.now() });
  credentialRoutes(http, {
    credentials: new CredentialAdminService({ credentials, gateways, stores: directory, users }),
  });
  operatorRoutes(http, {
    organisations: new OrganisationService({ directory, credentials, audit, clock, log: log.child({ component: "organisations" }) }),
  });
  const rollouts = new RolloutService({
    rollouts: repositories.fleet,
    fleet,
    gateways,
    audit,
    clock,
    log: log.child({ component: "rollout" }),
    isLeader: () => coordination.isLeader(),
    scheduler: leaderScheduler,
  });
  rolloutRoutes(http, { rollouts });
  releaseRoutes(http, { releases: new FileReleaseStore(join(config.dataDir, "releases")) });
  gatewayRoutes(http, { fleet, gateways });
  metricsRoutes(http, { exposition: metrics });
  const storeService = new StoreService({
    directory,
    audit,
    clock,
    zonesChanged: (storeId, actor) => {
      ingest.zonesChanged(storeId);
      workerSync.zonesChanged(storeId);
      return fleet.publishStoreZones(storeId, actor);
    },
  });
  storeRoutes(http, { stores: storeService });
  userRoutes(http, {
    users: new UserService({
      users,
      credentialsOfUser: repositories.credentials,
      privacy,
      credentials,
      audit,
      clock,
      log: log.child({ component: "users" }),
      randomToken: () => randomBytes(12).toString("base64url"),
      onErased: (userId) => live.forgetUser(userId),
      onAnalyticsWithdrawn: (userId) => live.unlinkUser(userId),
      onAnalyticsGiven: (userId) => live.relinkUser(userId),
    }),
  });
  const storeActivity = new StoreActivityService({
    activity: events,
    visitCounts: privacy,
    stores: storeService,
  });
  activityRoutes(http, { activity: storeActivity });
  privacyRoutes(http, { eid, geofence, activity: storeActivity });
  storeBeaconRoutes(http, { storeBeacon });
  if (deps.shopperPage) shopperPageRoutes(http, deps.shopperPage);
  liveRoutes(http, { live: liveFeed, credentials, scheduler });
  const imports = new MemberImportService({
    membership: repositories.membership,
    ledger,
    users,
    clock,
    log: log.child({ component: "member-import" }),
    onAnalyticsWithdrawn: (userId) => live.unlinkUser(userId),
    onAnalyticsGiven: (userId) => live.relinkUser(userId),
  });
  membershipRoutes(http, { membership, imports });
  presenceListeners.push((stored) => membership.visitsStored(stored));
  // Coupon wallet: batches, claims, wallets, gifts, analytics (redemption is offerRoutes').
  couponRoutes(http, {
    coupons: new CouponService({
      coupons: repositories.coupons,
      users,
      stores: directory,
      clock,
      randomBytes: (size) => randomBytes(size),
      onEvent: (event) => webhookEvents.track(webhookEvents.couponEvent(event)),
      onPointsWritten: pointsWritten,
    }),
  });
  // Click-and-collect: a customer seen at the store is announced to the store's systems.
  const pickups = new PickupService({
    pickups: repositories.pickups,
    users,
    stores: directory,
    bus: broker,
    clock,
    log: log.child({ component: "pickups" }),
    randomBytes: (size) => randomBytes(size),
    onArrival: (pickup) => webhookEvents.track(webhookEvents.pickupArrived(pickup)),
  });
  pickupRoutes(http, { pickups });
  presenceListeners.push((stored) => void pickups.presenceStored(stored));
  pushRoutes(http, {
    push: new PushService({
      registrations: repositories.pushRegistrations,
      delivery: repositories.delivery,
      users,
      directory,
      audit,
      clock,
      providers: () => push.providers,
      vapidPublicKey: pushSenders.vapidPublicKey,
      allowPrivateEndpoints: config.push.allowPrivateEndpoints,
      onReplayed: () => push.soon(),
    }),
  });
  webhookRoutes(http, {
    webhooks: new WebhookService({
      webhooks: repositories.webhooks,
      audit,
      clock,
      randomBytes: (size) => randomBytes(size),
      newId: (prefix) => `${prefix}_${randomBytes(12).toString("base64url")}`,
      allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
      maxEndpoints: config.webhooks.maxEndpointsPerOrganisation,
      onQueued: (count) => webhookDispatcher.queued(count),
      onEndpointsChanged: (orgId) => webhookEvents.endpointsChanged(orgId),
    }),
  });
  consoleRoutes(http);
  // What other workers change reaches this one's caches; what this one changes, reaches them.
  const workerSync = new WorkerSync({
    coordination,
    log: log.child({ component: "worker-sync" }),
    caches: {
      reloadRules: (orgId) => pipeline.reloadRules(orgId),
      reloadAllRules: async () => {
        for (const org of await directory.listOrganisations()) await pipeline.reloadRules(org.id);
      },
      zonesChanged: (storeId) => ingest.zonesChanged(storeId),
      allZonesChanged: () => ingest.allZonesChanged(),
      directoryChanged: () => directoryCache.invalidate(),
      republishConfigs: () => fleet.republish(),
    },
  });

  let started = false;
  async function stop(): Promise<void> {
    if (!started) {
      await storage.close();
      return;
    }
    started = false;
    // Inputs first, then what they feed, so in-flight work drains into a database still open.
    await http.close();
    // No new batches or location reports; those being stored finish and reach the rules engine.
    time.stop();
    await Promise.all([ingest.stop(), geofence.stop()]);
    await pipeline.stop();
    // After the pipeline, which queues into it; what is pending stays for the next start.
    await push.stop();
    // Its senders' connections and encryption threads (and a thread respawn's wait) end with it.
    for (const sender of pushSenders.senders) await sender.close?.();
    // Events of the work just drained reach the outbox before it stops.
    await webhookEvents.idle();
    await webhookDispatcher.stop();
    // After ingest (no later noteHeard is lost) and before the broker: the last wills it publishes
    // while closing say the cloud went away, and a stopped FleetService ignores them.
    await fleet.stop();
    membership.stop();
    rollouts.stopSweep();
    await membership.drainVisits();
    await Promise.all([retention.stop(), eid.stop(), offerLifecycle.stop(), rules.stop()]);
    // Leadership goes with the periodic jobs, before the broker: another worker takes it over.
    workerSync.stop();
    await live.stop();
    await coordination.stop();
    await mqtt.stop();
    // What the stops above reported (last wills' gateway.offline, visit points drained) is in the
    // outbox before storage closes; the dispatcher sends it after the next start.
    await webhookEvents.idle();
    await storage.close();
  }

  const httpPort = (): number => {
    const address = http.server.address();
    return typeof address === "object" && address ? address.port : config.http.port;
  };
  return {
    workerId,
    coordination,
    repositories,
    credentials,
    pipeline,
    offers: pipeline,
    rules,
    offerLifecycle,
    ingest,
    time,
    fleet,
    rollouts,
    metrics,
    eid,
    geofence,
    retention,
    membership,
    push,
    webhooks: webhookDispatcher,
    webhookEvents,
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
        // Before the jobs it gates. The sync listens from here on: the fleet has just re-published
        // the configs, so only a later takeover of leadership re-publishes them again, and the
        // pipeline reads every rule index next.
        await coordination.start();
        workerSync.start();
        live.start();
        // The leader brings the gateways' store beacons in line with the secret and settings.
        if (coordination.isLeader()) await fleet.syncStoreBeacons("cloud");
        await pipeline.start();
        push.start();
        webhookDispatcher.start();
        await rules.start();
        offerLifecycle.start();
        await eid.refresh();
        eid.start();
        await geofence.start();
        retention.start();
        rollouts.startSweep();
        membership.start();
        await ingest.start();
        await time.start();
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

/**
 * A worker id when none is configured: the host name (sanitised to the id alphabet) and a random
 * suffix, unique among workers started at the same time on one host.
 */
/** The store beacon secret from its file, or null (no store beacon); a short one is refused. */
async function storeBeaconSecret(file: string | undefined): Promise<Uint8Array | null> {
  if (file === undefined) return null;
  const secret = Buffer.from((await readFile(file, "utf8")).trim(), "utf8");
  if (secret.length < 32) throw new Error(`storeBeacon.secretFile ${file} holds ${secret.length} bytes; it needs at least 32 random bytes`);
  return secret;
}

function generatedWorkerId(): string {
  const host = hostname().replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 48) || "cloud";
  return `${host}-${randomBytes(4).toString("hex")}`;
}
