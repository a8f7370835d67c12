import { createServer, type Server } from "node:net";
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from "aedes";
import { canPublish, canSubscribe, type MqttIdentity } from "../../domain/access/mqttAccess.js";
import type { BusMessage, Logger, MessageBus, PublishOptions } from "../../services/ports.js";
import { SerialQueue } from "../../services/SerialQueue.js";

/** Checks a username and password; resolves to the identity, or null when refused. */
export type Authenticator = (username: string, password: Buffer) => Promise<MqttIdentity | null>;

export interface EmbeddedBrokerOptions {
  readonly host: string;
  readonly port: number;
  readonly authenticate: Authenticator;
  readonly log: Logger;
  /** Largest PUBLISH payload accepted from a client, bytes. */
  readonly maxPayloadBytes?: number;
  /** Drop a client whose socket has not drained for this long (a phone that stopped reading). */
  readonly drainTimeoutMs?: number;
}

// MQTT 3.1.1 CONNACK return codes [MQTT-3.2.2-3]: 4 bad user name or password, 5 not authorized.
const BAD_CREDENTIALS: AuthenticateError["returnCode"] = 4;

function authError(message: string): AuthenticateError {
  const error: AuthenticateError = Object.assign(new Error(message), { returnCode: BAD_CREDENTIALS });
  return error;
}

/**
 * aedes embedded in the cloud process, with authentication and least-privilege authorisation, and
 * the cloud's own in-process side of the bus (no loopback connection for the cloud itself).
 */
export class EmbeddedBroker implements MessageBus {
  private readonly options: EmbeddedBrokerOptions;
  private readonly identities = new WeakMap<Client, MqttIdentity>();
  private readonly clientsByUser = new Map<string, Set<Client>>();
  private aedes: Aedes | null = null;
  private server: Server | null = null;
  private boundPort = 0;

  constructor(options: EmbeddedBrokerOptions) {
    this.options = options;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    if (this.aedes) return;
    const { log } = this.options;
    const maxPayload = this.options.maxPayloadBytes ?? 256 * 1024;
    const aedes = new Aedes({
      drainTimeout: this.options.drainTimeoutMs ?? 30_000,
      maxClientsIdLength: 128,
      maxTopicLevels: 8,
      authenticate: (client, username, password, done) => {
        if (!username || !password) {
          done(authError("anonymous connections are refused"), false);
          return;
        }
        this.options.authenticate(username, password).then(
          (identity) => {
            // A client id bound to the username keeps one identity from taking over another's
            // session ([MQTT-3.1.4-2] lets a new connection with the same id evict the old one).
            if (!identity || !(client.id === username || client.id.startsWith(`${username}-`))) {
              log.warn({ username, clientId: client.id }, "mqtt connection refused");
              done(authError("bad user name or password"), false);
              return;
            }
            this.identities.set(client, identity);
            const clients = this.clientsByUser.get(username) ?? new Set<Client>();
            clients.add(client);
            this.clientsByUser.set(username, clients);
            client.once("close", () => clients.delete(client));
            done(null, true);
          },
          (err: unknown) => {
            log.error({ err }, "mqtt authentication failed");
            done(authError("authentication unavailable"), false);
          },
        );
      },
      authorizePublish: (client, packet, callback) => {
        const identity = client ? this.identities.get(client) : undefined;
        if (!identity || !canPublish(identity, packet.topic)) {
          log.warn({ clientId: client?.id, topic: packet.topic }, "mqtt publish refused");
          callback(new Error("not authorized"));
          return;
        }
        if (packet.payload.length > maxPayload) {
          log.warn(
            { clientId: client?.id, topic: packet.topic, bytes: packet.payload.length },
            "mqtt payload too large",
          );
          callback(new Error("payload too large"));
          return;
        }
        callback(null);
      },
      authorizeSubscribe: (client, subscription, callback) => {
        const identity = this.identities.get(client);
        if (!identity || !canSubscribe(identity, subscription.topic)) {
          log.warn({ clientId: client.id, topic: subscription.topic }, "mqtt subscribe refused");
          // A null subscription makes aedes answer SUBACK 0x80 (failure) [MQTT-3.9.3-2].
          callback(null, null);
          return;
        }
        callback(null, subscription);
      },
    });
    aedes.on("clientError", (client, err) =>
      log.debug({ clientId: client.id, err: err.message }, "mqtt client error"),
    );
    this.aedes = aedes;
    await aedes.listen();
    const server = createServer(aedes.handle);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    this.boundPort = typeof address === "object" && address ? address.port : this.options.port;
    this.server = server;
    log.info({ host: this.options.host, port: this.boundPort }, "mqtt broker listening");
  }

  async stop(): Promise<void> {
    const { aedes, server } = this;
    this.aedes = null;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
  }

  /** Closes every connection authenticated with `username` (used when a credential is revoked). */
  disconnect(username: string): number {
    const clients = this.clientsByUser.get(username);
    if (!clients) return 0;
    const count = clients.size;
    for (const client of [...clients]) client.close();
    this.clientsByUser.delete(username);
    return count;
  }

  async subscribe(filter: string, handler: (message: BusMessage) => Promise<void>): Promise<void> {
    const aedes = this.requireStarted();
    const queue = new SerialQueue((err) => this.options.log.error({ err, filter }, "message handler failed"));
    await new Promise<void>((resolve) => {
      aedes.subscribe(
        filter,
        (packet, done) => {
          const message: BusMessage = { topic: packet.topic, payload: Buffer.from(packet.payload) };
          queue.push(() => handler(message));
          done(); // aedes requires the callback before returning; the queue keeps the order.
        },
        resolve,
      );
    });
  }

  publish(topic: string, payload: Buffer, options: PublishOptions): Promise<void> {
    const aedes = this.requireStarted();
    const packet: PublishPacket = {
      cmd: "publish",
      topic,
      payload,
      qos: options.qos,
      retain: options.retain,
      dup: false,
    };
    return new Promise((resolve, reject) => aedes.publish(packet, (err) => (err ? reject(err) : resolve())));
  }

  private requireStarted(): Aedes {
    if (!this.aedes) throw new Error("broker is not started");
    return this.aedes;
  }
}
