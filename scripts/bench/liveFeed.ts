/**
 * The live view's cost per stored event, against how many subjects are present in the zone.
 * Run: `npx tsx scripts/bench/liveFeed.ts` (add `--rounds N`, default 5; `--events N` per round,
 * default 50 000).
 *
 * Workload: one store, one zone, N subjects present (entered, within the presence TTL), then dwell
 * events of present subjects in ingest-sized batches of 500 (what a committed ingest group hands
 * the feed), timestamps one millisecond apart so nobody expires mid-run; every 20th event is an exit
 * followed by an enter of a new subject, so the set of present subjects turns over but keeps its
 * size. Events are built before timing; a round runs `--events` of them through `eventsStored` and
 * waits for the feed to apply them. We report the median µs/event of the rounds.
 */

import { cpus, platform, release } from "node:os";
import { parseArgs } from "node:util";
import { LiveFeed } from "../../cloud/src/services/LiveFeed.js";
import type { Logger } from "../../cloud/src/services/ports.js";
import type { StoredEvent } from "../../cloud/src/services/repositories.js";

const BATCH = 500;
const T0 = Date.parse("2026-03-03T10:00:00.000Z");

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "5" }, events: { type: "string", default: "50000" } },
});
const ROUNDS = Number(values.rounds);
const EVENTS = Number(values.events);

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
};

let seq = 0;
function event(type: StoredEvent["type"], subjectId: string, at: number): StoredEvent {
  seq++;
  return {
    id: `ev-${seq}`,
    seq,
    type,
    storeId: "s1",
    zoneId: "z1",
    gatewayId: "g1",
    subject: { kind: "ibeacon", id: subjectId },
    at: new Date(at).toISOString(),
    visitId: `visit-${subjectId}`,
    userId: null,
    receivedAt: at,
    ...(type === "dwell" ? { dwellMs: 60_000 } : {}),
  } as StoredEvent;
}

/** Microseconds per event with `present` subjects in the zone, median of ROUNDS rounds. */
async function measure(present: number): Promise<number> {
  let nowMs = T0;
  const feed = new LiveFeed({ clock: { now: () => nowMs }, log: silent, orgOfStore: async () => "o1" });
  let applied = 0;
  feed.subscribe(() => applied++);
  const feedBatch = async (events: StoredEvent[]): Promise<void> => {
    const target = applied + 1;
    feed.eventsStored(events);
    while (applied < target) await new Promise((r) => setImmediate(r));
  };

  const subjects: string[] = [];
  let nextSubject = 0;
  const enters: StoredEvent[] = [];
  for (let i = 0; i < present; i++) {
    const id = `subject-${nextSubject++}`;
    subjects.push(id);
    enters.push(event("enter", id, nowMs));
  }
  for (let i = 0; i < enters.length; i += BATCH) await feedBatch(enters.slice(i, i + BATCH));

  const results: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Built before timing: the same shape every round, fresh subjects for the turnover.
    const batches: StoredEvent[][] = [];
    let batch: StoredEvent[] = [];
    let t = nowMs;
    for (let i = 0; i < EVENTS; i++) {
      t++;
      const slot = (i * 7919) % subjects.length;
      if (i % 20 === 19) {
        batch.push(event("exit", subjects[slot] as string, t));
        const id = `subject-${nextSubject++}`;
        subjects[slot] = id;
        batch.push(event("enter", id, t));
        i++;
      } else {
        batch.push(event("dwell", subjects[slot] as string, t));
      }
      if (batch.length >= BATCH) {
        batches.push(batch);
        batch = [];
      }
    }
    if (batch.length > 0) batches.push(batch);
    const count = batches.reduce((sum, b) => sum + b.length, 0);

    const started = process.hrtime.bigint();
    for (const b of batches) {
      nowMs = Date.parse(b[b.length - 1]?.at ?? "") || nowMs;
      await feedBatch(b);
    }
    const elapsedUs = Number(process.hrtime.bigint() - started) / 1000;
    results.push(elapsedUs / count);
    const shown = feed.snapshot({ orgId: "o1", storeId: null }).stores[0]?.zones[0]?.present.length;
    if (shown !== present) throw new Error(`expected ${present} present, the view shows ${shown}`);
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)] as number;
}

const out = (line: string): boolean => process.stdout.write(`${line}\n`);
out(`LiveFeed.applyEvent: node ${process.version}, ${platform()} ${release()}, ${cpus()[0]?.model ?? "?"}`);
out(`${ROUNDS} rounds of ${EVENTS} events in batches of ${BATCH}; median µs/event`);
for (const present of [100, 10_000]) {
  const us = await measure(present);
  out(`${String(present).padStart(6)} present: ${us.toFixed(2)} µs/event`);
}
