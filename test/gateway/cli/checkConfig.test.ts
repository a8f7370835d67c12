import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheckConfig } from "../../../gateway/src/cli/checkConfig.js";
import { exampleConfigs } from "../../firmware-config/exampleConfigs.js";

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..", "..");

async function check(files: readonly string[]): Promise<{ code: number; text: string }> {
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const code = await runCheckConfig(files, output);
  return { code, text };
}

/** The JSON paths of the problems reported for one file, in order. */
function pathsIn(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("  /"))
    .map((line) => line.trim().split(": ")[0] ?? "");
}

const VALID = {
  storeId: "s1",
  gatewayId: "gw-1",
  mqtt: { url: "mqtts://cloud.example.com:8883", username: "gw.s1.gw-1", passwordFile: "/etc/arrival-gateway/mqtt-password" },
  scanner: { source: "noble" },
};

/** Broken configs and every path check-config must name for each (in any order). */
const BAD: { name: string; doc: unknown; paths: string[] }[] = [
  {
    name: "schema and cross-field problems together",
    doc: {
      ...VALID,
      storeId: "bad store",
      colour: "blue",
      mqtt: { url: "http://cloud.example.com", username: "" },
      scanner: { source: "radio", adapter: "bt0" },
      zones: [
        { id: "a", shape: "gateway-radius", gatewayId: "gw-1", radiusM: -1 },
        { id: "a", shape: "polygon", points: [{ lat: 1, lon: 2 }] },
      ],
      telemetryIntervalS: 0,
    },
    paths: [
      "/",
      "/storeId",
      "/mqtt/url",
      "/mqtt/username",
      "/scanner/source",
      "/scanner/adapter",
      "/telemetryIntervalS",
      "/zones/0/radiusM",
      "/zones/1/points",
      "/mqtt",
      "/zones/1/id",
    ],
  },
  {
    name: "a zone of an unknown shape, a lat/lon out of range, a bad presence override",
    doc: {
      ...VALID,
      site: { lat: 91, lon: 0 },
      zones: [
        { id: "x", shape: "square", size: 2 },
        { id: "y", shape: "circle", center: { lat: 0, lon: 181 }, radiusM: 10 },
      ],
      presence: { enterMinSamples: 0 },
    },
    paths: ["/site/lat", "/zones/0/shape", "/zones/1/center/lon", "/presence/enterMinSamples"],
  },
  {
    name: "a zone's own exit margin out of range or mistyped, on each shape",
    doc: {
      ...VALID,
      zones: [
        { id: "till", shape: "gateway-radius", gatewayId: "gw-1", radiusM: 2, exitMarginM: 25 },
        { id: "lot", shape: "circle", center: { lat: 0, lon: 0 }, radiusM: 30, exitMarginM: "2" },
        { id: "floor", shape: "polygon", points: [{ lat: 0, lon: 0 }, { lat: 0, lon: 1 }, { lat: 1, lon: 0 }], exitMarginM: -1 },
      ],
    },
    paths: ["/zones/0/exitMarginM", "/zones/1/exitMarginM", "/zones/2/exitMarginM"],
  },
  {
    name: "required sections missing",
    doc: { storeId: "s1" },
    paths: ["/gatewayId", "/mqtt", "/scanner"],
  },
];

describe("arrival-gateway check-config", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-check-config-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("accepts every example in firmware-config/examples", async () => {
    const examples = await exampleConfigs();
    const { code, text } = await check(examples);
    expect(text.trim().split("\n")).toEqual(examples.map((file) => `${file}: ok`));
    expect(code).toBe(0);
  });

  it.each(BAD)("reports every problem with its path: $name", async ({ doc, paths }) => {
    const file = join(dir, "bad.json");
    await writeFile(file, JSON.stringify(doc, null, 2));
    const { code, text } = await check([file]);
    expect(code).toBe(1);
    expect(text).toContain(`${file}: ${paths.length} problem(s)`);
    expect(pathsIn(text).sort()).toEqual([...paths].sort());
  });

  it("names what is missing when required sections are absent", async () => {
    const file = join(dir, "missing.json");
    await writeFile(file, JSON.stringify({ storeId: "s1" }));
    const { text } = await check([file]);
    expect(text).toMatch(/gatewayId/);
    expect(text).toMatch(/mqtt/);
    expect(text).toMatch(/scanner/);
  });

  it("gives the line and column of a JSON syntax error, and says when a file cannot be read", async () => {
    const file = join(dir, "syntax.json");
    await writeFile(file, '{\n  "storeId": "s1",\n  "gatewayId": "gw-1"\n  "mqtt": {}\n}\n');
    const missing = join(dir, "nope.json");
    const { code, text } = await check([file, missing]);
    expect(code).toBe(1);
    expect(text).toMatch(/is not valid JSON: .*line 4 column 3/);
    expect(text).toContain(`cannot read ${missing}`);
  });

  it("runs from the command line: exit 1 when a file is bad, 2 without a file", async () => {
    const [good] = await exampleConfigs();
    const bad = join(dir, "cli-bad.json");
    await writeFile(bad, JSON.stringify({ ...VALID, mqtt: { url: "mqtt://h:1883", username: "u" } }));
    const cli = (args: string[]) =>
      execFileAsync(process.execPath, ["--import", "tsx", join(ROOT, "gateway/src/main.ts"), "check-config", ...args], {
        cwd: ROOT,
      }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
      );
    const result = await cli([good ?? "", bad]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${good}: ok`);
    expect(result.stdout).toContain(`${bad}: 1 problem(s)\n  /mqtt: needs password, passwordFile or certFile`);
    expect((await cli([])).code).toBe(2);
  });
});
