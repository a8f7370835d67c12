import { EmbeddedBroker } from "./adapters/broker/EmbeddedBroker.js";
import { EmbeddedBrokerAccess } from "./adapters/broker/EmbeddedBrokerAccess.js";
import { ExternalBus } from "./adapters/mqtt/ExternalBus.js";
import { MosquittoDynsec } from "./adapters/mqtt/MosquittoDynsec.js";
import type { CloudConfig } from "./config/schema.js";
import type { MqttIdentity } from "./domain/access/mqttAccess.js";
import { type BrokerAccessProvisioner, UnmanagedBrokerAccess } from "./services/BrokerAccessProvisioner.js";
import { MqttRoleRefresh } from "./services/MqttRoleRefresh.js";
import type { Clock, Logger, MessageBus, Scheduler } from "./services/ports.js";
import type { MqttAccount } from "./services/repositories.js";

type MqttConfig = CloudConfig["mqtt"];
type ExternalMqttConfig = Extract<MqttConfig, { mode: "external" }>;

/** The cloud's MQTT side for one mode: its bus, who provisions broker access, and its lifecycle. */
export interface MqttSide {
  readonly mode: MqttConfig["mode"];
  readonly bus: MessageBus;
  readonly provisioner: BrokerAccessProvisioner;
  /** The embedded broker, when this cloud runs one. */
  readonly embedded: EmbeddedBroker | null;
  /** False while the cloud is cut off from an external broker (for readiness). */
  ready(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface MqttSideDependencies {
  readonly log: Logger;
  /** This worker's id: with an external broker its client id is `<username>.<workerId>` unless configured. */
  readonly workerId: string;
  /**
   * False when the worker id was generated for this start: no later process will resume this
   * client id's session, so the broker is asked to drop it at disconnect (session expiry 0) rather
   * than keep queuing this worker's share of the shared subscription into it for nobody.
   */
  readonly workerIdStable: boolean;
  readonly clock: Clock;
  /** Timers of the periodic revocation sweep; default the process's own. */
  readonly scheduler?: Scheduler;
  /** The embedded broker's authenticate hook (the credential store). */
  readonly authenticate: (username: string, password: Buffer) => Promise<MqttIdentity | null>;
  /** Revocations recorded since a time, for the embedded broker's sweep. */
  readonly revokedSince: (since: number) => Promise<readonly { username: string; revokedAt: number }[]>;
  /**
   * A connection took over the session of a client id still connected (embedded broker only: an
   * external broker handles the takeover itself, and the cloud sees at most the gateway's last
   * will followed by a new online status).
   */
  readonly onTakeover?: (clientId: string, identity: MqttIdentity) => void;
  /** The link to an external broker came back (the broker may have lost its retained messages). */
  readonly onReconnected?: () => void;
  /**
   * The live MQTT accounts, page by page (the credential store): with an external broker that
   * keeps roles, each one's rights are brought to this release's in the background at start.
   */
  readonly liveMqttAccounts?: () => AsyncIterable<readonly MqttAccount[]>;
}

/**
 * Picks the MQTT side by `mqtt.mode`: the embedded aedes broker (which then is the access control)
 * or a client of an external broker plus, for mosquitto, the dynamic-security provisioner. Nothing
 * connects or listens before `start`; in external mode no embedded broker is created at all.
 */
export function createMqttSide(config: MqttConfig, deps: MqttSideDependencies): MqttSide {
  const { log, clock } = deps;
  if (config.mode === "external") {
    const stable = deps.workerIdStable || config.clientId !== undefined;
    if (!stable) {
      log.warn(
        { workerId: deps.workerId },
        "no worker.id configured: the broker drops this worker's session when it disconnects, so events published while it restarts are not queued for it (gateways re-send them); set worker.id to keep the session",
      );
    }
    const bus = new ExternalBus({
      url: config.url,
      username: config.username,
      ...(config.password === undefined ? {} : { password: config.password }),
      ...(config.passwordFile === undefined ? {} : { passwordFile: config.passwordFile }),
      ...(config.caFile === undefined ? {} : { caFile: config.caFile }),
      // Each worker its own session at the broker; the shared group spreads the work among them.
      clientId: config.clientId ?? `${config.username}.${deps.workerId}`,
      shareGroup: config.shareGroup,
      keepaliveS: config.keepaliveS,
      // mosquitto keeps handing an offline member of a shared subscription its share, queued in its
      // session until it returns or the session expires: only a session someone resumes may persist.
      sessionExpiryS: stable ? config.sessionExpiryS : 0,
      log: log.child({ component: "bus" }),
      ...(deps.onReconnected ? { onReconnected: deps.onReconnected } : {}),
    });
    const provisioner = createExternalProvisioner(config, log);
    const roles = deps.liveMqttAccounts
      ? new MqttRoleRefresh({
          provisioner,
          accounts: deps.liveMqttAccounts,
          log: log.child({ component: "mqtt-roles" }),
        })
      : null;
    return {
      mode: "external",
      bus,
      provisioner,
      embedded: null,
      ready: () => bus.connected,
      async start() {
        await bus.start();
        if (provisioner instanceof MosquittoDynsec) await checkDefaults(provisioner, log);
        // Off the start-up path: the cloud serves while roles are brought up to date, and a
        // broker that does not answer only delays them to the next start.
        roles?.start();
      },
      async stop() {
        // Abort first, so the refresh sends nothing more once the admin connection is closed.
        const refreshing = roles?.stop();
        if (provisioner instanceof MosquittoDynsec) await provisioner.close();
        await refreshing;
        await bus.stop();
      },
    };
  }
  const broker = new EmbeddedBroker({
    host: config.host,
    port: config.port,
    maxPayloadBytes: config.maxPayloadBytes,
    maxInflightMessages: config.maxInflightMessages,
    maxQueuedPerClient: config.maxQueuedPerClient,
    connectionRate:
      config.connectionsPerSecondPerIp > 0
        ? { ratePerS: config.connectionsPerSecondPerIp, burst: config.connectionBurstPerIp }
        : null,
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.websocket ? { websocket: config.websocket } : {}),
    now: () => clock.now(),
    authenticate: deps.authenticate,
    ...(deps.onTakeover ? { onTakeover: deps.onTakeover } : {}),
    log: log.child({ component: "broker" }),
  });
  const access = new EmbeddedBrokerAccess({
    disconnect: (username) => broker.disconnect(username),
    revokedSince: deps.revokedSince,
    now: () => clock.now(),
    ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
    log: log.child({ component: "broker-access" }),
  });
  return {
    mode: "embedded",
    bus: broker,
    provisioner: access,
    embedded: broker,
    ready: () => true,
    async start() {
      await broker.start();
      access.start();
    },
    async stop() {
      await access.stop();
      await broker.stop();
    },
  };
}

/**
 * The provisioner for an external broker, also used by the CLI (which runs no bus): mosquitto's
 * dynamic security plugin, or none when the broker's accounts are managed elsewhere.
 */
export function createExternalProvisioner(config: ExternalMqttConfig, log: Logger): BrokerAccessProvisioner & {
  close?: () => Promise<void>;
} {
  const admin = config.dynsec;
  // parseCloudConfig requires the admin account for mosquitto-dynsec; without one, manage nothing.
  if (config.provisioning === "none" || !admin) return new UnmanagedBrokerAccess();
  return new MosquittoDynsec({
    url: config.url,
    username: admin.username,
    ...(admin.password === undefined ? {} : { password: admin.password }),
    ...(admin.passwordFile === undefined ? {} : { passwordFile: admin.passwordFile }),
    ...(config.caFile === undefined ? {} : { caFile: config.caFile }),
    log: log.child({ component: "mosquitto-dynsec" }),
  });
}

/**
 * Least privilege on mosquitto rests on its defaults denying what no role allows. Warn loudly if
 * this broker allows publishing or subscribing by default: every gateway could then reach every
 * topic whatever its role says.
 */
async function checkDefaults(dynsec: MosquittoDynsec, log: Logger): Promise<void> {
  try {
    const defaults = await dynsec.defaultAccess();
    const open = ["publishClientSend", "subscribe"].filter((acl) => defaults[acl] === true);
    if (open.length > 0) {
      log.warn(
        { defaults },
        `mosquitto allows ${open.join(" and ")} by default; set them to deny (mosquitto_ctrl dynsec setDefaultACLAccess ${open[0]} deny) or access control is not least privilege`,
      );
    }
  } catch (err) {
    log.warn({ err }, "cannot read mosquitto's default access; credential issuing will fail until it answers");
  }
}
