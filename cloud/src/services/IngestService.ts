import {
  allGatewaysFilter,
  decodeGatewayMessage,
  encodeMessage,
  formatProblems,
  gatewayTopic,
  isValidSubjectId,
  type EventBatch,
  type PresenceEvent,
  parseTopic,
} from "../../../protocol/index.js";
import {
  checkPlausibility,
  DEFAULT_PLAUSIBILITY_LIMITS,
  type ImplausibleReason,
  type PlausibilityLimits,
} from "../domain/ingest/plausibility.js";
import type { LatencyHistogram } from "./Metrics.js";
import { type Clock, type Logger, type MessageBus, type Scheduler, sleepOn, systemScheduler } from "./ports.js";
import type {
  DirectoryRepository,
  EventRepository,
  StoreBatchInput,
  StoreBatchResult,
  StoredEvent,
} from "./repositories.js";
import { StoreZoneCache } from "./StoreZoneCache.js";

/** Why a batch or an event was refused; each refusal is counted under one of these and logged once. */
export type IngestRejection =
  /** Not a gateway events topic (only reachable by calling `handleBatch` directly). */
  | "topic"
  /** The payload is not a valid events batch: too large, not JSON, wrong types, unknown version. */
  | "schema"
  /** The storage transaction failed (an unregistered gateway, a disk error); the batch is not acked. */
  | "storage"
  /** An event naming another store or gateway than the topic it came on. */
  | "foreign-event"
  /** An event whose subject id is not in its kind's canonical form. */
  | "subject-id"
  /** An event whose subject is a phone (`app`): only the phone itself reports those, never a gateway. */
  | "app-subject"
  /** Implausible events (`domain/ingest/plausibility.ts`): unknown zone, unreadable, too old or ahead. */
  | ImplausibleReason;

export interface IngestCounters {
  batches: number;
  eventsStored: number;
  duplicates: number;
  rejectedBatches: number;
  rejectedEvents: number;
  /** Refusals by reason (batches for topic, schema and storage; events for the others). */
  rejections: Record<IngestRejection, number>;
  /** Transactions committed; `batches / commits` is the group-commit factor. */
  commits: number;
}

export interface IngestServiceOptions {
  readonly bus: MessageBus;
  readonly events: EventRepository;
  /** Where the stores' zones are read; an event for a zone its store does not have is refused. */
  readonly zones: Pick<DirectoryRepository, "listZones">;
  readonly clock: Clock;
  readonly log: Logger;
  /** How old and how far ahead an event's `at` may be (default `DEFAULT_PLAUSIBILITY_LIMITS`). */
  readonly plausibility?: PlausibilityLimits;
  /** Called with the events this delivery stored for the first time, after they are committed. */
  readonly onStored: (events: readonly StoredEvent[]) => void;
  /** Called synchronously for every events message, before any work (fleet "last seen"); must be cheap. */
  readonly onHeard?: (storeId: string, gatewayId: string) => void;
  /** Most events one transaction takes (default 10 000). */
  readonly maxEventsPerCommit?: number;
  /**
   * Events waiting for a commit above which the subscription handler waits for its own batch, so
   * the broker (and the gateways' in-flight windows) feel the back-pressure (default 20 000).
   */
  readonly maxQueuedEvents?: number;
  /** Longest pause between two commits that leaves the database queue to other work (default 50 ms; 0: none). */
  readonly maxRestMs?: number;
  /**
   * Whether work that makes chains of database calls is in progress (the pipeline deciding or
   * queueing pushes): ingest rests after a commit only then, so an idle pipeline costs the acks
   * nothing. Default: always rest.
   */
  readonly othersWaiting?: () => boolean;
  /**
   * How long a batch that finds ingest idle waits before its commit, so that batches arriving
   * meanwhile share it (fewer fsyncs per event at the cost of ack latency; default 0: at once).
   */
  readonly commitDelayMs?: number;
  /** Observes each successful storage transaction, from its start to its commit (optional). */
  readonly commitLatency?: LatencyHistogram;
  /** Timers for the commit delay and the rest between commits; default the process's own. */
  readonly scheduler?: Scheduler;
}

/**
 * Shared across workers: each batch is stored by one of them. The ack is computed from what the
 * database holds, so it does not matter which worker stored the batches before it.
 */
const SHARED = { shared: true } as const;

interface PendingBatch {
  readonly input: StoreBatchInput;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Stores each gateway event once and then acknowledges it on the gateway's ack topic. The ack is
 * the application-level receipt: a QoS 1 PUBACK from the broker only says the broker has the
 * message, not that the cloud stored it, so the gateway keeps events until this ack arrives.
 */
export class IngestService {
  readonly counters: IngestCounters = {
    batches: 0,
    eventsStored: 0,
    duplicates: 0,
    rejectedBatches: 0,
    rejectedEvents: 0,
    rejections: {
      topic: 0,
      schema: 0,
      storage: 0,
      "foreign-event": 0,
      "subject-id": 0,
      "app-subject": 0,
      "unknown-zone": 0,
      "bad-time": 0,
      "too-old": 0,
      "in-future": 0,
    },
    commits: 0,
  };
  private readonly options: IngestServiceOptions;
  private started = false;
  private readonly waiting: PendingBatch[] = [];
  private waitingEvents = 0;
  private committing = false;
  private subscribed = false;
  private readonly zoneCache: StoreZoneCache;
  /** Batches waiting for their store's zones to be read; they keep arrival order through `zonesRead`. */
  private screening = 0;
  private zonesRead: Promise<unknown> = Promise.resolve();

  constructor(options: IngestServiceOptions) {
    this.options = options;
    this.zoneCache = new StoreZoneCache(options.zones);
  }

  /** The store's zones changed (edited, replaced): read them again for the next batch. */
  zonesChanged(storeId: string): void {
    this.zoneCache.invalidate(storeId);
  }

  /** Any store's zones may have changed (another worker's notices were missed): read them all again. */
  allZonesChanged(): void {
    this.zoneCache.invalidateAll();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.subscribed) return;
    this.subscribed = true;
    const maxQueued = this.options.maxQueuedEvents ?? 20_000;
    await this.options.bus.subscribe(allGatewaysFilter("events"), (message) => {
      // Once stopping, batches are left unacknowledged: the gateway keeps them and sends them again.
      if (!this.started) return Promise.resolve();
      // The bus hands over one message at a time; returning before the commit lets the next
      // batches join the same transaction. Past the bound, wait, so memory stays bounded.
      // A failure was logged where it happened (once); the gateway's re-send is the retry.
      const done = this.handleBatch(message.topic, message.payload).catch(() => undefined);
      return this.waitingEvents >= maxQueued ? done : Promise.resolve();
    }, SHARED);
  }

  /** Stops taking batches and waits for those being stored (and handed on) to finish. Idempotent. */
  async stop(): Promise<void> {
    this.started = false;
    await this.idle();
  }

  /**
   * Handles one events message; resolves once it is committed and its ack handed to the broker
   * (rejects if its transaction failed). Public so tests and the load harness can drive it.
   */
  handleBatch(topic: string, payload: Buffer): Promise<void> {
    const { log } = this.options;
    const parsed = parseTopic(topic);
    if (parsed?.scope !== "gateway" || parsed.channel !== "events") {
      this.reject("topic", 1);
      log.warn({ topic }, "event batch rejected: not a gateway events topic");
      return Promise.resolve();
    }
    const { storeId, gatewayId } = parsed;
    this.options.onHeard?.(storeId, gatewayId);
    const decoded = decodeGatewayMessage("events", payload);
    if (!decoded.ok) {
      this.reject("schema", 1);
      // Not acknowledged: the gateway keeps it, and an operator sees why in the log once per
      // delivery. Nothing in a batch that fails the schema can be trusted, not even its outbox and
      // sequences, so nothing can be acked; the usual cause is a gateway newer than the cloud (an
      // unknown version), which the gateway's retained events then survive until the cloud is
      // upgraded. See docs/reliability.md, "Rejected batches".
      log.warn({ storeId, gatewayId, problems: formatProblems(decoded.problems) }, "event batch rejected");
      return Promise.resolve();
    }
    const batch = decoded.value;
    const wanted = new Set(batch.events.map((e) => e.zoneId));
    // Usually the zones are in memory and the batch goes on at once; when they must be read, later
    // batches wait their turn behind it, so one gateway's batches still commit in arrival order.
    const cached = this.screening === 0 ? this.zoneCache.peek(storeId, wanted) : null;
    if (cached) return this.screen(storeId, gatewayId, batch, cached);
    this.screening++;
    const zones = this.zonesRead.then(() => this.zoneCache.zoneIds(storeId, wanted));
    this.zonesRead = zones.catch(() => undefined);
    return zones.then(
      (zoneIds) => {
        this.screening--;
        return this.screen(storeId, gatewayId, batch, zoneIds);
      },
      (err: unknown) => {
        this.screening--;
        // Not acknowledged, as when the commit fails: the gateway sends it again.
        this.reject("storage", 1);
        log.warn({ storeId, gatewayId, err }, "event batch not stored");
        throw err;
      },
    );
  }

  /** Refuses the events that cannot be stored, then queues the batch for the next commit. */
  private screen(
    storeId: string,
    gatewayId: string,
    batch: EventBatch,
    zoneIds: ReadonlySet<string>,
  ): Promise<void> {
    const { log, clock } = this.options;
    const now = clock.now();
    const limits = this.options.plausibility ?? DEFAULT_PLAUSIBILITY_LIMITS;
    const accepted: PresenceEvent[] = [];
    const refusedSeqs: number[] = [];
    for (const event of batch.events) {
      // Topic ACLs already bind a gateway to its own topic; an event that names another store or
      // gateway is a bug or a forgery and is refused, but counted as done so it cannot block acks.
      if (event.storeId !== storeId || event.gatewayId !== gatewayId) {
        refusedSeqs.push(event.seq);
        this.reject("foreign-event", 0);
        log.warn({ storeId, gatewayId, eventId: event.id }, "event names another store or gateway");
      } else if (event.subject.kind === "app") {
        // A phone's own position arrives from the phone (geofence entries, checked for
        // plausibility); a gateway claiming to have heard `app:<user>` would place that user in a
        // store on its word alone.
        refusedSeqs.push(event.seq);
        this.reject("app-subject", 0);
        log.warn({ storeId, gatewayId, eventId: event.id }, "gateway reported an app subject");
      } else if (!isValidSubjectId(event.subject.kind, event.subject.id)) {
        // An id in the wrong form (uppercase hex, another kind's layout) would never match a
        // registered device and so would silently never trigger anything: refuse it visibly.
        refusedSeqs.push(event.seq);
        this.reject("subject-id", 0);
        log.warn({ storeId, gatewayId, eventId: event.id, kind: event.subject.kind }, "event subject id is malformed");
      } else {
        // What only the cloud can judge: its own clock and the store's zones. A gateway with a
        // clock gone wrong or a stale zone list is refused event by event, acked all the same,
        // so its outbox keeps moving (docs/protocol.md, "Plausibility at ingest").
        const implausible = checkPlausibility(event, zoneIds, now, limits);
        if (implausible) {
          refusedSeqs.push(event.seq);
          this.reject(implausible.reason, 0);
          log.warn(
            { storeId, gatewayId, eventId: event.id, reason: implausible.reason, problem: implausible.text },
            "event is implausible",
          );
        } else {
          accepted.push(event);
        }
      }
    }
    const input: StoreBatchInput = {
      storeId,
      gatewayId,
      outbox: batch.outbox,
      fromSeq: batch.fromSeq,
      events: accepted,
      refusedSeqs,
      receivedAt: now,
    };
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.waitingEvents += accepted.length;
      if (!this.committing) void this.commitWaiting();
    });
  }

  /** Events received and waiting for a commit (a gauge for the metrics). */
  get queuedEvents(): number {
    return this.waitingEvents;
  }

  /** Resolves when every batch handed over so far is committed or failed. */
  async idle(): Promise<void> {
    while (this.committing || this.waiting.length > 0 || this.screening > 0)
      await new Promise((r) => setImmediate(r));
  }

  private reject(reason: IngestRejection, batches: 0 | 1): void {
    this.counters.rejections[reason]++;
    if (batches === 1) this.counters.rejectedBatches++;
    else this.counters.rejectedEvents++;
  }

  /** Commits whatever is waiting, group after group, until nothing is. */
  private async commitWaiting(): Promise<void> {
    this.committing = true;
    const limit = this.options.maxEventsPerCommit ?? 10_000;
    try {
      const delay = this.options.commitDelayMs ?? 0;
      if (delay > 0) await sleepOn(this.options.scheduler ?? systemScheduler, delay);
      while (this.waiting.length > 0) {
        const group: PendingBatch[] = [];
        let events = 0;
        while (this.waiting.length > 0) {
          const next = this.waiting[0] as PendingBatch;
          if (group.length > 0 && events + next.input.events.length > limit) break;
          this.waiting.shift();
          group.push(next);
          events += next.input.events.length;
        }
        this.waitingEvents -= events;
        const started = performance.now();
        const results = await this.storeGroup(group);
        this.finish(group, results);
        // The database has one connection and one queue: back to back, ingest commits would put
        // every read a decision makes behind a commit (an fsync). Resting as long as the commit
        // took leaves it at most half the queue; batches arriving meanwhile join the next group,
        // so throughput holds (bigger groups) and an ack waits at most one commit longer. The
        // queue is first come, first served, so a single statement never needs the rest: only a
        // chain of calls (a decision's reads, then its transaction) would find a commit before
        // each link. So ingest rests only while such work is in progress.
        const rest = Math.min(performance.now() - started, this.options.maxRestMs ?? 50);
        if (this.waiting.length > 0 && rest > 0 && (this.options.othersWaiting?.() ?? true))
          await sleepOn(this.options.scheduler ?? systemScheduler, rest);
      }
    } finally {
      this.committing = false;
    }
  }

  /**
   * One transaction for the group; if it fails, each batch again in its own, so one batch that
   * cannot be stored (an unregistered gateway) fails alone instead of taking its neighbours along.
   */
  private async storeGroup(group: readonly PendingBatch[]): Promise<(StoreBatchResult | Error)[]> {
    const { events, commitLatency } = this.options;
    try {
      const committed = commitLatency?.startTimer();
      const results = await events.storeBatches(group.map((p) => p.input));
      committed?.();
      this.counters.commits++;
      return results;
    } catch (err) {
      if (group.length === 1) return [err instanceof Error ? err : new Error(String(err))];
      const results: (StoreBatchResult | Error)[] = [];
      for (const pending of group) {
        try {
          const committed = commitLatency?.startTimer();
          results.push((await events.storeBatches([pending.input]))[0] as StoreBatchResult);
          committed?.();
          this.counters.commits++;
        } catch (single) {
          results.push(single instanceof Error ? single : new Error(String(single)));
        }
      }
      return results;
    }
  }

  /**
   * After the commit: hand the new events to the rules engine, then ack each batch, in order. The
   * hand-over comes first so the decision's first reads reach the database queue before the
   * publishing of the group's acks takes the event loop; both follow the commit, so an ack still
   * never precedes the durability of what it covers.
   */
  private finish(group: readonly PendingBatch[], results: readonly (StoreBatchResult | Error)[]): void {
    const { log, bus } = this.options;
    const stored: StoredEvent[] = [];
    const acks: { pending: PendingBatch; ackSeq: number }[] = [];
    group.forEach((pending, k) => {
      const result = results[k];
      const { storeId, gatewayId } = pending.input;
      if (result === undefined || result instanceof Error) {
        this.reject("storage", 1);
        // Not acknowledged: the gateway sends it again later.
        log.warn({ storeId, gatewayId, err: result }, "event batch not stored");
        pending.reject(result ?? new Error("no result"));
        return;
      }
      this.counters.batches++;
      this.counters.eventsStored += result.inserted.length;
      this.counters.duplicates += result.duplicates;
      stored.push(...result.inserted);
      log.debug(
        { storeId, gatewayId, stored: result.inserted.length, ackSeq: result.ackSeq },
        "event batch stored",
      );
      acks.push({ pending, ackSeq: result.ackSeq });
    });
    // Committed events go to the rules engine now, whether or not the acks get out: the gateway's
    // re-send would only bring duplicates, which are never decided again.
    if (stored.length > 0) this.options.onStored(stored);
    for (const { pending, ackSeq } of acks) {
      const { storeId, gatewayId, outbox } = pending.input;
      // Publishing starts in order; the next group's commit does not wait for these to finish.
      bus
        .publish(gatewayTopic(storeId, gatewayId, "ack"), encodeMessage({ v: 1, outbox, upToSeq: ackSeq }), {
          qos: 1,
          retain: false,
        })
        .then(pending.resolve, (err: unknown) => {
          // The events are stored; the gateway re-sends them and gets the ack for the duplicates.
          log.warn({ storeId, gatewayId, err }, "event ack not published");
          pending.reject(err);
        });
    }
  }
}
