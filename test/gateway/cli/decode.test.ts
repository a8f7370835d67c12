import { PassThrough, Writable } from "node:stream";
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { decodeAdvertHex, parseAdvertHex, runDecode } from "../../../gateway/src/cli/decode.js";

const IBEACON = "0201061aff4c000215f7826da64fa24e988024bc5b71e0893e0102fffec5";
const EID = "0d16aafe30f40123456789abcdef";

/** A sink that keeps what was written; `highWaterMark` small to exercise backpressure. */
function sink(options: { highWaterMark?: number; slow?: boolean } = {}): Writable & { text(): string } {
  const chunks: string[] = [];
  const writable = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString("utf8"));
      if (options.slow === true) setImmediate(callback);
      else callback();
    },
  });
  return Object.assign(writable, { text: () => chunks.join("") });
}

function jsonLines(text: string): unknown[] {
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as unknown);
}

async function decodeStdin(text: string): Promise<{ code: number; lines: unknown[] }> {
  const input = new PassThrough();
  const output = sink();
  input.end(text);
  const code = await runDecode([], input, output);
  return { code, lines: jsonLines(output.text()) };
}

describe("parseAdvertHex", () => {
  it.each([
    ["020106", "020106"],
    ["02 01 06", "020106"],
    ["02:01:06", "020106"],
    ["0x020106", "020106"],
    ["0X02 0x01 0x06", "020106"],
    ["  02 01\t06  ", "020106"],
    ["AbCdEf", "abcdef"],
  ])("%j -> %s", (text, expected) => {
    const data = parseAdvertHex(text);
    expect(data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(data as Uint8Array).toString("hex")).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["0x", "empty"],
    ["hello", "not hex"],
    ["02 01 0g", "not hex"],
    ["02-01-06", "not hex"],
    ["0x0x02", "not hex"],
    ["020", "odd number of hex digits"],
  ])("%j -> %s", (text, error) => {
    expect(parseAdvertHex(text)).toBe(error);
  });
});

describe("decodeAdvertHex", () => {
  it("decodes a beacon into the DecodedBeacon JSON shape", () => {
    expect(decodeAdvertHex(IBEACON)).toEqual({
      format: "ibeacon",
      id: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:258:65534",
      uuid: "f7826da6-4fa2-4e98-8024-bc5b71e0893e",
      major: 258,
      minor: 65534,
      measuredPower: -59,
    });
  });

  it("reports adverts that are not beacons", () => {
    expect(decodeAdvertHex("020106")).toEqual({ format: null, id: null, error: "no beacon" });
  });
});

describe("runDecode", () => {
  it("decodes each argument as one advert", async () => {
    const output = sink();
    const code = await runDecode([IBEACON, "nonsense", EID], new PassThrough(), output);
    expect(code).toBe(0);
    expect(jsonLines(output.text())).toEqual([
      expect.objectContaining({ format: "ibeacon", major: 258 }),
      { format: null, id: null, error: "not hex" },
      expect.objectContaining({ format: "eddystone-eid", id: "eddystone-eid:0123456789abcdef" }),
    ]);
  });

  it("ignores standard input when arguments are given", async () => {
    const input = new PassThrough();
    input.end(`${EID}\n`);
    const output = sink();
    await runDecode([IBEACON], input, output);
    expect(jsonLines(output.text())).toHaveLength(1);
  });

  it("reads one advert per line from standard input, one JSON line out per line in", async () => {
    const { code, lines } = await decodeStdin(
      [
        IBEACON,
        "0x0d 16 aa fe 30 f4 01 23 45 67 89 ab cd ef",
        "0d:16:aa:fe:30:f4:01:23:45:67:89:ab:cd:ef",
        "",
        "garbage!",
        "123",
        "02 01 06",
        "1aff4c00",
      ].join("\n"),
    );
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.objectContaining({ format: "ibeacon" }),
      expect.objectContaining({ format: "eddystone-eid" }),
      expect.objectContaining({ format: "eddystone-eid" }),
      { format: null, id: null, error: "empty" },
      { format: null, id: null, error: "not hex" },
      { format: null, id: null, error: "odd number of hex digits" },
      { format: null, id: null, error: "no beacon" },
      { format: null, id: null, error: "no beacon" },
    ]);
  });

  it("accepts CRLF line ends and a missing final newline", async () => {
    const { lines } = await decodeStdin(`${IBEACON}\r\n${EID}`);
    expect(lines).toEqual([
      expect.objectContaining({ format: "ibeacon" }),
      expect.objectContaining({ format: "eddystone-eid" }),
    ]);
  });

  it("prints nothing for empty input", async () => {
    const input = new PassThrough();
    const output = sink();
    input.end();
    expect(await runDecode([], input, output)).toBe(0);
    expect(output.text()).toBe("");
  });

  it("exits 0 on binary garbage", async () => {
    const input = new PassThrough();
    const output = sink();
    input.end(Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x80, 0x0d, 0x0a]));
    expect(await runDecode([], input, output)).toBe(0);
    expect(jsonLines(output.text())).toEqual([
      { format: null, id: null, error: "not hex" },
      { format: null, id: null, error: "not hex" },
    ]);
  });

  it("streams: answers a line before the input ends", async () => {
    const input = new PassThrough();
    const output = sink();
    const done = runDecode([], input, output);
    input.write(`${IBEACON}\n`);
    for (let i = 0; i < 50 && output.text() === ""; i++) await tick();
    expect(jsonLines(output.text())).toEqual([expect.objectContaining({ format: "ibeacon" })]);
    input.end(`${EID}\n`);
    expect(await done).toBe(0);
    expect(jsonLines(output.text())).toHaveLength(2);
  });

  it("keeps order and completeness through a slow output (backpressure)", async () => {
    const count = 20_000;
    const input = new PassThrough();
    const output = sink({ highWaterMark: 256, slow: true });
    let drains = 0;
    output.on("drain", () => drains++);
    const done = runDecode([], input, output);
    for (let i = 0; i < count; i++) {
      const minor = (i % 65536).toString(16).padStart(4, "0");
      input.write(`${IBEACON.slice(0, -6)}${minor}c5\n`);
    }
    input.end();
    expect(await done).toBe(0);
    const lines = jsonLines(output.text()) as { minor: number }[];
    expect(lines).toHaveLength(count);
    expect(lines.every((line, i) => line.minor === i % 65536)).toBe(true);
    expect(drains).toBeGreaterThan(0);
  });

  it("stops with 0 when the reader goes away (decode | head)", async () => {
    const input = new PassThrough();
    const output = new Writable({
      highWaterMark: 64,
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const done = runDecode([], input, output);
    for (let i = 0; i < 100; i++) input.write(`${IBEACON}\n`);
    input.end();
    expect(await done).toBe(0);
  });

  it("rejects on other output errors", async () => {
    const output = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("disk full"), { code: "ENOSPC" }));
      },
    });
    const input = new PassThrough();
    const done = runDecode([], input, output);
    for (let i = 0; i < 10; i++) input.write(`${IBEACON}\n`);
    input.end();
    await expect(done).rejects.toThrow("disk full");
  });
});
