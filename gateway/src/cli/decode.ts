import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import { type DecodedBeacon, decodeAdvertisement } from "../domain/advert/index.js";

/** Help text for `arrival-gateway decode`. */
export const DECODE_USAGE = `Usage: arrival-gateway decode [HEX...]

Decodes BLE advertising data (the AD structures [len][type][data]... of an LE advertising
report, as btmon shows them) into beacons: iBeacon, AltBeacon, Eddystone UID/URL/TLM/eTLM/EID.
Each HEX argument is one advert; without arguments, reads one advert per line from standard
input. Hex may contain spaces or colons and a 0x prefix. Prints one JSON object per advert;
adverts that are not beacons or not hex print {"format":null,"id":null,"error":"..."}.
Exit code 0 whatever the input.`;

/** Why a line produced no beacon. Stable strings: scripts may match on them. */
export type DecodeError = "empty" | "not hex" | "odd number of hex digits" | "no beacon";

export interface DecodeFailure {
  readonly format: null;
  readonly id: null;
  readonly error: DecodeError;
}

/** One output line of `decode`: a beacon, or why there is none. */
export type DecodeResult = DecodedBeacon | DecodeFailure;

const HEX_DIGITS = /^[0-9a-fA-F]*$/;

/**
 * Parses one advert written as hex: `02 01 06 1a ff 4c 00 ...`, `02:01:06:...`, `0x020106...` or
 * `0x02 0x01 0x06` (a 0x prefix is dropped from each whitespace- or colon-separated group).
 */
export function parseAdvertHex(text: string): Uint8Array | Exclude<DecodeError, "no beacon"> {
  let digits = "";
  for (const group of text.split(/[\s:]+/)) {
    digits += group.startsWith("0x") || group.startsWith("0X") ? group.slice(2) : group;
  }
  if (digits.length === 0) return "empty";
  if (!HEX_DIGITS.test(digits)) return "not hex";
  if (digits.length % 2 !== 0) return "odd number of hex digits";
  // Buffer.from(hex) is only safe after the checks above: it stops silently at the first bad digit.
  return new Uint8Array(Buffer.from(digits, "hex"));
}

/** Decodes one line of input into what `decode` prints for it. */
export function decodeAdvertHex(text: string): DecodeResult {
  const data = parseAdvertHex(text);
  if (typeof data === "string") return { format: null, id: null, error: data };
  return decodeAdvertisement(data) ?? { format: null, id: null, error: "no beacon" };
}

/**
 * `arrival-gateway decode`: adverts from `args` (one per argument) or, without arguments, from
 * `input` one per line; one JSON object per advert on `output`, in input order. Streams: a line is
 * decoded and written before the next is read, and writing waits for the output to drain, so
 * memory stays flat on captures of any size. Returns the exit code: 0 even for garbage input, which
 * is reported per line. Resolves once the output has taken everything. Stops early, still with 0, if the output goes away (`decode | head`);
 * any other output error rejects.
 */
export async function runDecode(
  args: readonly string[],
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<number> {
  const state: OutputState = { error: undefined, closed: false };
  const onError = (err: Error): void => {
    state.error ??= err;
  };
  const onClose = (): void => {
    state.closed = true;
  };
  output.on("error", onError);
  output.on("close", onClose);
  const batch = batcher(output);
  try {
    const adverts: AsyncIterable<string> | Iterable<string> =
      args.length > 0 ? args : createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const advert of adverts) {
      if (state.error !== undefined || state.closed) break;
      batch.beforeWrite();
      const ready = output.write(`${JSON.stringify(decodeAdvertHex(advert))}\n`);
      if (!ready) await drained(output, state);
    }
    batch.flush();
    await written(output, state);
  } finally {
    batch.flush();
    output.off("error", onError);
    output.off("close", onClose);
  }
  if (state.error !== undefined && !isGoneOutput(state.error)) throw state.error;
  return 0;
}

/**
 * Gathers the lines written within one turn of the event loop into one write (cork until the next
 * setImmediate): a capture of 300 000 lines otherwise costs 300 000 write system calls (measured:
 * twice as fast through a pipe). Lines still go out as soon as the input pauses, so interactive use
 * sees each answer at once.
 */
function batcher(output: NodeJS.WritableStream): { beforeWrite(): void; flush(): void } {
  const writable = output as Partial<Pick<Writable, "cork" | "uncork">>;
  const cork = writable.cork;
  const uncork = writable.uncork;
  if (typeof cork !== "function" || typeof uncork !== "function") return { beforeWrite() {}, flush() {} };
  let pending: NodeJS.Immediate | undefined;
  const flush = (): void => {
    if (pending === undefined) return;
    clearImmediate(pending);
    pending = undefined;
    uncork.call(output);
  };
  return {
    beforeWrite() {
      if (pending !== undefined) return;
      cork.call(output);
      pending = setImmediate(flush);
    },
    flush,
  };
}

interface OutputState {
  error: Error | undefined;
  closed: boolean;
}

/** Resolves when `output` can take more, or once it has failed or closed (the loop then stops). */
function drained(output: NodeJS.WritableStream, state: OutputState): Promise<void> {
  if (state.error !== undefined || state.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      output.off("drain", done);
      output.off("error", done);
      output.off("close", done);
      resolve();
    };
    output.on("drain", done);
    output.on("error", done);
    output.on("close", done);
  });
}

/** Resolves once everything written so far has been handed on (or the output failed or closed). */
function written(output: NodeJS.WritableStream, state: OutputState): Promise<void> {
  if (state.error !== undefined || state.closed) return Promise.resolve();
  return new Promise((resolve) => {
    // An empty write's callback runs after every earlier chunk, with an error if the stream failed.
    output.write("", () => resolve());
  });
}

/** The reader went away (EPIPE) or the stream was destroyed under us: nobody is left to tell. */
function isGoneOutput(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
}
