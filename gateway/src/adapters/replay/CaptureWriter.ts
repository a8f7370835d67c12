import { once } from "node:events";
import type { Advert } from "../../services/ports.js";
import { formatCaptureLine } from "./captureLine.js";

/**
 * Writes adverts as a capture (JSON Lines, docs/replay.md) to a stream, gathering lines into chunks
 * of about `chunkChars` and waiting for the stream to drain when it asks to, so a writer of millions
 * of adverts keeps memory flat.
 *
 * `write` returns a promise only when the caller must wait (a chunk went out and the stream is
 * full); a tight loop does `const wait = writer.write(a); if (wait) await wait;`.
 */
export class CaptureWriter {
  private readonly output: NodeJS.WritableStream;
  private readonly chunkChars: number;
  private buffer = "";
  /** Lines written so far. */
  lines = 0;

  constructor(output: NodeJS.WritableStream, options: { chunkChars?: number } = {}) {
    this.output = output;
    this.chunkChars = options.chunkChars ?? 256 * 1024;
  }

  write(advert: Advert): Promise<void> | undefined {
    this.buffer += `${formatCaptureLine(advert)}\n`;
    this.lines++;
    if (this.buffer.length < this.chunkChars) return undefined;
    return this.flush();
  }

  /** Writes what is buffered; resolves when the stream can take more. */
  async flush(): Promise<void> {
    if (this.buffer === "") return;
    const text = this.buffer;
    this.buffer = "";
    if (!this.output.write(text)) await once(this.output, "drain");
  }

  /** Flushes and ends the stream; resolves once it has finished. */
  async end(): Promise<void> {
    await this.flush();
    const finished = once(this.output, "finish");
    this.output.end();
    await finished;
  }
}
