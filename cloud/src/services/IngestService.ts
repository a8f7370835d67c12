import {
  allGatewaysFilter,
  decodeGatewayMessage,
  encodeMessage,
  formatProblems,
  gatewayTopic,
  isValidSubjectId,
  type PresenceEvent,
  parseTopic,
} from "../../../protocol/index.js";
import type { Clock, Logger, MessageBus } from "./ports.js";
import type { EventRepository, StoredEvent } from "./repositories.js";

export interface IngestCounters {
  batches: number;
  eventsStored: number;
  duplicates: number;
  rejectedBatches: number;
  rejectedEvents: number;
  /** `rejectedEvents` by reason. */
  readonly rejectedEventsByReason: { "other-gateway": number; "malformed-subject": number };
}

export interface IngestServiceOptions {
  readonly bus: MessageBus;
  readonly events: EventRepository;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called with the events this delivery stored for the first time, after they are committed. */
  readonly onStored: (events: readonly StoredEvent[]) => void;
  /** Called synchronously for every events message, before any work (fleet "last seen"); must be cheap. */
  readonly onHeard?: (storeId: string, gatewayId: string) => void;
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
    rejectedEventsByReason: { "other-gateway": 0, "malformed-subject": 0 },
  };
  private readonly options: IngestServiceOptions;
  private started = false;
  private subscribed = false;
  /** Batches being handled, so `stop` can wait for them. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: IngestServiceOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.subscribed) return;
    this.subscribed = true;
    await this.options.bus.subscribe(allGatewaysFilter("events"), async (message) => {
      // Once stopping, batches are left unacknowledged: the gateway keeps them and sends them again.
      if (!this.started) return;
      const handling = this.handleBatch(message.topic, message.payload);
      this.inFlight.add(handling);
      try {
        await handling;
      } finally {
        this.inFlight.delete(handling);
      }
    });
  }

  /** Stops taking batches and waits for those being stored (and handed on) to finish. Idempotent. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Handles one events message; public so tests and the load harness can drive it directly. */
  async handleBatch(topic: string, payload: Buffer): Promise<void> {
    const { log, clock } = this.options;
    const parsed = parseTopic(topic);
    if (parsed?.scope !== "gateway" || parsed.channel !== "events") return;
    const { storeId, gatewayId } = parsed;
    this.options.onHeard?.(storeId, gatewayId);
    const decoded = decodeGatewayMessage("events", payload);
    if (!decoded.ok) {
      this.counters.rejectedBatches++;
      // Not acknowledged: the gateway keeps it, and an operator sees why in the log once per batch.
      log.warn({ storeId, gatewayId, problems: formatProblems(decoded.problems) }, "event batch rejected");
      return;
    }
    const accepted: PresenceEvent[] = [];
    const refusedSeqs: number[] = [];
    for (const event of decoded.value.events) {
      // Topic ACLs already bind a gateway to its own topic; an event that names another store or
      // gateway is a bug or a forgery and is refused, but counted as done so it cannot block acks.
      if (event.storeId !== storeId || event.gatewayId !== gatewayId) {
        refusedSeqs.push(event.seq);
        this.counters.rejectedEvents++;
        this.counters.rejectedEventsByReason["other-gateway"]++;
        log.warn({ storeId, gatewayId, eventId: event.id }, "event names another store or gateway");
      } else if (!isValidSubjectId(event.subject.kind, event.subject.id)) {
        // An id in the wrong form (uppercase hex, another kind's layout) would never match a
        // registered device and so would silently never trigger anything: refuse it visibly.
        refusedSeqs.push(event.seq);
        this.counters.rejectedEvents++;
        this.counters.rejectedEventsByReason["malformed-subject"]++;
        log.warn({ storeId, gatewayId, eventId: event.id, kind: event.subject.kind }, "event subject id is malformed");
      } else {
        accepted.push(event);
      }
    }
    const result = await this.options.events.storeBatch({
      storeId,
      gatewayId,
      outbox: decoded.value.outbox,
      fromSeq: decoded.value.fromSeq,
      events: accepted,
      refusedSeqs,
      receivedAt: clock.now(),
    });
    this.counters.batches++;
    this.counters.eventsStored += result.inserted.length;
    this.counters.duplicates += result.duplicates;
    // Committed events go to the rules engine now, whether or not the ack below gets out: the
    // gateway's re-send would only bring duplicates, which are never decided again.
    if (result.inserted.length > 0) this.options.onStored(result.inserted);
    await this.options.bus.publish(
      gatewayTopic(storeId, gatewayId, "ack"),
      encodeMessage({ v: 1, outbox: decoded.value.outbox, upToSeq: result.ackSeq }),
      { qos: 1, retain: false },
    );
    log.debug(
      { storeId, gatewayId, stored: result.inserted.length, ackSeq: result.ackSeq },
      "event batch stored",
    );
  }
}
