/**
 * The contiguous ack of one gateway outbox, computed from what storage holds rather than from one
 * process's memory, so that any cloud worker can answer any batch.
 *
 * Storage keeps, per (gateway, outbox), the acked sequence (every sequence up to it is stored,
 * refused, or below a batch's `fromSeq`) and the ranges of sequences done above it but not yet
 * contiguous with it (a batch committed before an earlier one that is lost or still in flight at
 * another worker). Each batch adds its own sequences; the ack then moves through every range that
 * now touches it. A later batch committed first therefore never acks the earlier missing one, and
 * the batch that fills the gap acks everything stored behind it at once, whichever worker stored it.
 * Pure: the storage adapters call it inside the transaction that stores the batch, with the outbox's
 * state read under a lock, so two workers committing batches of one outbox see each other's ranges.
 */

/** Sequences `lo..hi` (inclusive), all done. */
export interface SeqRange {
  readonly lo: number;
  readonly hi: number;
}

export interface OutboxAckState {
  /** Every sequence up to this one is done (0: none yet). */
  readonly ackedSeq: number;
  /** Done sequences above `ackedSeq + 1`, disjoint, not adjacent, ascending. */
  readonly pending: readonly SeqRange[];
}

export interface OutboxAckInput {
  /** The stored state before this batch (`{ ackedSeq: 0, pending: [] }` for a new outbox). */
  readonly state: OutboxAckState;
  /** The batch's `fromSeq`: the gateway holds nothing below it, so everything lower counts as done. */
  readonly fromSeq: number;
  /** Sequences of the batch that are now stored (new or duplicates) or were refused. */
  readonly doneSeqs: readonly number[];
}

/** Sorts, merges overlapping and adjacent ranges. */
export function mergeRanges(ranges: readonly SeqRange[]): SeqRange[] {
  const sorted = [...ranges].sort((a, b) => a.lo - b.lo);
  const out: SeqRange[] = [];
  for (const range of sorted) {
    const last = out.at(-1);
    if (last && range.lo <= last.hi + 1) out[out.length - 1] = { lo: last.lo, hi: Math.max(last.hi, range.hi) };
    else out.push(range);
  }
  return out;
}

/** Runs of consecutive sequences, e.g. [1, 2, 3, 7, 8] → 1..3 and 7..8. */
export function rangesOf(seqs: readonly number[]): SeqRange[] {
  return mergeRanges(seqs.map((seq) => ({ lo: seq, hi: seq })));
}

/**
 * The state after one batch. The ack never moves back and never covers a sequence that is neither
 * done nor below a `fromSeq`. It may go past the batch's own highest sequence when later batches of
 * the outbox are already stored (by this worker or another): the gateway deletes only what it has
 * itself sent (it clamps every ack to that), and what is stored is stored.
 */
export function advanceOutboxAck(input: OutboxAckInput): OutboxAckState {
  let ackedSeq = Math.max(input.state.ackedSeq, input.fromSeq - 1);
  const pending: SeqRange[] = [];
  for (const range of mergeRanges([...input.state.pending, ...rangesOf(input.doneSeqs)])) {
    if (range.hi <= ackedSeq) continue;
    // Sorted and merged: once one range is beyond a gap, so is every later one.
    if (pending.length === 0 && range.lo <= ackedSeq + 1) ackedSeq = range.hi;
    else pending.push(range);
  }
  return { ackedSeq, pending };
}
