import { describe, expect, it } from "vitest";
import { advanceOutboxAck, mergeRanges, type OutboxAckState, rangesOf } from "../../../../cloud/src/domain/ingest/outboxAck.js";

const fresh = { ackedSeq: 0, pending: [] };

describe("advanceOutboxAck", () => {
  it.each([
    ["a first batch in order", fresh, 1, [1, 2, 3], 3, []],
    ["a later batch before an earlier one", fresh, 1, [4, 5], 0, [{ lo: 4, hi: 5 }]],
    ["the gap filled, taking in what waited", { ackedSeq: 0, pending: [{ lo: 4, hi: 5 }] }, 1, [1, 2, 3], 5, []],
    ["a gap filled only up to the next gap", { ackedSeq: 0, pending: [{ lo: 3, hi: 3 }, { lo: 6, hi: 9 }] }, 1, [1, 2], 3, [{ lo: 6, hi: 9 }]],
    ["sequences below fromSeq counted as done (evicted)", { ackedSeq: 2, pending: [{ lo: 8, hi: 9 }] }, 7, [7], 9, []],
    ["a stale batch never moves the ack back", { ackedSeq: 10, pending: [] }, 1, [1, 2], 10, []],
    ["a duplicate inside a pending range changes nothing", { ackedSeq: 1, pending: [{ lo: 5, hi: 8 }] }, 2, [6], 1, [{ lo: 5, hi: 8 }]],
    ["ranges merged when a batch bridges them", { ackedSeq: 0, pending: [{ lo: 3, hi: 4 }, { lo: 7, hi: 8 }] }, 1, [5, 6], 0, [{ lo: 3, hi: 8 }]],
  ])("%s", (_name, state, fromSeq, doneSeqs, ackedSeq, pending) => {
    expect(advanceOutboxAck({ state, fromSeq, doneSeqs })).toEqual({ ackedSeq, pending });
  });

  it("ends at the same ack whatever order the batches of an outbox are stored in", () => {
    const batches = [[1, 2], [3, 4, 5], [6], [7, 8, 9, 10]];
    const orders = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ];
    for (const order of orders) {
      let state: OutboxAckState = { ackedSeq: 0, pending: [] };
      const answers: number[] = [];
      for (const k of order) {
        state = advanceOutboxAck({ state, fromSeq: 1, doneSeqs: batches[k] as number[] });
        answers.push(state.ackedSeq);
      }
      expect(state).toEqual({ ackedSeq: 10, pending: [] });
      // No answer ever covers a batch not yet stored.
      order.forEach((_, i) => {
        const stored = new Set(order.slice(0, i + 1).flatMap((k) => batches[k] as number[]));
        for (let seq = 1; seq <= (answers[i] as number); seq++) expect(stored.has(seq)).toBe(true);
      });
    }
  });
});

describe("ranges", () => {
  it("groups runs and merges adjacent and overlapping ranges", () => {
    expect(rangesOf([3, 1, 2, 7, 8, 8, 10])).toEqual([
      { lo: 1, hi: 3 },
      { lo: 7, hi: 8 },
      { lo: 10, hi: 10 },
    ]);
    expect(mergeRanges([{ lo: 5, hi: 9 }, { lo: 1, hi: 4 }, { lo: 6, hi: 12 }, { lo: 14, hi: 14 }])).toEqual([
      { lo: 1, hi: 12 },
      { lo: 14, hi: 14 },
    ]);
  });
});
