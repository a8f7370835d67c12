import type { PresenceEvent } from "../../../../protocol/index.js";
import type { SeqRange } from "../../domain/ingest/outboxAck.js";

/** A presence event as stored, with the app user its subject resolved to (if any). */
export interface StoredEvent extends PresenceEvent {
  readonly userId: string | null;
  readonly receivedAt: number;
  /**
   * True when storage kept this event with no user and the subject `unlinked` (the user gave no
   * analytics consent): beyond deciding an offer now, it may be used only in aggregate.
   */
  readonly unlinked?: boolean;
  /**
   * The store visit the event joined (see `domain/visits/storeVisit.ts`): the unit of visit counts
   * and once-per-visit caps. Absent for an event of nobody's, and for a geofence entry found
   * implausible (it never counts).
   */
  readonly storeVisitId?: string;
  /**
   * A phone's geofence entry only: whether the store's gateways saw the user around the fix (its
   * `seenByStoreGateways` signal), null when the store has none; absent on gateway events.
   */
  readonly corroborated?: boolean | null;
}

export interface StoreBatchInput {
  readonly storeId: string;
  readonly gatewayId: string;
  /** The gateway's outbox id: sequences, and so acks, are per outbox. */
  readonly outbox: string;
  readonly fromSeq: number;
  /** Events that passed validation; their seqs count towards the ack. */
  readonly events: readonly PresenceEvent[];
  /** Seqs of events refused (wrong store or gateway); they are done, never stored. */
  readonly refusedSeqs: readonly number[];
  readonly receivedAt: number;
}

export interface StoreBatchResult {
  /** Highest sequence below which every event of this gateway is stored or was refused. */
  readonly ackSeq: number;
  /** Events stored by this call (duplicates of earlier deliveries are not in here). */
  readonly inserted: readonly StoredEvent[];
  readonly duplicates: number;
}

/**
 * Presence events as gateways deliver them. Contract (test/cloud/contracts/eventRepository.contract.ts):
 * - each event id is stored once; a re-sent one counts as a duplicate;
 * - the ack is per (gateway, outbox): the highest sequence below which every event is stored or
 *   refused, starting from `fromSeq - 1` (sequences the gateway evicted); it never covers a gap
 *   (a lost batch), and the stored ack state never moves back;
 * - the ack is computed from what is stored, not from the batch alone (`advanceOutboxAck` in
 *   cloud/src/domain/ingest/outboxAck.ts over the outbox's acked sequence and the ranges done above
 *   it): batches of one outbox stored out of order, by one worker or several, end with the ack
 *   covering all of them once the gap is filled, and the batch that fills it answers that ack;
 * - batches of one outbox are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: the outbox's row
 *   locked FOR UPDATE before its state is read), so two workers storing batches of one outbox at
 *   once each see what the other committed;
 * - a subject resolves to a user of the store's organisation only (registered device, EID, or
 *   `app:<userId>`); without the user's analytics consent the event is kept unlinked;
 * - an event of nobody's subject is stored already decided (not in `undecidedEvents`);
 * - a batch of a gateway not registered in that store is refused whole (throws), storing nothing.
 */
export interface EventRepository {
  storeBatch(input: StoreBatchInput): Promise<StoreBatchResult>;
  /**
   * Several batches in one transaction (group commit), each handled as `storeBatch` would, in the
   * order given (a later batch of an outbox sees the ack an earlier one left); all or nothing.
   */
  storeBatches(inputs: readonly StoreBatchInput[]): Promise<StoreBatchResult[]>;
  /**
   * Events stored but not yet through the rules engine (after a crash), oldest receipt first; an
   * unlinked event comes back with its user and `unlinked: true` until it is decided.
   */
  undecidedEvents(limit: number): Promise<StoredEvent[]>;
  countEvents(): Promise<number>;
  /** The stored ack state of each outbox of one gateway (empty for a gateway never heard). */
  outboxProgress(gatewayId: string): Promise<OutboxProgress[]>;
  /** Outboxes (of every gateway) whose ack waits behind a missing batch: stored ranges above a gap. */
  countOutboxesBehindGap(): Promise<number>;
}

/** The stored ack state of one gateway outbox. */
export interface OutboxProgress {
  readonly outbox: string;
  /** Every sequence up to this one is stored, refused, or below a batch's `fromSeq`. */
  readonly ackedSeq: number;
  /** Sequences stored above the ack behind a gap (a lost batch, or one another worker is storing). */
  readonly pending: readonly SeqRange[];
}

/** Where a page of events or visits starts: strictly after this row in newest-first order. */
export interface ActivityCursor {
  readonly at: number;
  readonly id: string;
}

export interface ActivityQuery {
  readonly storeId: string;
  /** Inclusive lower and exclusive upper bound on the time (event time, visit start), epoch ms. */
  readonly from: number | null;
  readonly to: number | null;
  readonly zoneId: string | null;
  readonly subjectId: string | null;
  readonly userId: string | null;
  readonly limit: number;
  readonly after: ActivityCursor | null;
}

/** A visit as stored: one subject's stay in one zone. */
export interface VisitRecord {
  readonly id: string;
  readonly storeId: string;
  readonly zoneId: string;
  readonly subjectId: string;
  readonly userId: string | null;
  readonly enteredAt: number;
  readonly lastEventAt: number;
  readonly exitedAt: number | null;
  readonly dwellMs: number;
}

/**
 * Presence history of a store, newest first, for the events and visits API. A row names its user
 * (and the `userId` filter finds it) only while the user consents to analytics; otherwise it is
 * listed under its subject id alone.
 */
export interface ActivityRepository {
  eventsPage(query: ActivityQuery & { readonly type: PresenceEvent["type"] | null }): Promise<StoredEvent[]>;
  visitsPage(query: ActivityQuery): Promise<VisitRecord[]>;
}
