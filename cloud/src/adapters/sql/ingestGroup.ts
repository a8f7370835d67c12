import type { PresenceEvent } from "../../../../protocol/index.js";
import { advanceOutboxAck, type OutboxAckState, type SeqRange } from "../../domain/ingest/outboxAck.js";
import type { StoreBatchInput, StoreBatchResult, StoredEvent } from "../../services/repositories.js";
import { chunks, placeholders } from "./multiRow.js";
import type { SharedSqlExecutor, SharedSqlValue } from "./SqlDatabase.js";

/** One gateway outbox, as its two key columns. */
export interface OutboxRef {
  readonly gatewayId: string;
  readonly outbox: string;
}

/** What each backend writes its own way inside an ingest group's transaction `Tx`. */
export interface IngestGroupBackend<Tx extends SharedSqlExecutor> {
  /**
   * The acked sequence of each outbox (`outboxKey`), absent when none is stored. `outboxes` are in
   * key order, each once. PostgreSQL locks the outboxes' rows here (SQLite's transaction already
   * holds the write lock), so two workers storing batches of one outbox take turns.
   */
  readAcks(tx: Tx, outboxes: readonly OutboxRef[]): Promise<Map<string, number>>;
  /**
   * Inserts the events not stored before, each with its receipt time, and returns those inserted
   * (the first of a repeated id), in the order given.
   */
  insertEvents(tx: Tx, events: readonly PresenceEvent[], receivedAts: readonly number[]): Promise<StoredEvent[]>;
}

/**
 * Rows per multi-row statement: 4 parameters a row stays far below SQLite's 32 766 and
 * PostgreSQL's 65 535 parameters.
 */
const ROWS_PER_STATEMENT = 500;

/** The map key of one outbox: its two columns, apart by a character neither may hold. */
export const outboxKey = (gatewayId: string, outbox: string): string => `${gatewayId}\u0000${outbox}`;

function splitOutboxKey(key: string): OutboxRef {
  const at = key.indexOf("\u0000");
  return { gatewayId: key.slice(0, at), outbox: key.slice(at + 1) };
}

/**
 * The acked sequences as they are stored, without a lock: SQLite's ingest transaction holds the
 * database's write lock (BEGIN IMMEDIATE) from its first statement.
 */
export async function readStoredAcks(tx: SharedSqlExecutor, outboxes: readonly OutboxRef[]): Promise<Map<string, number>> {
  const acks = new Map<string, number>();
  for (const part of chunks(outboxes, ROWS_PER_STATEMENT)) {
    const rows = await tx.all<{ gateway_id: string; outbox: string; acked_seq: number }>(
      `SELECT gateway_id, outbox, acked_seq FROM gateway_outboxes WHERE (gateway_id, outbox) IN (VALUES ${placeholders(part.length, 2)})`,
      part.flatMap((o) => [o.gatewayId, o.outbox]),
    );
    for (const row of rows) acks.set(outboxKey(row.gateway_id, row.outbox), row.acked_seq);
  }
  return acks;
}

/**
 * Stores a group of batches inside one transaction, with one statement per table for the whole
 * group rather than one per batch: each statement is a round trip (to sqlite3's worker thread, or
 * to the PostgreSQL server) and the transaction holds its connection and locks meanwhile, so at a
 * thousand events a second in small batches (a gateway publishes every few milliseconds) the
 * per-batch statements made the group commit, and every ack and decision behind it, several times
 * longer than its flush to disk. The outcome is the one of storing the batches one after another:
 * gateways are checked first (one unregistered fails the group, which ingest then stores batch by
 * batch); the first insertion of an event id counts, whichever batch of the group carries it; each
 * batch's ack is advanced in memory in order from the outbox state read once, and the final state
 * written once.
 */
export async function storeIngestGroup<Tx extends SharedSqlExecutor>(
  tx: Tx,
  inputs: readonly StoreBatchInput[],
  backend: IngestGroupBackend<Tx>,
): Promise<StoreBatchResult[]> {
  if (inputs.length === 0) return [];
  await checkGateways(tx, inputs);
  // Any fixed order will do for the locks, as long as every worker uses the same one: the key
  // columns' (binary) order, which the key's separator (below every character) keeps.
  const outboxes = [...new Set(inputs.map((i) => outboxKey(i.gatewayId, i.outbox)))]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(splitOutboxKey);
  const read = await outboxStates(tx, outboxes, await backend.readAcks(tx, outboxes));
  const events = inputs.flatMap((input) => input.events);
  const receivedAts = inputs.flatMap((input) => input.events.map(() => input.receivedAt));
  const inserted = await backend.insertEvents(tx, events, receivedAts);
  const { results, acks, ranges } = settleGroupAcks(inputs, read, inserted);
  // The ack is the contiguous prefix of what is stored, whichever worker stored it: a batch that
  // arrives after a lost one is stored (and its range kept) but does not let the gateway forget the
  // lost one; the batch that fills the gap then acks both.
  for (const part of chunks(acks, ROWS_PER_STATEMENT)) {
    await tx.run(
      `INSERT INTO gateway_outboxes (gateway_id, outbox, acked_seq, updated_at) VALUES ${placeholders(part.length, 4)}
       ON CONFLICT (gateway_id, outbox) DO UPDATE SET acked_seq = excluded.acked_seq, updated_at = excluded.updated_at`,
      part.flatMap((a) => [a.gatewayId, a.outbox, a.ackedSeq, a.at]),
    );
  }
  for (const part of chunks(ranges, ROWS_PER_STATEMENT)) {
    await tx.run(
      `DELETE FROM gateway_outbox_ranges WHERE (gateway_id, outbox) IN (VALUES ${placeholders(part.length, 2)})`,
      part.flatMap((r) => [r.gatewayId, r.outbox]),
    );
  }
  const rangeRows = ranges.flatMap((r) => r.pending.map((p): SharedSqlValue[] => [r.gatewayId, r.outbox, p.lo, p.hi]));
  for (const part of chunks(rangeRows, ROWS_PER_STATEMENT)) {
    await tx.run(`INSERT INTO gateway_outbox_ranges (gateway_id, outbox, lo, hi) VALUES ${placeholders(part.length, 4)}`, part.flat());
  }
  return results;
}

/** What a group leaves to write: each batch's answer, the acks that moved, the ranges that changed. */
export interface GroupAcks {
  readonly results: StoreBatchResult[];
  /** Outboxes whose ack moved: the final ack, at the receipt time of the batch that last moved it. */
  readonly acks: readonly (OutboxRef & { readonly ackedSeq: number; readonly at: number })[];
  /** Outboxes whose ranges above the ack changed, with all their ranges now. */
  readonly ranges: readonly (OutboxRef & { readonly pending: readonly SeqRange[] })[];
}

/**
 * The acks of a group's batches, each advanced in order from the state the batches before it left
 * (`advanceOutboxAck`), as if they had been stored one after another; an inserted event belongs to
 * the first batch that carries its id. Pure: `read` is the stored state of every outbox named.
 */
export function settleGroupAcks(
  inputs: readonly StoreBatchInput[],
  read: ReadonlyMap<string, OutboxAckState>,
  inserted: readonly StoredEvent[],
): GroupAcks {
  const batchOf = new Map<string, number>();
  inputs.forEach((input, k) => {
    for (const event of input.events) if (!batchOf.has(event.id)) batchOf.set(event.id, k);
  });
  const insertedBy = inputs.map((): StoredEvent[] => []);
  for (const event of inserted) insertedBy[batchOf.get(event.id) ?? 0]?.push(event);
  const states = new Map(read);
  const advancedAt = new Map<string, number>();
  const results = inputs.map((input, k): StoreBatchResult => {
    const key = outboxKey(input.gatewayId, input.outbox);
    const state = states.get(key) ?? { ackedSeq: 0, pending: [] };
    const next = advanceOutboxAck({
      state,
      fromSeq: input.fromSeq,
      doneSeqs: [...input.events.map((e) => e.seq), ...input.refusedSeqs],
    });
    states.set(key, next);
    if (next.ackedSeq > state.ackedSeq) advancedAt.set(key, input.receivedAt);
    const stored = insertedBy[k] ?? [];
    return { ackSeq: next.ackedSeq, inserted: stored, duplicates: input.events.length - stored.length };
  });
  const acks = [...advancedAt].map(([key, at]) => ({ ...splitOutboxKey(key), ackedSeq: states.get(key)?.ackedSeq ?? 0, at }));
  const ranges = [...states].flatMap(([key, state]) =>
    sameRanges(read.get(key)?.pending ?? [], state.pending) ? [] : [{ ...splitOutboxKey(key), pending: state.pending }],
  );
  return { results, acks, ranges };
}

/** Throws naming the first batch whose gateway is not registered to its store. */
async function checkGateways(tx: SharedSqlExecutor, inputs: readonly StoreBatchInput[]): Promise<void> {
  const storeOf = new Map<string, string>();
  for (const part of chunks([...new Set(inputs.map((i) => i.gatewayId))], ROWS_PER_STATEMENT)) {
    const rows = await tx.all<{ id: string; store_id: string }>(
      `SELECT id, store_id FROM gateways WHERE id IN (${part.map(() => "?").join(", ")})`,
      part,
    );
    for (const row of rows) storeOf.set(row.id, row.store_id);
  }
  for (const input of inputs)
    if (storeOf.get(input.gatewayId) !== input.storeId)
      throw new Error(`gateway ${input.gatewayId} of store ${input.storeId} is not registered`);
}

/** The stored ack state of every outbox named, keyed by `outboxKey`: its ack and its ranges above it. */
async function outboxStates(
  tx: SharedSqlExecutor,
  outboxes: readonly OutboxRef[],
  acks: ReadonlyMap<string, number>,
): Promise<Map<string, OutboxAckState>> {
  const states = new Map<string, { ackedSeq: number; pending: SeqRange[] }>();
  for (const o of outboxes) {
    const key = outboxKey(o.gatewayId, o.outbox);
    states.set(key, { ackedSeq: acks.get(key) ?? 0, pending: [] });
  }
  for (const part of chunks(outboxes, ROWS_PER_STATEMENT)) {
    const ranges = await tx.all<{ gateway_id: string; outbox: string; lo: number; hi: number }>(
      `SELECT gateway_id, outbox, lo, hi FROM gateway_outbox_ranges WHERE (gateway_id, outbox) IN (VALUES ${placeholders(part.length, 2)})
       ORDER BY gateway_id, outbox, lo`,
      part.flatMap((o) => [o.gatewayId, o.outbox]),
    );
    for (const row of ranges) states.get(outboxKey(row.gateway_id, row.outbox))?.pending.push({ lo: row.lo, hi: row.hi });
  }
  return states;
}

function sameRanges(a: readonly SeqRange[], b: readonly SeqRange[]): boolean {
  return a.length === b.length && a.every((r, i) => r.lo === b[i]?.lo && r.hi === b[i]?.hi);
}
