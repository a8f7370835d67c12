import { readFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { createServer as createTlsServer } from "node:tls";
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from "aedes";
import { createWebSocketStream, WebSocketServer } from "ws";
import { canPublish, canSubscribe, type MqttIdentity } from "../../domain/access/mqttAccess.js";
import type { BusMessage, Logger, MessageBus, PublishOptions } from "../../services/ports.js";
import { SerialQueue } from "../../services/SerialQueue.js";
import { type ConnectionRate, ConnectionRateLimiter } from "./ConnectionRateLimiter.js";
import { guardedConnection } from "./MqttPacketGuard.js";

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
  /** MQTT over TLS (`mqtts://`); absent: no TLS listener. PEM files are read at start. */
  readonly tls?: {
    readonly host: string;
    readonly port: number;
    readonly certFile: string;
    readonly keyFile: string;
    /** CA bundle to present with the certificate chain. */
    readonly caFile?: string;
  };
  /** MQTT over WebSocket (`ws://host:port/path`) for apps and browsers; absent: none. */
  readonly websocket?: { readonly host: string; readonly port: number; readonly path: string };
  /**
   * Messages aedes handles at once across all clients (its `concurrency`); a subscriber that stops
   * reading holds a slot until `drainTimeoutMs`. Default 100.
   */
  readonly maxInflightMessages?: number;
  /** Messages queued for a client before its CONNECT completes (aedes `queueLimit`). Default 42. */
  readonly maxQueuedPerClient?: number;
  /** Connection attempts per source address (every listener); absent or null: unlimited. */
  readonly connectionRate?: ConnectionRate | null;
  /** Epoch ms; the rate limiter's time. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Called when an authenticated CONNECT takes over the session of a client id that is still
   * connected ([MQTT-3.1.4-2]: the broker closes the old connection). Two processes with one
   * identity do this to each other every few seconds; aedes has no event for it, so the broker
   * looks before it admits the new connection.
   */
  readonly onTakeover?: (clientId: string, identity: MqttIdentity) => void;
}

/** Where the broker listens once started: bound ports (0 when that listener is off). */
export interface BrokerPorts {
  readonly tcp: number;
  readonly tls: number;
  readonly websocket: number;
}

// MQTT 3.1.1 CONNACK return codes [MQTT-3.2.2-3]: 3 server unavailable, 4 bad user name or
// password, 5 not authorized. Clients (the app library) stop retrying on 4 and 5, so a failure of
// the credential store itself must answer 3, which they retry.
const BAD_CREDENTIALS: AuthenticateError["returnCode"] = 4;
const SERVER_UNAVAILABLE: AuthenticateError["returnCode"] = 3;

function authError(message: string, returnCode = BAD_CREDENTIALS): AuthenticateError {
  const error: AuthenticateError = Object.assign(new Error(message), { returnCode });
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
  private readonly usernames = new WeakMap<Client, string>();
  /** The connected client of each client id (aedes keeps this too, but not in its types). */
  private readonly clientsById = new Map<string, Client>();
  private aedes: Aedes | null = null;
  private servers: Server[] = [];
  private webSockets: WebSocketServer | null = null;
  private bound: BrokerPorts = { tcp: 0, tls: 0, websocket: 0 };
  private readonly limiter: ConnectionRateLimiter | null;

  constructor(options: EmbeddedBrokerOptions) {
    this.options = options;
    this.limiter = options.connectionRate ? new ConnectionRateLimiter(options.connectionRate) : null;
  }

  /** The bound TCP port. */
  get port(): number {
    return this.bound.tcp;
  }

  get ports(): BrokerPorts {
    return this.bound;
  }

  async start(): Promise<void> {
    if (this.aedes) return;
    const { log } = this.options;
    const maxPayload = this.options.maxPayloadBytes ?? 256 * 1024;
    const aedes = new Aedes({
      drainTimeout: this.options.drainTimeoutMs ?? 30_000,
      concurrency: this.options.maxInflightMessages ?? 100,
      queueLimit: this.options.maxQueuedPerClient ?? 42,
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
            // The separator ":" is outside the id alphabet, so "app.u1:x" can only belong to app.u1
            // (with "-", user app.u1 could have claimed the session of user app.u1-2).
            if (!identity || !(client.id === username || client.id.startsWith(`${username}:`))) {
              log.warn({ username, clientId: client.id }, "mqtt connection refused");
              done(authError("bad user name or password"), false);
              return;
            }
            this.identities.set(client, identity);
            const previous = this.clientsById.get(client.id);
            if (previous && previous !== client && !previous.closed) {
              log.warn({ clientId: client.id, username }, "mqtt session taken over by a new connection of the same client id");
              this.options.onTakeover?.(client.id, identity);
            }
            const clients = this.clientsByUser.get(username) ?? new Set<Client>();
            clients.add(client);
            this.clientsByUser.set(username, clients);
            this.usernames.set(client, username);
            done(null, true);
          },
          (err: unknown) => {
            log.error({ err }, "mqtt authentication failed");
            done(authError("authentication unavailable", SERVER_UNAVAILABLE), false);
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
      // Defence in depth: a message reaches a client only on a topic that client may read, also
      // for messages queued in a persistent session before a restart or a rule change.
      authorizeForward: (client, packet) => {
        const identity = this.identities.get(client);
        return identity && canSubscribe(identity, packet.topic) ? packet : null;
      },
    });
    aedes.on("clientError", (client, err) =>
      log.debug({ clientId: client.id, err: err.message }, "mqtt client error"),
    );
    // aedes clients emit no "close"; its "clientDisconnect" is what tells a connection is gone.
    aedes.on("clientDisconnect", (client) => this.forget(client));
    aedes.on("client", (client) => this.clientsById.set(client.id, client));
    this.aedes = aedes;
    await aedes.listen();
    try {
      await this.listen(aedes);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private forget(client: Client): void {
    if (this.clientsById.get(client.id) === client) this.clientsById.delete(client.id);
    const username = this.usernames.get(client);
    if (username === undefined) return;
    const clients = this.clientsByUser.get(username);
    clients?.delete(client);
    if (clients?.size === 0) this.clientsByUser.delete(username);
  }

  /** A socket as aedes sees it: packets above the limits end the connection before they are buffered. */
  private guarded(socket: Duplex): Duplex {
    const maxPayload = this.options.maxPayloadBytes ?? 256 * 1024;
    return guardedConnection(socket, { maxPacketBytes: maxPayload + 64 * 1024, maxConnectBytes: 16 * 1024 }, (err) =>
      this.options.log.warn({ err: err.message }, "mqtt connection dropped: packet too large"),
    );
  }

  /** Opens every configured listener; each sheds over-rate sources before any protocol work. */
  private async listen(aedes: Aedes): Promise<void> {
    const { log, tls, websocket } = this.options;
    const tcp = createServer((socket) => aedes.handle(this.guarded(socket)));
    this.bound = { ...this.bound, tcp: await this.bind(tcp, this.options.host, this.options.port) };
    log.info({ host: this.options.host, port: this.bound.tcp }, "mqtt broker listening");
    if (tls) {
      const [cert, key, ca] = await Promise.all([
        readFile(tls.certFile),
        readFile(tls.keyFile),
        tls.caFile ? readFile(tls.caFile) : Promise.resolve(undefined),
      ]);
      const server = createTlsServer({ cert, key, minVersion: "TLSv1.2", ...(ca ? { ca } : {}) }, (socket) =>
        aedes.handle(this.guarded(socket)),
      );
      // A failed handshake (scanner, wrong CA on the client) is the client's problem, not an error.
      server.on("tlsClientError", (err) => log.debug({ err: err.message }, "mqtt tls handshake failed"));
      this.bound = { ...this.bound, tls: await this.bind(server, tls.host, tls.port) };
      log.info({ host: tls.host, port: this.bound.tls }, "mqtt broker listening (tls)");
    }
    if (websocket) {
      const http = createHttpServer((_request, response) => {
        response.writeHead(426, { "content-type": "text/plain", upgrade: "websocket" });
        response.end("MQTT over WebSocket: connect with a WebSocket client, subprotocol mqtt\n");
      });
      const maxPayload = (this.options.maxPayloadBytes ?? 256 * 1024) + 64 * 1024;
      // One WebSocket frame carries at most one MQTT packet here, so the frame limit bounds memory
      // before aedes sees the payload size (ws would otherwise buffer up to 100 MiB).
      const wss = new WebSocketServer({ server: http, path: websocket.path, maxPayload });
      wss.on("connection", (socket, request) => {
        const stream = createWebSocketStream(socket);
        stream.on("error", (err) => log.debug({ err: err.message }, "mqtt websocket error"));
        aedes.handle(stream, request);
      });
      this.webSockets = wss;
      this.bound = { ...this.bound, websocket: await this.bind(http, websocket.host, websocket.port) };
      log.info(
        { host: websocket.host, port: this.bound.websocket, path: websocket.path },
        "mqtt broker listening (websocket)",
      );
    }
  }

  /** Listens, applies the per-address connection rate, and resolves to the bound port. */
  private async bind(server: Server, host: string, port: number): Promise<number> {
    const limiter = this.limiter;
    if (limiter) {
      const now = this.options.now ?? Date.now;
      // "connection" is the raw TCP accept on every server kind (plain, TLS, HTTP): refusing here
      // costs no handshake. The client sees its connection closed, which it retries with backoff.
      server.on("connection", (socket: Socket) => {
        const address = socket.remoteAddress ?? "";
        if (!limiter.take(address, now())) {
          this.options.log.warn({ address }, "mqtt connection rate exceeded");
          socket.destroy();
        }
      });
    }
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.servers.push(server);
    const address = server.address();
    return typeof address === "object" && address ? address.port : port;
  }

  async stop(): Promise<void> {
    const { aedes, servers, webSockets } = this;
    this.aedes = null;
    this.servers = [];
    this.webSockets = null;
    // Stop accepting first; a server reports closed only once its connections are gone, which
    // closing aedes (every client, whatever its transport) and the WebSockets brings about.
    const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    for (const client of webSockets?.clients ?? []) client.terminate();
    if (webSockets) await new Promise<void>((resolve) => webSockets.close(() => resolve()));
    await Promise.all(closed);
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
