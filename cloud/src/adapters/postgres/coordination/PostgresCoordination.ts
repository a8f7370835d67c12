import pg from "pg";
import type { ChangeListener, ChangeNotice, ChangeTopic, Coordination } from "../../../services/Coordination.js";
import type { Logger, Scheduler, TimerHandle } from "../../../services/ports.js";

export interface PostgresCoordinationOptions {
  /** How to reach PostgreSQL (the storage's connection settings: URL, password, TLS). */
  readonly connection: pg.ClientConfig;
  readonly workerId: string;
  /** Runs the leadership attempts and link checks. */
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /**
   * How often a follower tries to take leadership and a leader checks its session, ms (default
   * 5000): after the leader dies, another worker leads within about this long.
   */
  readonly retryMs?: number;
  /** The advisory lock's key, the same for every worker of one cloud (default 727716001). */
  readonly lockKey?: number;
  /** The LISTEN/NOTIFY channel of change notices (default `arrival_changes`). */
  readonly channel?: string;
  /** The LISTEN/NOTIFY channel of broadcasts (default `arrival_broadcast`). */
  readonly broadcastChannel?: string;
}

/** PostgreSQL's limit on a NOTIFY payload: shorter than 8000 bytes (the default build). */
const NOTIFY_PAYLOAD_BYTES = 7999;

const TOPICS: ReadonlySet<string> = new Set<ChangeTopic>(["rules", "zones", "resync"]);

interface Wire {
  readonly from: string;
  readonly topic: ChangeTopic;
  readonly key: string;
}

/**
 * Coordination of cloud workers through the PostgreSQL they already share, not a new service.
 *
 * - Leadership: a session-level advisory lock (`pg_try_advisory_lock`) held on a dedicated
 *   connection, never a pooled one (a pool would hand the session, and the lock, to other work).
 *   PostgreSQL releases the lock when that session ends, however it ends (worker killed, connection
 *   terminated, server restarted), and a follower takes it at its next attempt.
 * - A leader whose session errors stops being leader at once; every `retryMs` it also checks the
 *   session with a round trip, so a silently dead link is noticed within that period. A worker that
 *   lost its session reconnects as a follower and competes again one period later.
 * - Change notices: `LISTEN` on the same session, `pg_notify` to send. NOTIFY is not queued for a
 *   session that is not connected, so after every reconnect the listeners get a `resync` notice and
 *   read everything again instead of trusting notices that may have been missed.
 */
export class PostgresCoordination implements Coordination {
  readonly workerId: string;
  private readonly o: PostgresCoordinationOptions;
  private client: pg.Client | null = null;
  private leader = false;
  private connectedBefore = false;
  private timer: TimerHandle | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = true;
  private readonly changeListeners = new Set<ChangeListener>();
  private readonly broadcastListeners = new Set<(payload: string) => void>();
  readonly shared = true;
  /** Room for the payload once the sender's id and its separator are prefixed. */
  readonly maxBroadcastBytes: number;
  private readonly leadershipListeners = new Set<(leader: boolean) => void>();

  constructor(options: PostgresCoordinationOptions) {
    this.o = options;
    this.workerId = options.workerId;
    this.maxBroadcastBytes = NOTIFY_PAYLOAD_BYTES - Buffer.byteLength(options.workerId) - 1;
  }

  private get channel(): string {
    return this.o.channel ?? "arrival_changes";
  }

  private get broadcastChannel(): string {
    return this.o.broadcastChannel ?? "arrival_broadcast";
  }

  isLeader(): boolean {
    return this.leader;
  }

  onLeadership(listener: (leader: boolean) => void): () => void {
    this.leadershipListeners.add(listener);
    return () => this.leadershipListeners.delete(listener);
  }

  onChange(listener: ChangeListener): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  async notify(change: ChangeNotice): Promise<void> {
    const client = this.client;
    if (!client) {
      this.o.log.warn({ topic: change.topic, key: change.key }, "change notice not sent: no coordination link");
      return;
    }
    const wire: Wire = { from: this.workerId, topic: change.topic, key: change.key };
    try {
      await client.query("SELECT pg_notify($1, $2)", [this.channel, JSON.stringify(wire)]);
    } catch (err) {
      // The others resync when their link (or this one) comes back.
      this.o.log.warn({ err, topic: change.topic, key: change.key }, "change notice not sent");
    }
  }

  onBroadcast(listener: (payload: string) => void): () => void {
    this.broadcastListeners.add(listener);
    return () => this.broadcastListeners.delete(listener);
  }

  /**
   * A NOTIFY on the broadcast channel, prefixed with this worker's id and a newline (worker ids
   * have no newline), so a listener can skip its own. The caller logs failures as it sees fit: a
   * live view sending several a second would otherwise log each while the link is down.
   */
  async broadcast(payload: string): Promise<boolean> {
    const client = this.client;
    if (!client || Buffer.byteLength(payload) > this.maxBroadcastBytes) return false;
    try {
      await client.query("SELECT pg_notify($1, $2)", [this.broadcastChannel, `${this.workerId}\n${payload}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** Connects, listens and tries for leadership now, then every `retryMs`. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = this.o.scheduler.setInterval(() => void this.tick(), this.o.retryMs ?? 5000);
    await this.tick();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) this.o.scheduler.clearInterval(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    this.setLeader(false);
    // Ending the session releases the advisory lock; a follower takes it at its next attempt.
    if (client) await client.end().catch(() => undefined);
  }

  /**
   * One step: reconnect if the link is down, then try for leadership (follower) or check the
   * session (leader). Runs on the scheduler; public so tests step it without waiting.
   */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    const run = this.step().finally(() => {
      this.ticking = null;
    });
    this.ticking = run;
    return run;
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    try {
      let client = this.client;
      if (!client) {
        const reconnecting = this.connectedBefore;
        client = await this.connect();
        // After a lost session, wait one period before competing again, so the followers that
        // kept their sessions take over rather than the worker whose link just failed.
        if (reconnecting || this.stopped) return;
      }
      if (this.stopped) return;
      if (this.leader) {
        await client.query("SELECT 1");
      } else {
        const result = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
          this.o.lockKey ?? 727_716_001,
        ]);
        if (result.rows[0]?.locked === true && this.client === client) this.setLeader(true);
      }
    } catch (err) {
      this.o.log.warn({ err }, "coordination link failed");
      this.lost();
    }
  }

  private async connect(): Promise<pg.Client> {
    const periodMs = this.o.retryMs ?? 5000;
    // Bounded waits: on a partition a query would otherwise hang for the TCP retransmission time,
    // and a leader that cannot reach PostgreSQL must stop leading within about one period.
    const client = new pg.Client({
      ...this.o.connection,
      keepAlive: true,
      query_timeout: periodMs,
      connectionTimeoutMillis: periodMs,
    });
    // An idle session that the server terminates (or that drops) reports here, not on a query.
    client.on("error", (err) => {
      if (this.client !== client) return;
      this.o.log.warn({ err }, "coordination session lost");
      this.lost();
    });
    client.on("end", () => {
      if (this.client === client) this.lost();
    });
    client.on("notification", (message) => this.received(message.channel, message.payload));
    try {
      await client.connect();
      for (const channel of [this.channel, this.broadcastChannel]) await client.query(`LISTEN ${quoted(channel)}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      throw new Error("coordination stopped");
    }
    this.client = client;
    this.o.log.info({ workerId: this.workerId }, "coordination session connected");
    if (this.connectedBefore) this.emit({ topic: "resync", key: "" });
    this.connectedBefore = true;
    return client;
  }

  private lost(): void {
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners("notification");
      client.end().catch(() => undefined);
    }
    this.setLeader(false);
  }

  private setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    this.o.log.info({ workerId: this.workerId, leader }, leader ? "became leader" : "leadership lost");
    for (const listener of this.leadershipListeners) {
      try {
        listener(leader);
      } catch (err) {
        this.o.log.error({ err }, "leadership listener failed");
      }
    }
  }

  private received(channel: string, payload: string | undefined): void {
    if (payload === undefined) return;
    if (channel === this.broadcastChannel) return this.receivedBroadcast(payload);
    if (channel !== this.channel) return;
    let wire: Wire;
    try {
      wire = JSON.parse(payload) as Wire;
    } catch {
      this.o.log.warn({ channel }, "unreadable change notice");
      return;
    }
    if (typeof wire.key !== "string" || typeof wire.topic !== "string" || !TOPICS.has(wire.topic)) {
      this.o.log.warn({ channel }, "unknown change notice");
      return;
    }
    // pg_notify reaches the sender's own session too; the sender already updated its own state.
    if (wire.from === this.workerId) return;
    this.emit({ topic: wire.topic, key: wire.key });
  }

  private receivedBroadcast(payload: string): void {
    const cut = payload.indexOf("\n");
    // Malformed (not from a worker), or this worker's own: NOTIFY reaches the sender's session too.
    if (cut < 0 || payload.slice(0, cut) === this.workerId) return;
    const body = payload.slice(cut + 1);
    for (const listener of this.broadcastListeners) {
      try {
        listener(body);
      } catch (err) {
        this.o.log.error({ err }, "broadcast listener failed");
      }
    }
  }

  private emit(change: ChangeNotice): void {
    for (const listener of this.changeListeners) {
      try {
        listener(change);
      } catch (err) {
        this.o.log.error({ err, topic: change.topic }, "change listener failed");
      }
    }
  }
}

/** An identifier quoted for SQL, as LISTEN takes no parameters. */
function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
