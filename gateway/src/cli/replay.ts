import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { formatProblems, type PresenceEvent } from "../../../protocol/index.js";
import { type ReplayStep, ReplayTimeline } from "../adapters/replay/ReplayTimeline.js";
import { type CaptureEntry, readCaptureBatches } from "../adapters/replay/readCapture.js";
import { engineOptions } from "../config/engineOptions.js";
import { type GatewayConfig, loadGatewayConfig } from "../config/loadConfig.js";
import { PresenceEngine } from "../domain/presence/PresenceEngine.js";
import { PresenceError } from "../domain/presence/PresenceError.js";
import type { Logger, ScanSource, UnsequencedEvent } from "../services/ports.js";
import { ScanPipeline } from "../services/ScanPipeline.js";

/** Help text for `arrival-gateway replay`. */
export const REPLAY_USAGE = `Usage: arrival-gateway replay --config FILE --input CAPTURE.jsonl

Runs the gateway's own scan pipeline (decoder, presence engine with the config's zones, tuning and
site) over a capture, as fast as it can, on the capture's timestamps (no wall clock), and prints the
presence events the gateway would publish, one JSON object per line, numbered from seq 1 as the
outbox would. The same capture and config always give the same bytes out.

CAPTURE is JSON Lines, one advert per line:
  {"t": <epoch ms>, "addr": "aa:bb:cc:dd:ee:ff", "rssi": -71, "ad": "<advertising data hex>", "gw": "<gateway id, optional>"}
Bad lines are counted, skipped and reported on stderr at the end. The engine is ticked every whole
second of capture time, and up to the last advert's time, no further: visits still open then get no
exit. See docs/replay.md.

Exit codes: 0 the capture was read (even with bad lines); 2 bad config or unreadable capture.`;

/** How many bad lines are quoted (line number and reason) in the report on stderr. */
export const BAD_LINES_QUOTED = 5;

export interface ReplayStats {
  /** Lines that held an advert. */
  adverts: number;
  /** Lines that were not a capture record (blank lines are not counted). */
  badLines: number;
  /** The first {@link BAD_LINES_QUOTED} bad lines. */
  readonly firstBadLines: { readonly line: number; readonly error: string }[];
  /** Adverts that arrived later than the reorder window allows and were fed out of order. */
  late: number;
  /** Events produced. */
  events: number;
  /** Time of the last advert fed, epoch ms, or null for an empty capture. */
  lastT: number | null;
}

export interface ReplayCaptureOptions {
  /** Stops reading when aborted (the reader of the output went away). */
  readonly signal?: AbortSignal;
  /** See {@link ReplayTimeline}: reorder window, ms. Default 2000. */
  readonly reorderMs?: number;
}

const silentLog: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLog,
};

/** A replay drives the pipeline itself (`onAdvert`, `tick`); the pipeline is never started. */
const idleSource: ScanSource = { start: async () => {}, stop: async () => {} };

/**
 * Replays a capture through the gateway's own pipeline (the {@link ScanPipeline} and a
 * {@link PresenceEngine} built from `config`) and hands the events it decides to `onEvents`, each
 * batch in order, numbered from seq 1 as the outbox would. Reads as the input streams in; waits for
 * `onEvents` between chunks of input, so a slow consumer slows the read instead of filling memory.
 * Throws {@link PresenceError} if the engine rejects the config; rejects if the input fails.
 */
export async function replayCapture(
  config: GatewayConfig,
  input: AsyncIterable<Buffer | string>,
  onEvents: (events: PresenceEvent[]) => void | Promise<void>,
  options: ReplayCaptureOptions = {},
): Promise<ReplayStats> {
  const engine = new PresenceEngine(engineOptions(config));
  const stats: ReplayStats = { adverts: 0, badLines: 0, firstBadLines: [], late: 0, events: 0, lastT: null };
  let pending: PresenceEvent[] = [];
  let seq = 0;
  let now = 0;
  const pipeline = new ScanPipeline({
    storeId: config.storeId,
    gatewayId: config.gatewayId,
    source: idleSource,
    engine,
    clock: { now: () => now },
    log: silentLog,
    // The pipeline calls the sink synchronously, in decision order.
    sink: (events: readonly UnsequencedEvent[]) => {
      for (const event of events) {
        const { id, ...rest } = event;
        pending.push({ id, seq: ++seq, ...rest });
      }
      return Promise.resolve();
    },
  });
  const timeline = new ReplayTimeline({
    ...(options.reorderMs === undefined ? {} : { reorderMs: options.reorderMs }),
    idle: () => engine.trackedSubjects === 0,
  });
  const step = (s: ReplayStep): void => {
    if (s.kind === "tick") {
      now = s.t;
      pipeline.tick(s.t);
    } else {
      now = s.advert.t;
      stats.lastT = s.advert.t;
      pipeline.onAdvert(s.advert);
    }
  };
  const take = (entry: CaptureEntry): void => {
    if ("error" in entry) {
      stats.badLines++;
      if (stats.firstBadLines.length < BAD_LINES_QUOTED) {
        stats.firstBadLines.push({ line: entry.line, error: entry.error });
      }
      return;
    }
    stats.adverts++;
    timeline.push(entry.advert, step);
  };
  const hand = async (): Promise<void> => {
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    stats.events += events.length;
    await onEvents(events);
  };

  for await (const batch of readCaptureBatches(input)) {
    if (options.signal?.aborted === true) break;
    for (const entry of batch) take(entry);
    await hand();
  }
  if (options.signal?.aborted !== true) {
    timeline.finish(step);
    await hand();
  }
  stats.late = timeline.late;
  return stats;
}

/**
 * `arrival-gateway replay --config FILE --input CAPTURE.jsonl`: the events the gateway would publish
 * for a capture, as JSON lines on `output`; problems on `errors`. Returns the exit code: 0 once the
 * capture was read (bad lines are reported on `errors` at the end, with the first line numbers), 2
 * for a config that does not validate (every problem with its path) or a capture that cannot be read.
 * Stops early, still with 0, if the output goes away (`replay ... | head`).
 */
export async function runReplay(
  options: { configPath: string; inputPath: string },
  deps: { output: NodeJS.WritableStream; errors: NodeJS.WritableStream },
): Promise<number> {
  const { output, errors } = deps;
  const say = (text: string): void => {
    errors.write(`${text}\n`);
  };

  const loaded = await loadGatewayConfig(options.configPath);
  if (!loaded.ok) {
    say(`replay: ${options.configPath} is not a valid gateway config:\n${formatProblems(loaded.problems)}`);
    return 2;
  }
  try {
    new PresenceEngine(engineOptions(loaded.config));
  } catch (err) {
    if (!(err instanceof PresenceError)) throw err;
    say(`replay: ${options.configPath}: the presence engine rejects it:\n${err.problems.join("\n")}`);
    return 2;
  }

  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(options.inputPath, "r");
  } catch (err) {
    say(`replay: cannot read ${options.inputPath}: ${(err as Error).message}`);
    return 2;
  }
  const input = createReadStream(options.inputPath, { fd: handle, highWaterMark: 1 << 20 });
  let inputError: unknown;
  input.on("error", (err) => {
    inputError ??= err;
  });

  const abort = new AbortController();
  let outputError: Error | undefined;
  const onError = (err: Error): void => {
    outputError ??= err;
    abort.abort();
  };
  const onClose = (): void => abort.abort();
  output.on("error", onError);
  output.on("close", onClose);

  let stats: ReplayStats;
  try {
    stats = await replayCapture(
      loaded.config,
      input,
      async (events) => {
        if (abort.signal.aborted) return;
        let text = "";
        for (const event of events) text += `${JSON.stringify(event)}\n`;
        if (!output.write(text)) await drained(output, abort.signal);
      },
      { signal: abort.signal },
    );
    if (!abort.signal.aborted) await flushed(output, abort.signal);
  } catch (err) {
    if (err === inputError) {
      say(`replay: cannot read ${options.inputPath}: ${(err as Error).message}`);
      return 2;
    }
    throw err;
  } finally {
    input.destroy();
    output.off("error", onError);
    output.off("close", onClose);
  }
  if (outputError !== undefined && !isGoneOutput(outputError)) throw outputError;

  if (stats.badLines > 0) {
    const quoted = stats.firstBadLines.map((b) => `  line ${b.line}: ${b.error}`).join("\n");
    const more =
      stats.badLines > stats.firstBadLines.length
        ? `\n  ... and ${stats.badLines - stats.firstBadLines.length} more`
        : "";
    say(
      `replay: ${stats.badLines} bad line${stats.badLines === 1 ? "" : "s"} skipped in ${options.inputPath} (${stats.adverts} adverts read):\n${quoted}${more}`,
    );
  }
  if (stats.late > 0) {
    say(
      `replay: ${stats.late} advert${stats.late === 1 ? " was" : "s were"} more than 2 s out of timestamp order and fed late`,
    );
  }
  return 0;
}

/** Resolves when `output` can take more, or the run was aborted. */
function drained(output: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      output.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    output.on("drain", done);
    signal.addEventListener("abort", done);
  });
}

/** Resolves once everything written so far has been handed on (or the run was aborted). */
function flushed(output: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done);
    // An empty write's callback runs after every earlier chunk, with an error if the stream failed.
    output.write("", () => done());
  });
}

/** The reader went away (EPIPE) or the stream was destroyed under us: nobody is left to tell. */
function isGoneOutput(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
}
