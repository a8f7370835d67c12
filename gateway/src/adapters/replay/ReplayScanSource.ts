import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { setTimeout as sleepFor } from "node:timers/promises";
import { type Advert, type Clock, type ScanSource, systemClock } from "../../services/ports.js";
import { readCaptureBatches } from "./readCapture.js";

export interface ReplayScanSourceOptions {
  /** Capture file (JSON Lines, docs/replay.md). */
  readonly path: string;
  /**
   * Playback speed: 1 plays in real time, 10 ten times faster, 0.5 at half speed. > 0, default 1.
   * The presence engine sees the compressed times, so at any speed but 1 a 60 s visit looks like a
   * 60/speed s one: use speeds other than 1 for demos and load tests, and the `replay` command for
   * accurate results.
   */
  readonly speed?: number;
  /** Gateway clock; adverts are re-stamped on it. Default the system clock. */
  readonly clock?: Clock;
  /** Waits `ms` (resolves early, without error, when `signal` aborts). Default a real timer. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Called for each bad line (line number from 1, reason); the line is skipped. */
  readonly onBadLine?: (line: number, error: string) => void;
  /** Called once when the capture has been played to its end (not when stopped early). */
  readonly onEnd?: (stats: { readonly adverts: number; readonly badLines: number }) => void;
  /** Called if reading the capture fails part-way; playback stops. */
  readonly onError?: (err: unknown) => void;
}

const realSleep = async (ms: number, signal: AbortSignal): Promise<void> => {
  try {
    await sleepFor(ms, undefined, { signal });
  } catch {
    // Aborted: the caller checks the signal.
  }
};

/**
 * A capture played back as a scan source, for `scanner.source: "replay"` in a running gateway: each
 * advert is delivered when its offset from the capture's first advert (divided by `speed`) has
 * elapsed on the gateway's clock since `start`, and re-stamped with that time, so the pipeline's
 * wall-clock ticks and the adverts share one timeline. Adverts keep their `gw` (gateway id), so a
 * capture merged from several gateways plays as it was heard. An advert stamped earlier than the
 * previous one is delivered at once (a capture merged from several radios is rarely in perfect order).
 *
 * Streams the file; memory stays flat whatever its size.
 */
export class ReplayScanSource implements ScanSource {
  private readonly o: ReplayScanSourceOptions;
  private readonly speed: number;
  private readonly clock: Clock;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;

  constructor(options: ReplayScanSourceOptions) {
    this.o = options;
    this.speed = options.speed ?? 1;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Opens the capture (rejects if it cannot be opened) and starts playing it. Idempotent. */
  async start(onAdvert: (advert: Advert) => void): Promise<void> {
    if (this.abort !== null) return;
    if (!(Number.isFinite(this.speed) && this.speed > 0)) throw new RangeError("replay speed must be > 0");
    const handle = await open(this.o.path, "r");
    const abort = new AbortController();
    this.abort = abort;
    const input = createReadStream(this.o.path, { fd: handle, highWaterMark: 256 * 1024 });
    this.loop = this.play(input, onAdvert, abort.signal)
      .catch((err: unknown) => {
        if (!abort.signal.aborted) this.o.onError?.(err);
      })
      .finally(() => input.destroy());
  }

  /** Stops playing; resolves once no more adverts will be delivered. Idempotent. */
  async stop(): Promise<void> {
    const abort = this.abort;
    if (abort === null) return;
    abort.abort();
    await this.loop;
    this.abort = null;
    this.loop = null;
  }

  private async play(
    input: AsyncIterable<Buffer>,
    onAdvert: (advert: Advert) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const startedAt = this.clock.now();
    let firstT: number | null = null;
    let adverts = 0;
    let badLines = 0;
    for await (const batch of readCaptureBatches(input)) {
      for (const entry of batch) {
        if (signal.aborted) return;
        if ("error" in entry) {
          badLines++;
          this.o.onBadLine?.(entry.line, entry.error);
          continue;
        }
        const advert = entry.advert;
        firstT ??= advert.t;
        const dueAt = startedAt + Math.round((advert.t - firstT) / this.speed);
        const wait = dueAt - this.clock.now();
        if (wait > 0) await this.sleep(wait, signal);
        if (signal.aborted) return;
        adverts++;
        onAdvert({ ...advert, t: dueAt });
      }
    }
    if (!signal.aborted) this.o.onEnd?.({ adverts, badLines });
  }
}
