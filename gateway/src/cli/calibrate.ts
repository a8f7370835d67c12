import { copyFile, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { decodeGatewayMessage, formatProblems, type GatewayRemoteConfig } from "../../../protocol/index.js";
import { formatCaptureLine } from "../adapters/replay/captureLine.js";
import {
  formatSurveyHeader,
  formatSurveyStep,
  parseSurvey,
  type SurveyRecording,
  type SurveyStep,
  surveySamples,
} from "../adapters/replay/surveyCapture.js";
import { applySurvey, type SurveyChange } from "../config/applySurvey.js";
import { type GatewayConfig, loadGatewayConfig, parseGatewayConfig } from "../config/loadConfig.js";
import { surveyRecord, surveyRecordPath } from "../config/surveyRecord.js";
import { decodeAdvertisement, subjectOf } from "../domain/advert/index.js";
import { calibrateSurvey, quantile, type SurveyOutcome, type SurveyZone } from "../domain/survey/siteSurvey.js";
import { iBeaconAdvert } from "../adapters/sim/SimWorld.js";
import type { Advert, Clock, ScanSource, SharedSighting, SightingChannel } from "../services/ports.js";

/** Help text for `arrival-gateway calibrate`. */
export const CALIBRATE_USAGE = `Usage: arrival-gateway calibrate [--config FILE] [--beacon SUBJECT] [--record FILE] [--yes]
       arrival-gateway calibrate --config FILE --from SURVEY.jsonl [--dry-run]

The five-minute site survey. Walks you through carrying a reference beacon (or the app's survey
screen) around the edge of each zone of this gateway, standing just inside the door, and
optionally walking the pavement in front of the shop, while the gateway listens through its own
scan source. From what it heard at those known places it learns this gateway's RSSI offset and
each zone's threshold, then writes them into the config file (site.rssiOffsetDb, each zone's
edgeLossDb), keeping the rest of the file as it was and the previous file as FILE.bak. On a gateway
with LAN peers (their service left running) the walk also hears the beacon through their radios,
as does a recording merged from the store's gateways (--from): each zone then gets what every
gateway listed in peers heard of its edge (peerEdges), the reference it pools its evidence against.

  --config FILE      the gateway config (default /etc/arrival-gateway/gateway.json)
  --beacon SUBJECT   the reference beacon's subject id (ibeacon:<uuid>:<major>:<minor>, ...);
                     default: the strongest beacon held against the gateway at the start
  --record FILE      where to record the survey (default DATA_DIR/survey-<time>.jsonl)
  --from FILE        no walk: calibrate from a recorded survey (what --record wrote)
  --dry-run          print what would change, write nothing
  --yes              write without asking

Stop the gateway service first (systemctl stop arrival-gateway): the radio serves one scanner.
When the cloud manages this gateway's zones (remote config), the offset is the file's and stays;
each zone's edgeLossDb is carried onto the cloud's zone of the same id and gateway unless the cloud
sets its own, and is lost if the cloud renames the zone or moves it to another gateway.

Exit codes: 0 written (or --dry-run), 1 the survey was refused or not written, 2 bad options,
config or recording.`;

/** How long each standing step lasts. */
export const DOOR_MS = 30_000;
export const OUTSIDE_MS = 30_000;
const IDENTIFY_MS = 5_000;

/** One lap of a zone's edge at a slow 0.5 m/s, at least 40 s (enough adverts at 1 per second). */
export function edgeWalkMs(radiusM: number): number {
  return Math.max(40_000, Math.ceil((2 * Math.PI * radiusM) / 0.5) * 1000);
}

export interface CalibrateOptions {
  readonly configPath: string;
  /** Calibrate from this recorded survey instead of walking. */
  readonly fromPath?: string;
  readonly beacon?: string;
  readonly recordPath?: string;
  readonly dryRun: boolean;
  readonly yes: boolean;
}

export interface CalibrateDeps {
  /** The gateway's own scan source for this config (noble in the field). */
  readonly createSource: (config: GatewayConfig) => ScanSource;
  readonly clock: Clock;
  /** Waits `ms` of the clock's time. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Whether the output is a terminal (live counters redraw one line). */
  readonly tty: boolean;
  /**
   * The store LAN, for the walk to hear the reference beacon through the peers' radios too (they
   * keep running and share their sightings with this gateway's address); null or absent: this
   * gateway has no LAN peers, and the walk records its own radio only.
   */
  readonly createPeerChannel?: (config: GatewayConfig) => Promise<SightingChannel | null>;
}

const say = (out: NodeJS.WritableStream, text = ""): void => {
  out.write(`${text}\n`);
};

/** Runs `calibrate`; returns the exit code. */
export async function runCalibrate(o: CalibrateOptions, deps: CalibrateDeps): Promise<number> {
  // The input is read only when a question is asked: a recorded survey with --yes reads none.
  let answers: Answers | null = null;
  const session: Session = { ...deps, answers: () => (answers ??= new Answers(deps.input)) };
  try {
    return await calibrate(o, session);
  } finally {
    (answers as Answers | null)?.close();
  }
}

/** The dependencies, and the operator's answers. */
type Session = CalibrateDeps & { readonly answers: () => Answers };

async function calibrate(o: CalibrateOptions, deps: Session): Promise<number> {
  const out = deps.output;
  const loaded = await loadGatewayConfig(o.configPath);
  if (!loaded.ok) {
    say(out, `${o.configPath} is not a valid gateway config:\n${formatProblems(loaded.problems)}`);
    return 2;
  }
  const config = loaded.config;
  const zones = surveyZones(config);
  if (zones.length === 0) {
    say(out, `${o.configPath} has no gateway-radius zone around ${config.gatewayId}: nothing to survey.`);
    return 2;
  }
  await warnIfRemote(config, zones, out);

  let recording: SurveyRecording;
  if (o.fromPath !== undefined) {
    let text: string;
    try {
      text = await readFile(o.fromPath, "utf8");
    } catch (err) {
      say(out, `cannot read ${o.fromPath}: ${(err as Error).message}`);
      return 2;
    }
    const parsed = parseSurvey(text);
    if (parsed.recording === null) {
      say(out, `${o.fromPath} is not a survey recording: ${parsed.problems.join("; ")}`);
      return 2;
    }
    if (parsed.problems.length > 0)
      say(out, `${parsed.problems.length} bad line(s) skipped: ${parsed.problems.slice(0, 3).join("; ")}`);
    recording = parsed.recording;
  } else {
    const walked = await walk(config, zones, o, deps);
    if (walked === null) return 1;
    recording = walked;
  }

  // A recording that holds the peers' sightings too (merged from the store's gateways) also measures
  // what each of them hears of this gateway's zones, for the pooled test; the walk, on this radio
  // alone, measures this gateway only.
  const peers = config.peers.filter((p) => p.id !== config.gatewayId);
  const outcome = calibrateSurvey(surveySamples(recording, config.gatewayId), zones, {
    pathLossExponent: config.presenceTuning.pathLossExponent,
    peerIds: peers.map((p) => p.id),
    offsetsDb: Object.fromEntries(peers.map((p) => [p.id, p.rssiOffsetDb])),
  });
  if (!outcome.ok) {
    say(out, `Survey refused: ${outcome.message}`);
    say(out, "Nothing was written; the config is as it was.");
    return 1;
  }
  report(outcome, out);
  // Dated by the walk, not by when it was written: a recorded survey applied later keeps its day.
  const walkedAt = Math.max(...recording.steps.map((s) => s.to));
  return write(o, outcome, Number.isFinite(walkedAt) ? walkedAt : deps.clock.now(), deps);
}

/** The config's `gateway-radius` zones around this gateway: the ones a survey here can calibrate. */
function surveyZones(config: GatewayConfig): SurveyZone[] {
  const out: SurveyZone[] = [];
  for (const z of config.zones)
    if (z.shape === "gateway-radius" && z.gatewayId === config.gatewayId)
      out.push({ id: z.id, gatewayId: z.gatewayId, radiusM: z.radiusM });
  return out;
}

/** Says what a remote config managing this gateway does to the survey, before the walk. */
async function warnIfRemote(config: GatewayConfig, zones: readonly SurveyZone[], out: NodeJS.WritableStream): Promise<void> {
  let remote: GatewayRemoteConfig;
  try {
    const decoded = decodeGatewayMessage("config", await readFile(join(config.dataDir, "remote-config.json"), "utf8"));
    if (!decoded.ok) return;
    remote = decoded.value;
  } catch {
    return;
  }
  say(out, `Note: the cloud manages this gateway's zones (remote config revision ${remote.revision}).`);
  say(out, "  The offset is the file's and stays. Each zone's threshold is carried onto the cloud's zone of");
  say(out, "  the same id and gateway; a zone the cloud renames or moves needs a new survey.");
  for (const z of zones) {
    const theirs = remote.zones.find((r) => r.id === z.id);
    if (theirs === undefined) say(out, `  Zone ${z.id} is not in the cloud's zones: the gateway does not use it now.`);
    else if (theirs.shape !== "gateway-radius" || theirs.gatewayId !== z.gatewayId)
      say(out, `  Zone ${z.id} is another shape or gateway in the cloud's zones: the survey will not apply to it.`);
    else if (theirs.edgeLossDb !== undefined)
      say(out, `  Zone ${z.id}: the cloud sets its own edgeLossDb (${theirs.edgeLossDb} dB), which wins over this survey.`);
  }
  say(out);
}

function report(outcome: Extract<SurveyOutcome, { ok: true }>, out: NodeJS.WritableStream): void {
  say(out, "What the survey learned:");
  for (const g of outcome.calibration.gateways)
    say(out, `  gateway ${g.gatewayId}: offset ${g.rssiOffsetDb >= 0 ? "+" : ""}${g.rssiOffsetDb} dB (median of ${g.samples} edge samples)`);
  for (const z of outcome.calibration.zones) {
    const bound = z.bound === null ? "" : `, kept short of the ${z.bound.place} (${z.bound.lossDb} dB)`;
    say(
      out,
      `  zone ${z.zoneId}: edge at ${z.edgeLossDb} dB of path loss (${z.reachM} m as the radio hears it; drawn ${z.drawnLossDb} dB), edge median ${z.edgeMedianLossDb} dB${bound}`,
    );
    for (const p of z.peers)
      say(out, `    pooled with gateway ${p.gatewayId}: its edge at ${p.edgeLossDb} dB (from ${p.samples} samples along the edge)`);
  }
  const { edgeSpreadDb, pooledDepth } = outcome.calibration;
  const pools = outcome.calibration.zones.some((z) => z.peers.length > 0);
  if (pooledDepth !== null)
    say(out, `  the edges spread ${edgeSpreadDb} dB (10-90%): lightly shadowed, the pooled test's depth rule is turned on (${pooledDepth.depthDb} dB, ${pooledDepth.holdMs / 1000} s)`);
  else if (pools)
    say(out, `  the edges spread ${edgeSpreadDb} dB (10-90%): too widely for the pooled test's depth rule, which it would slow shoppers with; the config's presence.enterPooledDepth is left as it is`);
}

async function write(
  o: CalibrateOptions,
  outcome: Extract<SurveyOutcome, { ok: true }>,
  surveyedAt: number,
  deps: Session,
): Promise<number> {
  const out = deps.output;
  const text = await readFile(o.configPath, "utf8");
  const applied = applySurvey(JSON.parse(text) as Record<string, unknown>, outcome.calibration);
  const checked = parseGatewayConfig(applied.document);
  if (!checked.ok) {
    say(out, `The surveyed values do not fit the config schema:\n${formatProblems(checked.problems)}`);
    return 1;
  }
  say(out, "Changes:");
  for (const c of applied.changes) say(out, `  ${describe(c)}`);
  if (o.dryRun) {
    say(out, "Dry run: nothing written.");
    return 0;
  }
  if (!o.yes && !(await confirm(deps, `Write them to ${o.configPath}? [y/N] `))) {
    say(out, "Not written.");
    return 1;
  }
  const mode = (await stat(o.configPath)).mode & 0o777;
  await copyFile(o.configPath, `${o.configPath}.bak`);
  await writeFile(`${o.configPath}.tmp`, `${JSON.stringify(applied.document, null, 2)}\n`, { mode });
  await rename(`${o.configPath}.tmp`, o.configPath);
  // When and from how many samples, beside the config: the gateway reports it to the fleet view.
  const record = surveyRecord(String(applied.document.gatewayId), outcome.calibration, surveyedAt);
  if (record !== null) {
    const recordPath = surveyRecordPath(o.configPath);
    await writeFile(`${recordPath}.tmp`, `${JSON.stringify(record, null, 2)}\n`, { mode });
    await rename(`${recordPath}.tmp`, recordPath);
  }
  say(out, `Written to ${o.configPath} (previous file: ${o.configPath}.bak). Restart the gateway to use it.`);
  if (record !== null) say(out, `The gateway reports this survey to the fleet view (${surveyRecordPath(o.configPath)}).`);
  return 0;
}

const describe = (c: SurveyChange): string =>
  `${c.path}: ${c.before === null ? "(none)" : c.before} -> ${c.after}  (${c.note})`;

/**
 * The operator's answers, one line each, from one reader over the whole session (a reader per
 * question would drop lines typed ahead).
 */
class Answers {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private closed = false;
  private readonly rl;

  constructor(input: NodeJS.ReadableStream) {
    this.rl = createInterface({ input, terminal: false });
    this.rl.on("line", (line) => this.push(line.trim()));
    this.rl.on("close", () => {
      this.closed = true;
      this.push("");
    });
  }

  private push(line: string): void {
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      waiting(line);
    } else if (!this.closed || line !== "") this.lines.push(line);
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closed) return Promise.resolve("");
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    this.rl.close();
  }
}

async function ask(deps: Session, prompt: string): Promise<string> {
  deps.output.write(prompt.endsWith(" ") ? prompt : `${prompt} `);
  return deps.answers().next();
}

async function confirm(deps: Session, prompt: string): Promise<boolean> {
  return /^y(es)?$/i.test(await ask(deps, prompt));
}

/**
 * The interactive walk: identify the beacon, walk each zone's edge, stand at the door, optionally
 * walk the pavement, recording every advert and step to the recording file as it goes. Null when
 * the operator gave up (nothing is written to the config then).
 */
async function walk(
  config: GatewayConfig,
  zones: readonly SurveyZone[],
  o: CalibrateOptions,
  deps: Session,
): Promise<SurveyRecording | null> {
  const out = deps.output;
  const adverts: Advert[] = [];
  const steps: SurveyStep[] = [];
  const source = deps.createSource(config);
  const peerSightings: { readonly sender: string; readonly sighting: SharedSighting }[] = [];
  const channel = (await deps.createPeerChannel?.(config)) ?? null;
  let beacon = o.beacon?.toLowerCase();
  await source.start((advert) => adverts.push(advert));
  try {
    await channel?.start((sender, sightings) => {
      for (const sighting of sightings) peerSightings.push({ sender, sighting });
    });
    say(out, `Site survey of gateway ${config.gatewayId}: about five minutes.`);
    if (channel !== null)
      say(out, "Listening to the peers over the store LAN too: leave their gateway service running.");
    if (beacon === undefined) {
      await ask(deps, "Hold the reference beacon (or the phone with the app's survey screen) against the gateway, then press Enter.");
      const from = deps.clock.now();
      await countdown(deps, IDENTIFY_MS, "listening", () => adverts.length);
      beacon = strongestBeacon(adverts.filter((a) => a.t >= from)) ?? undefined;
      if (beacon === undefined) {
        say(out, "No beacon heard: check that it is on and that the gateway service is stopped, then start again.");
        return null;
      }
    }
    say(out, `Reference beacon: ${beacon}. Hold it in front of you at chest height from now on.`);
    const id = beacon;
    const heardOf = (from: number): (() => number) => () =>
      adverts.filter((a) => a.t >= from && subjectIdOf(a) === id).length;
    for (const zone of zones) {
      say(out);
      const walkMs = edgeWalkMs(zone.radiusM);
      await ask(
        deps,
        `Zone ${zone.id}: go to its edge, ${zone.radiusM} m from the gateway. Press Enter, then walk slowly along the edge (inside the walls) until the countdown ends, about ${Math.round(walkMs / 1000)} s: once round.`,
      );
      const from = deps.clock.now();
      await countdown(deps, walkMs, `edge of ${zone.id}`, heardOf(from));
      steps.push({ place: "edge", zoneId: zone.id, from, to: deps.clock.now() });
    }
    say(out);
    await ask(deps, "Door: stand just inside the entrance. Press Enter, then turn slowly on the spot until the countdown ends.");
    const doorFrom = deps.clock.now();
    await countdown(deps, DOOR_MS, "at the door", heardOf(doorFrom));
    steps.push({ place: "door", from: doorFrom, to: deps.clock.now() });
    say(out);
    if (await confirm(deps, "Outside (optional, recommended with a glass front): walk the pavement in front of the shop? [y/N] ")) {
      await ask(deps, "Go out to the pavement, by the glass. Press Enter, then walk along the shop front until the countdown ends.");
      const from = deps.clock.now();
      await countdown(deps, OUTSIDE_MS, "outside", heardOf(from));
      steps.push({ place: "outside", from, to: deps.clock.now() });
    }
  } finally {
    await channel?.stop();
    await source.stop();
  }
  const id = beacon;
  const heardByPeers = peerSightings.flatMap(({ sender, sighting }) => {
    const advert = peerAdvert(sender, sighting);
    return advert !== null && subjectIdOf(advert) === id ? [advert] : [];
  });
  if (channel !== null) {
    const senders = [...new Set(heardByPeers.map((a) => a.gatewayId))].sort();
    const counts = senders.map((g) => `${g} ${heardByPeers.filter((a) => a.gatewayId === g).length} times`);
    say(
      out,
      senders.length === 0
        ? "No peer heard the reference beacon over the store LAN: the survey measures this gateway only."
        : `Heard through the peers too: ${counts.join(", ")}.`,
    );
  }
  const recording: SurveyRecording = {
    beacon: id,
    steps,
    adverts: [...adverts.filter((a) => subjectIdOf(a) === id), ...heardByPeers].sort((a, b) => a.t - b.t),
  };
  const recordPath = o.recordPath ?? join(config.dataDir, `survey-${new Date(deps.clock.now()).toISOString().replaceAll(":", "-")}.jsonl`);
  await writeFile(
    recordPath,
    [formatSurveyHeader(recording.beacon), ...steps.map(formatSurveyStep), ...recording.adverts.map(formatCaptureLine), ""].join("\n"),
  );
  say(out, `Survey recorded in ${recordPath} (calibrate --from it to redo the arithmetic).`);
  return recording;
}

/**
 * A peer's sighting of an iBeacon as the advert its radio heard, so the recording keeps one form
 * (`gw` names the peer). A peer shares the beacon's identity, RSSI and power, not its bytes; the
 * iBeacon frame is rebuilt from them. Other kinds: null (a reference beacon is an iBeacon).
 */
function peerAdvert(sender: string, s: SharedSighting): Advert | null {
  const m = /^ibeacon:([0-9a-f-]{36}):(\d+):(\d+)$/i.exec(s.subject.id);
  if (m === null || s.measuredPowerDbm === null) return null;
  const [, uuid = "", major = "0", minor = "0"] = m;
  return {
    t: s.t,
    addr: "00:00:00:00:00:00",
    rssi: s.rssiDbm,
    data: iBeaconAdvert(uuid, Number(major), Number(minor), s.measuredPowerDbm),
    gatewayId: sender,
  };
}

function subjectIdOf(advert: Advert): string | null {
  const beacon = decodeAdvertisement(advert.data);
  return beacon === null ? null : (subjectOf(beacon)?.id.toLowerCase() ?? null);
}

/** The subject heard most strongly (median RSSI, at least 3 adverts) in `adverts`, or null. */
export function strongestBeacon(adverts: readonly Advert[]): string | null {
  const bySubject = new Map<string, number[]>();
  for (const a of adverts) {
    const id = subjectIdOf(a);
    if (id === null) continue;
    const list = bySubject.get(id) ?? [];
    list.push(a.rssi);
    bySubject.set(id, list);
  }
  let best: string | null = null;
  let bestRssi = Number.NEGATIVE_INFINITY;
  for (const [id, rssi] of bySubject) {
    if (rssi.length < 3) continue;
    const median = quantile(rssi, 0.5);
    if (median > bestRssi) {
      best = id;
      bestRssi = median;
    }
  }
  return best;
}

/** Waits `ms`, showing the seconds left and a live count once a second. */
async function countdown(deps: Session, ms: number, label: string, count: () => number): Promise<void> {
  for (let left = Math.ceil(ms / 1000); left > 0; left--) {
    const line = `  ${label}: ${left} s left, ${count()} adverts heard`;
    if (deps.tty) deps.output.write(`\r${line}   `);
    else if (left % 10 === 0) say(deps.output, line);
    await deps.sleep(1000);
  }
  if (deps.tty) deps.output.write("\n");
  say(deps.output, `  ${label}: done, ${count()} adverts heard.`);
}
