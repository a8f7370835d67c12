import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CaptureWriter } from "../../../../gateway/src/adapters/replay/CaptureWriter.js";
import { type CaptureEntry, readCapture } from "../../../../gateway/src/adapters/replay/readCapture.js";
import type { Advert } from "../../../../gateway/src/services/ports.js";

const line = (t: number, extra = ""): string =>
  `{"t":${t},"addr":"aa:bb:cc:dd:ee:ff","rssi":-60,"ad":"020106"${extra}}`;

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer | string> {
  for (const part of parts) yield part;
}

async function all(input: AsyncIterable<Buffer | string>, maxLineChars?: number): Promise<CaptureEntry[]> {
  const out: CaptureEntry[] = [];
  for await (const entry of readCapture(input, maxLineChars === undefined ? {} : { maxLineChars }))
    out.push(entry);
  return out;
}

const summary = (entries: CaptureEntry[]): (string | number)[][] =>
  entries.map((e) => ("error" in e ? [e.line, e.error] : [e.line, e.advert.t]));

describe("readCapture", () => {
  it("reads lines split anywhere across chunks, CRLF, blank lines and a missing final newline", async () => {
    const text = `${line(1)}\r\n\n${line(2)}\n   \n${line(3)}`;
    for (let cut = 1; cut < text.length; cut += 7) {
      const entries = await all(chunks(text.slice(0, cut), text.slice(cut)));
      expect(summary(entries)).toEqual([
        [1, 1],
        [3, 2],
        [5, 3],
      ]);
    }
  });

  it("decodes UTF-8 split between chunks (a bad line stays one bad line)", async () => {
    const bytes = Buffer.from(`{"t":1,"addr":"é"}\n${line(2)}\n`);
    const cut = bytes.indexOf(0xc3) + 1;
    const entries = await all(chunks(bytes.subarray(0, cut), bytes.subarray(cut)));
    expect(summary(entries)).toEqual([
      [1, "addr must be aa:bb:cc:dd:ee:ff"],
      [2, 2],
    ]);
  });

  it("reports bad lines with their numbers and goes on", async () => {
    const entries = await all(chunks(`${line(1)}\nnot json\n${line(3).replace("-60", '"x"')}\n${line(4)}\n`));
    expect(summary(entries)).toEqual([
      [1, 1],
      [2, "not JSON"],
      [3, "rssi must be a finite number (dBm)"],
      [4, 4],
    ]);
  });

  it("reports an overlong line without holding it, whatever the chunking", async () => {
    const long = "x".repeat(500);
    const entries = await all(
      chunks(`${line(1)}\n${long.slice(0, 100)}`, long.slice(100), `\n${line(3)}\n`),
      200,
    );
    expect(summary(entries)).toEqual([
      [1, 1],
      [2, "line too long"],
      [3, 3],
    ]);
    expect(summary(await all(chunks(`${line(1)}\n${long}`), 200))).toEqual([
      [1, 1],
      [2, "line too long"],
    ]);
  });

  it("reads back what CaptureWriter wrote", async () => {
    const stream = new PassThrough();
    const writer = new CaptureWriter(stream, { chunkChars: 64 });
    const adverts: Advert[] = Array.from({ length: 50 }, (_, i) => ({
      t: 1000 + i,
      addr: "02:00:00:00:00:01",
      rssi: -40 - i,
      data: new Uint8Array([2, 1, 6, i]),
      ...(i % 2 === 0 ? { gatewayId: "gw-a" } : {}),
    }));
    const read = all(stream);
    for (const a of adverts) {
      const wait = writer.write(a);
      if (wait !== undefined) await wait;
    }
    await writer.end();
    const entries = await read;
    expect(writer.lines).toBe(50);
    expect(entries.map((e) => ("advert" in e ? e.advert : e))).toEqual(adverts);
  });
});
