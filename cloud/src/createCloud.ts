import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { EmbeddedBroker } from "./adapters/broker/EmbeddedBroker.js";
import { createHttpApp } from "./adapters/http/createHttpApp.js";
import { credentialRoutes } from "./adapters/http/routes/credentialRoutes.js";
import { healthRoutes } from "./adapters/http/routes/healthRoutes.js";
import { analyticsRoutes } from "./adapters/http/routes/analyticsRoutes.js";
import { decisionRoutes } from "./adapters/http/routes/decisionRoutes.js";
import { offerRoutes } from "./adapters/http/routes/offerRoutes.js";
import { ruleRoutes } from "./adapters/http/routes/ruleRoutes.js";
import { migrate } from "./adapters/sqlite/migrations.js";
import { SqliteDatabase } from "./adapters/sqlite/SqliteDatabase.js";
import { SqliteOfferRepository } from "./adapters/sqlite/SqliteOfferRepository.js";
import { SqliteAnalyticsRepository } from "./adapters/sqlite/SqliteAnalyticsRepository.js";
import { SqliteRepository } from "./adapters/sqlite/SqliteRepository.js";
import { SqliteRuleRepository } from "./adapters/sqlite/SqliteRuleRepository.js";
import type { CloudConfig } from "./config/schema.js";
import type { Offer } from "./domain/offers/index.js";
import { CredentialService } from "./services/CredentialService.js";
import { IngestService } from "./services/IngestService.js";
import { AnalyticsService } from "./services/AnalyticsService.js";
import { DryRunService } from "./services/DryRunService.js";
import { OfferLifecycleService } from "./services/OfferLifecycleService.js";
import { OfferService } from "./services/OfferService.js";
import { RuleService } from "./services/RuleService.js";
import { createMqttSide } from "./createMqtt.js";
import type { Clock, Logger, MessageBus } from "./services/ports.js";

export interface CloudDependencies {
  readonly log: Logger;
  readonly clock: Clock;
  readonly onOfferIssued?: (offer: Offer) => void;
}

/** The running cloud, for main, the demo and tests: its parts, and where it listens. */
export interface Cloud {
  readonly repository: SqliteRepository;
  readonly offerRepository: SqliteOfferRepository;
  readonly credentials: CredentialService;
  readonly offers: OfferService;
  /** Rules API behaviour and the rule scheduler (`tick()` applies due transitions now). */
  readonly rules: RuleService;
  readonly ruleRepository: SqliteRuleRepository;
  /** Offer expiry, reminders and redelivery (`sweep()` runs one pass now). */
  readonly offerLifecycle: OfferLifecycleService;
  readonly ingest: IngestService;
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
  const offers = new OfferService({
    bus: broker,
    offers: offerRepository,
    events: repository,
    rules: offerRepository,
    directory: repository,
    users: repository,
    clock,
    randomBytes: (size) => randomBytes(size),
    log: log.child({ component: "offers" }),
    maxEventAgeMs: config.offers.maxEventAgeS * 1000,
    ...(deps.onOfferIssued ? { onIssued: deps.onOfferIssued } : {}),
  });
  const ingest = new IngestService({
    bus: broker,
    events: repository,
    clock,
    log: log.child({ component: "ingest" }),
    // Events of no registered device are stored already decided (nothing to offer to anyone).
    onStored: (events) => offers.submit(events.filter((e) => e.userId !== null)),
  });
  const ruleRepository = new SqliteRuleRepository(db);
  const analyticsRepository = new SqliteAnalyticsRepository(db);
  const rules = new RuleService({
    rules: ruleRepository,
    directory: repository,
    clock,
    log: log.child({ component: "rules" }),
    onRulesChanged: (orgId) => offers.reloadRules(orgId),
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
  healthRoutes(http, {
    // Not ready while an external broker is unreachable: events and offers cannot flow.
    ready: async () => mqtt.ready() && (await db.get("SELECT 1 AS ok")) !== undefined,
  });
  offerRoutes(http, { offers: offerRepository, users: repository, stores: repository, clock });
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

  let started = false;
  async function stop(): Promise<void> {
    if (!started) {
      await db.close();
      return;
    }
    started = false;
    await http.close();
    await mqtt.stop();
    await offerLifecycle.stop();
    await rules.stop();
    await offers.stop();
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
    offers,
    rules,
    ruleRepository,
    offerLifecycle,
    ingest,
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
        const orgs = await repository.listOrganisations();
        await offers.start(orgs.map((o) => o.id));
        await rules.start();
        offerLifecycle.start();
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
