/**
 * Rule matching and evaluation: the cloud's `RuleIndex` + `evaluate` beside json-rules-engine 7 on
 * the same live rules and the same events, in one process.
 *
 *   npx tsx scripts/bench/rules.ts [--rules-per-store 20] [--stores 500] [--events 20000]
 *       [--jre-sample 100] [--rounds 3] [--json FILE]
 *
 * Workload (scripts/bench/rulesFixtures.ts, seeded): 500 stores x 4 zones in 5 timezones, 20 rules per
 * store plus 40 zone-tag rules and 10 org-wide rules (10 050 rules), enter and dwell triggers,
 * segments, tiers, local time windows, limits; 20 000 enter/dwell events by 5 000 users over one week.
 *
 * - ours: `new RuleIndex(rules)` once (timed apart), then per event `index.candidates(...)` and
 *   `evaluate({ ..., counters: {}, candidates })`.
 * - json-rules-engine: every rule as conditions over per-event facts (store, zone, tags, trigger,
 *   dwell, local minute of day in the store's timezone, consent, segments, tier), all in one Engine
 *   (it has no index); per event the facts are built (local minute included) and `engine.run(facts)`
 *   awaited. Scope conditions get the highest condition priority, so `all` stops at a store mismatch.
 *   It runs on the first `--jre-sample` events only (10 000 rules per event is slow); ours is timed
 *   on the same sample and on all events.
 *
 * "Matched" = the rule's scope, trigger, schedule, consent, segment and tier conditions hold
 * (eligible before limits). Ours: a candidate whose decision reason is none of the mismatches.
 * json-rules-engine: a rule in `results`. The sets must be equal for every sampled event, or the
 * bench exits 1.
 *
 * Scale: ours again with 40 000 more rules in 2 000 stores that no event visits (50 050 rules); the
 * per-event cost should not move.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Engine } from "json-rules-engine";
import { type Evaluation, evaluate, type NotIssuedReason } from "../../cloud/src/domain/rules/evaluate.js";
import { localParts } from "../../cloud/src/domain/rules/localTime.js";
import type { Rule } from "../../cloud/src/domain/rules/rule.js";
import { RuleIndex } from "../../cloud/src/domain/rules/ruleIndex.js";
import { type BenchEvent, jreFacts, makeEvents, makeRules, makeStores, toJre } from "./rulesFixtures.js";

const out = (line: string): boolean => process.stdout.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    "rules-per-store": { type: "string", default: "20" },
    stores: { type: "string", default: "500" },
    events: { type: "string", default: "20000" },
    "jre-sample": { type: "string", default: "100" },
    rounds: { type: "string", default: "3" },
    json: { type: "string" },
  },
});
const num = (s: string | undefined, name: string): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const PER_STORE = num(values["rules-per-store"], "rules-per-store");
const STORES = num(values.stores, "stores");
const EVENTS = num(values.events, "events");
const SAMPLE = Math.min(num(values["jre-sample"], "jre-sample"), EVENTS);
const ROUNDS = num(values.rounds, "rounds");
const EXTRA = { orgWide: 10, zoneTagOnly: 40 };

const MISMATCH: ReadonlySet<NotIssuedReason> = new Set<NotIssuedReason>([
  "scope-mismatch",
  "trigger-mismatch",
  "outside-schedule",
  "no-marketing-consent",
  "segment-mismatch",
  "tier-mismatch",
]);
/** With empty counters and no cap reached, only these may follow a match. */
const MATCHED = new Set<string>(["eligible", "lower-priority", "held-out"]);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
}

function ours(index: RuleIndex, e: BenchEvent): Evaluation {
  const { event, store, zone, user } = e;
  const candidates = index.candidates({
    storeId: store.id,
    zoneId: zone.id,
    storeTags: store.tags,
    zoneTags: zone.tags,
    trigger: event.type,
  });
  return evaluate({
    event,
    store,
    zone,
    user,
    counters: {},
    userIssuedTodayAllRules: 0,
    orgMaxPerUserPerDay: 3,
    now: event.at,
    candidates,
  });
}

function oursMatched(ev: Evaluation): string[] {
  const ids: string[] = [];
  for (const d of ev.decisions) {
    if (d.outcome !== "not-issued" || !MISMATCH.has(d.reason)) {
      if (!MATCHED.has(d.reason)) throw new Error(`unexpected reason ${d.reason} for ${d.ruleId}`);
      ids.push(d.ruleId);
    }
  }
  return ids.sort();
}

interface OursRun {
  readonly ms: number;
  readonly issued: number;
  readonly candidates: number;
}
function runOurs(index: RuleIndex, events: readonly BenchEvent[]): OursRun {
  let issued = 0;
  let candidates = 0;
  const t0 = performance.now();
  for (const e of events) {
    const ev = ours(index, e);
    candidates += ev.decisions.length;
    if (ev.issued !== null) issued++;
  }
  return { ms: performance.now() - t0, issued, candidates };
}

async function runJre(engine: Engine, events: readonly BenchEvent[]): Promise<{ ms: number; matched: number; ids: string[][] }> {
  let matched = 0;
  const ids: string[][] = [];
  const t0 = performance.now();
  for (const e of events) {
    const facts = jreFacts(e, localParts(e.event.at, e.store.timezone).minuteOfDay);
    const result = await engine.run(facts);
    matched += result.results.length;
    ids.push(result.results.map((r) => r.name).sort());
  }
  return { ms: performance.now() - t0, matched, ids };
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

async function main(): Promise<void> {
  const stores = makeStores(STORES, "s", 1);
  const rules = makeRules(stores, PER_STORE, EXTRA, 2, "r");
  const events = makeEvents(stores, EVENTS, 5000, 3);
  const sample = events.slice(0, SAMPLE);
  // Rules no event can reach: 2 000 other stores at the same density.
  const otherStores = makeStores(STORES * 4, "x", 4);
  const otherRules: Rule[] = makeRules(otherStores, PER_STORE, { orgWide: 0, zoneTagOnly: 0 }, 5, "q");

  out(`rules: ${rules.length} live (${STORES} stores x ${PER_STORE}, ${EXTRA.zoneTagOnly} zone-tag, ${EXTRA.orgWide} org-wide); events: ${EVENTS}; json-rules-engine sample: ${SAMPLE}; rounds: ${ROUNDS}`);
  out(`node ${process.version}, ${process.platform}/${process.arch}`);

  // Build times (median of rounds).
  const indexBuild: number[] = [];
  let index = new RuleIndex(rules);
  for (let i = 0; i < ROUNDS; i++) {
    const t = timed(() => new RuleIndex(rules));
    index = t.value;
    indexBuild.push(t.ms);
  }
  const jreRules = rules.map(toJre);
  const jreBuild: number[] = [];
  let engine = new Engine(jreRules, { allowUndefinedFacts: true });
  for (let i = 0; i < ROUNDS; i++) {
    const t = timed(() => new Engine(jreRules, { allowUndefinedFacts: true }));
    engine = t.value;
    jreBuild.push(t.ms);
  }
  const bigIndex = new RuleIndex([...rules, ...otherRules]);

  // Equivalence on the sample.
  const jreCheck = await runJre(engine, sample);
  let agree = 0;
  const disagreements: string[] = [];
  sample.forEach((e, i) => {
    const a = oursMatched(ours(index, e)).join(",");
    const b = (jreCheck.ids[i] ?? []).join(",");
    if (a === b) agree++;
    else if (disagreements.length < 5) disagreements.push(`${e.event.id}: ours [${a}] json-rules-engine [${b}]`);
  });
  const matchedTotal = jreCheck.ids.reduce((n, ids) => n + ids.length, 0);
  out(`equivalence: ${agree}/${sample.length} events with the same matched rule set (${matchedTotal} matches in all)`);
  if (agree !== sample.length) {
    for (const d of disagreements) console.error(`DISAGREE ${d}`);
    console.error("json-rules-engine and ours disagree: the comparison is void");
    process.exit(1);
  }

  // Warm-up, then rounds; the order alternates per round.
  runOurs(index, events);
  runOurs(bigIndex, events);
  const r = { oursAll: [] as number[], oursSample: [] as number[], oursBig: [] as number[], jre: [] as number[] };
  let issued = 0;
  let candidates = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const jre = async () => r.jre.push((await runJre(engine, sample)).ms / sample.length);
    if (i % 2 === 1) await jre();
    const all = runOurs(index, events);
    issued = all.issued;
    candidates = all.candidates;
    r.oursAll.push(all.ms / events.length);
    r.oursSample.push(runOurs(index, sample).ms / sample.length);
    r.oursBig.push(runOurs(bigIndex, events).ms / events.length);
    if (i % 2 === 0) await jre();
    out(`round ${i + 1}: ours ${(all.ms / events.length * 1000).toFixed(1)} µs/event, json-rules-engine ${((r.jre.at(-1) ?? NaN) * 1000).toFixed(0)} µs/event`);
  }

  const us = (ms: number) => ms * 1000;
  const rows = [
    { name: `ours, ${rules.length} rules, all ${EVENTS} events`, usPerEvent: us(median(r.oursAll)) },
    { name: `ours, ${rules.length} rules, ${SAMPLE}-event sample`, usPerEvent: us(median(r.oursSample)) },
    { name: `ours, ${rules.length + otherRules.length} rules (+${otherRules.length} in unvisited stores), all events`, usPerEvent: us(median(r.oursBig)) },
    { name: `json-rules-engine 7, ${rules.length} rules, ${SAMPLE}-event sample`, usPerEvent: us(median(r.jre)) },
  ];
  const ratio = median(r.jre) / median(r.oursSample);
  out("");
  out("| candidate | µs/event | events/s |");
  out("|---|---:|---:|");
  for (const row of rows) out(`| ${row.name} | ${row.usPerEvent.toFixed(1)} | ${Math.round(1e6 / row.usPerEvent).toLocaleString("en-US")} |`);
  out("");
  out(`json-rules-engine / ours (same ${SAMPLE} events): ${ratio.toFixed(0)}x`);
  out(`build: RuleIndex ${median(indexBuild).toFixed(1)} ms, json-rules-engine Engine ${median(jreBuild).toFixed(1)} ms (${rules.length} rules)`);
  out(`ours: ${(candidates / events.length).toFixed(1)} candidates/event, ${issued} of ${events.length} events issue an offer; json-rules-engine sample: ${(matchedTotal / sample.length).toFixed(2)} matches/event`);

  const json = {
    rules: rules.length,
    events: EVENTS,
    jreSample: SAMPLE,
    rounds: ROUNDS,
    node: process.version,
    equivalence: { agree, of: sample.length },
    medianUsPerEvent: Object.fromEntries(rows.map((row) => [row.name, Number(row.usPerEvent.toFixed(2))])),
    ratioJreOverOurs: Number(ratio.toFixed(1)),
    buildMs: { ruleIndex: Number(median(indexBuild).toFixed(2)), jreEngine: Number(median(jreBuild).toFixed(2)) },
    candidatesPerEvent: Number((candidates / events.length).toFixed(2)),
    issued,
    perRoundUsPerEvent: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.map((x) => Number(us(x).toFixed(2)))])),
  };
  out("");
  out(JSON.stringify(json, null, 2));
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify(json, null, 2)}\n`);
}

await main();
