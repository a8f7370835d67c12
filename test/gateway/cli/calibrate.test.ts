import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatSurvey, parseSurvey, surveySamples } from "../../../gateway/src/adapters/replay/surveyCapture.js";
import { iBeaconAdvert } from "../../../gateway/src/adapters/sim/SimWorld.js";
import { runCalibrate } from "../../../gateway/src/cli/calibrate.js";
import { engineOptions } from "../../../gateway/src/config/engineOptions.js";
import { parseGatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { readSurveyRecord, surveyRecordPath } from "../../../gateway/src/config/surveyRecord.js";
import { calibrateSurvey } from "../../../gateway/src/domain/survey/siteSurvey.js";
import type { Advert, ScanSource, SharedSighting, SightingChannel } from "../../../gateway/src/services/ports.js";
import type { GatewayRemoteConfig } from "../../../protocol/index.js";
import { simulateStore } from "../../../scripts/sim/simulateStore.js";
import { simulateSurvey } from "../../../scripts/sim/survey.js";

/** The simulated shop's floor gateway, its store zone drawn at its true 5 m, and things to keep. */
function configDocument(dataDir: string): Record<string, unknown> {
  return {
    storeId: "sim-store",
    gatewayId: "gw-floor",
    dataDir,
    mqtt: { url: "mqtts://cloud.example:8883", username: "gw-floor", passwordFile: "/etc/arrival-gateway/password" },
    scanner: { source: "noble", adapter: "hci1" },
    site: { defaultMeasuredPowerDbm: -61 },
    zones: [
      { id: "store", name: "Sales floor", shape: "gateway-radius", gatewayId: "gw-floor", radiusM: 5, exitMarginM: 4 },
      { id: "till", shape: "gateway-radius", gatewayId: "gw-till", radiusM: 2 },
    ],
    presence: { exitAfterMs: 40_000 },
    telemetryIntervalS: 15,
  };
}

/** Collects what is written; `onText` sees each piece as it is written. */
function sink(onText: (text: string) => void = () => {}): NodeJS.WritableStream & { text(): string } {
  const chunks: string[] = [];
  const out = {
    write(chunk: string | Uint8Array): boolean {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      chunks.push(text);
      onText(text);
      return true;
    },
    text: () => chunks.join(""),
  };
  return out as unknown as NodeJS.WritableStream & { text(): string };
}

const noSource = (): ScanSource => {
  throw new Error("the recorded survey must not scan");
};

/** A survey of seed 1's shop (6 dB front, 6 dB shadowing) with every gateway reading 6 dB low, as text. */
function recordedSurvey(): string {
  const sim = simulateStore({ seed: 1, minutes: 1, rate: "1hz", radio: { storefrontDb: 6, gatewayOffsetDb: -6 } });
  return formatSurvey(simulateSurvey(sim.plan, sim.radio, { seed: 1, startAt: sim.startAt }));
}

describe("arrival-gateway calibrate --from", () => {
  let dir: string;
  let configPath: string;
  let surveyPath: string;
  let original: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-calibrate-"));
    configPath = join(dir, "gateway.json");
    surveyPath = join(dir, "survey.jsonl");
    original = `${JSON.stringify(configDocument(dir), null, 2)}\n`;
    await writeFile(configPath, original);
    await writeFile(surveyPath, recordedSurvey());
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (extra: { dryRun?: boolean } = {}) => {
    const output = sink();
    const code = await runCalibrate(
      { configPath, fromPath: surveyPath, dryRun: extra.dryRun ?? false, yes: true },
      { createSource: noSource, clock: { now: () => 0 }, sleep: async () => {}, input: new PassThrough(), output, tty: false },
    );
    return { code, text: output.text() };
  };

  it("writes the offset and the store zone's edge loss, keeps the rest of the file and a backup", async () => {
    const { code, text } = await run();
    expect(code).toBe(0);
    expect(text).toMatch(/gateway gw-floor: offset \+\d+(\.5)? dB/);
    expect(text).toMatch(/Written to .*gateway\.json \(previous file: .*gateway\.json\.bak\)/);

    const written = JSON.parse(await readFile(configPath, "utf8")) as Record<string, unknown>;
    // The same arithmetic as the domain's, on the same recording.
    const parsed = parseSurvey(await readFile(surveyPath, "utf8"));
    if (parsed.recording === null) throw new Error("recording unreadable");
    const expected = calibrateSurvey(
      surveySamples(parsed.recording, "gw-floor"),
      [{ id: "store", gatewayId: "gw-floor", radiusM: 5 }],
      { pathLossExponent: 2.2 },
    );
    if (!expected.ok) throw new Error(expected.message);
    const offset = expected.calibration.gateways[0]?.rssiOffsetDb;
    const edge = expected.calibration.zones[0]?.edgeLossDb;
    // The gateway reads 6 dB low; the survey's offset corrects it (plus the surveyor's body and the
    // gateway's height, which the engine needs corrected too).
    expect(offset).toBeGreaterThanOrEqual(3);
    expect(offset).toBeLessThanOrEqual(12);

    const before = configDocument(dir);
    expect(written).toEqual({
      ...before,
      site: { defaultMeasuredPowerDbm: -61, rssiOffsetDb: offset },
      zones: [
        { ...(before.zones as object[])[0], edgeLossDb: edge },
        // Another gateway's zone: this gateway's survey does not touch it.
        (before.zones as object[])[1],
      ],
    });
    expect(Object.keys(written)).toEqual(Object.keys(before));
    expect(parseGatewayConfig(written).ok).toBe(true);
    expect(await readFile(`${configPath}.bak`, "utf8")).toBe(original);
    // Beside the config, what the gateway reports to the fleet view: dated by the walk's end.
    const walkEnd = Math.max(...parsed.recording.steps.map((s) => s.to));
    expect(JSON.parse(await readFile(join(dir, "gateway.survey.json"), "utf8"))).toEqual({
      v: 1,
      gatewayId: "gw-floor",
      surveyedAt: new Date(walkEnd).toISOString(),
      samples: expected.calibration.gateways[0]?.samples,
      rssiOffsetDb: offset,
      zones: [{ zoneId: "store", edgeLossDb: edge }],
    });
    expect(await readSurveyRecord(surveyRecordPath(configPath))).not.toBeNull();
  });

  it("with --dry-run prints the changes and writes nothing", async () => {
    const { code, text } = await run({ dryRun: true });
    expect(code).toBe(0);
    expect(text).toMatch(/\/site\/rssiOffsetDb: \(none\) -> /);
    expect(text).toMatch(/\/zones\/0\/edgeLossDb: \(none\) -> /);
    expect(await readFile(configPath, "utf8")).toBe(original);
    expect(await readSurveyRecord(surveyRecordPath(configPath))).toBeNull();
  });

  it("refuses a survey without the door, in a sentence, and leaves the file alone", async () => {
    const text = await readFile(surveyPath, "utf8");
    await writeFile(surveyPath, text.split("\n").filter((l) => !l.startsWith('{"step":"door"')).join("\n"));
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/Survey refused: Gateway gw-floor heard the beacon 0 times at the door, 15 are needed/);
    expect(await readFile(configPath, "utf8")).toBe(original);
  });

  it("rejects a file that is not a survey", async () => {
    await writeFile(surveyPath, '{"t":1,"addr":"aa:bb:cc:dd:ee:ff","rssi":-60,"ad":"0201"}\n');
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.text).toMatch(/not a survey recording: no \{"survey"/);
  });

  it("with the store's gateways as peers, writes what each heard of the zone's edge, for the pooled test", async () => {
    // gw-till is a listed peer reading 2 dB high; gw-ghost is heard in the recording but no peer.
    const document = {
      ...configDocument(dir),
      site: { defaultMeasuredPowerDbm: -61, lat: 48.8566853, lon: 2.3522815 },
      peers: [{ id: "gw-till", lat: 48.8567123, lon: 2.3523297, rssiOffsetDb: -2 }],
    };
    await writeFile(configPath, `${JSON.stringify(document, null, 2)}\n`);
    const text = await readFile(surveyPath, "utf8");
    const ghost = text
      .split("\n")
      .filter((l) => l.includes('"gw":"gw-till"'))
      .map((l) => l.replace('"gw":"gw-till"', '"gw":"gw-ghost"'));
    await writeFile(surveyPath, `${text}${ghost.join("\n")}\n`);
    const result = await run();
    expect(result.code, result.text).toBe(0);

    const parsed = parseSurvey(await readFile(surveyPath, "utf8"));
    if (parsed.recording === null) throw new Error("recording unreadable");
    const expected = calibrateSurvey(
      surveySamples(parsed.recording, "gw-floor"),
      [{ id: "store", gatewayId: "gw-floor", radiusM: 5 }],
      { pathLossExponent: 2.2, offsetsDb: { "gw-till": -2 } },
    );
    if (!expected.ok) throw new Error(expected.message);
    const peer = expected.calibration.zones[0]?.peers.find((p) => p.gatewayId === "gw-till");
    expect(peer?.edgeLossDb).toBeGreaterThan(0);
    expect(result.text).toContain(`pooled with gateway gw-till: its edge at ${peer?.edgeLossDb} dB`);
    expect(result.text).not.toContain("gw-ghost");

    const written = JSON.parse(await readFile(configPath, "utf8")) as { zones: Record<string, unknown>[] };
    expect(written.zones[0]?.peerEdges).toEqual([{ gatewayId: "gw-till", edgeLossDb: peer?.edgeLossDb }]);
    // The gateway takes it, and keeps it under a cloud's zones that do not set their own.
    const config = parseGatewayConfig(written);
    if (!config.ok) throw new Error(JSON.stringify(config.problems));
    const remote: GatewayRemoteConfig = {
      v: 1,
      revision: 8,
      zones: [{ id: "store", shape: "gateway-radius", gatewayId: "gw-floor", radiusM: 5 }],
    };
    const store = engineOptions(config.config, remote).zones.find((z) => z.id === "store");
    expect(store && "peerEdges" in store ? store.peerEdges : undefined).toEqual(written.zones[0]?.peerEdges);
    // Seed 1's shop at 6 dB of shadowing: its edge spreads too widely for the depth rule.
    expect(expected.calibration.edgeSpreadDb).toBeGreaterThan(14);
    expect(result.text).toContain(`the edges spread ${expected.calibration.edgeSpreadDb} dB (10-90%): too widely`);
    expect((written as Record<string, unknown>).presence).toEqual(configDocument(dir).presence);
  });

  it("in a lightly shadowed shop whose gateways pool, turns the pooled test's depth rule on", async () => {
    const sim = simulateStore({ seed: 1, minutes: 1, rate: "1hz", radio: { shadowingDb: 3, storefrontDb: 6, gatewayOffsetDb: -6 } });
    await writeFile(surveyPath, formatSurvey(simulateSurvey(sim.plan, sim.radio, { seed: 1, startAt: sim.startAt })));
    const document = {
      ...configDocument(dir),
      site: { defaultMeasuredPowerDbm: -61, lat: 48.8566853, lon: 2.3522815 },
      peers: [{ id: "gw-till", lat: 48.8567123, lon: 2.3523297 }],
    };
    await writeFile(configPath, `${JSON.stringify(document, null, 2)}\n`);
    const result = await run();
    expect(result.code, result.text).toBe(0);
    expect(result.text).toMatch(/the edges spread 1[0-4] dB \(10-90%\): lightly shadowed, the pooled test's depth rule is turned on \(1\.5 dB, 15 s\)/);
    expect(result.text).toContain("/presence/enterPooledDepth/depthDb: (none) -> 1.5");
    const written = JSON.parse(await readFile(configPath, "utf8")) as Record<string, unknown>;
    expect(written.presence).toEqual({ exitAfterMs: 40_000, enterPooledDepth: { depthDb: 1.5, holdMs: 15_000 } });
    const config = parseGatewayConfig(written);
    expect(config.ok && config.config.presenceTuning.enterPooledDepth).toEqual({ depthDb: 1.5, holdMs: 15_000 });
  });

  it("without peers, writes no depth rule however little the edge spreads", async () => {
    const sim = simulateStore({ seed: 1, minutes: 1, rate: "1hz", radio: { shadowingDb: 3, storefrontDb: 6, gatewayOffsetDb: -6 } });
    await writeFile(surveyPath, formatSurvey(simulateSurvey(sim.plan, sim.radio, { seed: 1, startAt: sim.startAt })));
    const result = await run();
    expect(result.code, result.text).toBe(0);
    expect(result.text).not.toContain("depth rule");
    const written = JSON.parse(await readFile(configPath, "utf8")) as Record<string, unknown>;
    expect(written.presence).toEqual({ exitAfterMs: 40_000 });
  });

  it("says when the cloud manages the zones, and the survey outlives a remote config", async () => {
    const remote: GatewayRemoteConfig = {
      v: 1,
      revision: 7,
      zones: [{ id: "store", shape: "gateway-radius", gatewayId: "gw-floor", radiusM: 5 }],
    };
    await writeFile(join(dir, "remote-config.json"), JSON.stringify(remote));
    const { code, text } = await run();
    expect(code).toBe(0);
    expect(text).toMatch(/the cloud manages this gateway's zones \(remote config revision 7\)/);
    const written = parseGatewayConfig(JSON.parse(await readFile(configPath, "utf8")));
    if (!written.ok) throw new Error("written config invalid");
    const store = engineOptions(written.config, remote).zones.find((z) => z.id === "store");
    expect(store && "edgeLossDb" in store ? store.edgeLossDb : undefined).toBeGreaterThan(0);
  });
});

describe("arrival-gateway calibrate, walked", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-calibrate-walk-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("walks the operator through, records the survey and writes what it learned", async () => {
    const configPath = join(dir, "gateway.json");
    await writeFile(configPath, JSON.stringify(configDocument(dir)));
    const reference = iBeaconAdvert("3c1d6b0e-5a2f-4c7e-9b1a-2f8e4d6c0a51", 1, 1, -59);
    const other = iBeaconAdvert("a7ae2eb7-1f00-4168-b99b-a749bac1ca64", 4, 4, -59);
    // Where the operator is, read from the prompts as they appear: that decides what the radio hears.
    let phase: "start" | "edge" | "door" = "start";
    const output = sink((text) => {
      if (text.startsWith("Zone store:")) phase = "edge";
      if (text.startsWith("Door:")) phase = "door";
    });
    let now = Date.UTC(2026, 11, 7, 8, 0, 0);
    let deliver: ((advert: Advert) => void) | null = null;
    const source: ScanSource = {
      start: async (onAdvert) => {
        deliver = onAdvert;
      },
      stop: async () => {
        deliver = null;
      },
    };
    // Each second of the walk: 5 adverts of the reference beacon, one of a shopper's phone.
    const rssiOf = (k: number): number =>
      phase === "start" ? -40 : phase === "edge" ? -80 + ((k % 7) - 3) : -92 + ((k % 5) - 2);
    let k = 0;
    const sleep = async (ms: number): Promise<void> => {
      for (let i = 0; i < 5; i++)
        deliver?.({ t: now + i * 200, addr: "c0:5a:0b:ea:c0:01", rssi: rssiOf(k++), data: reference });
      deliver?.({ t: now, addr: "4a:00:00:00:00:04", rssi: -70, data: other });
      now += ms;
    };
    const input = new PassThrough();
    // Enter (beacon held at the gateway), Enter (edge), Enter (door), no pavement, yes write.
    input.end("\n\n\nn\ny\n");
    const recordPath = join(dir, "survey.jsonl");
    const code = await runCalibrate(
      { configPath, recordPath, dryRun: false, yes: false },
      { createSource: () => source, clock: { now: () => now }, sleep, input, output, tty: false },
    );
    const text = output.text();
    expect(code, text).toBe(0);
    expect(text).toMatch(/Reference beacon: ibeacon:3c1d6b0e-5a2f-4c7e-9b1a-2f8e4d6c0a51:1:1/);
    expect(text).toMatch(/edge of store: done, 315 adverts heard/);
    expect(text).toMatch(/at the door: done, 150 adverts heard/);

    const recorded = parseSurvey(await readFile(recordPath, "utf8"));
    expect(recorded.problems).toEqual([]);
    expect(recorded.recording?.steps.map((s) => s.place)).toEqual(["edge", "door"]);

    const written = JSON.parse(await readFile(configPath, "utf8")) as { site: { rssiOffsetDb: number }; zones: { edgeLossDb?: number }[] };
    // Heard at -80 dBm median where the model says -74.4 at 5 m: the radio reads 5.6 dB low.
    expect(written.site.rssiOffsetDb).toBe(5.5);
    expect(written.zones[0]?.edgeLossDb).toBe(15.5);
  });
  it("hears the reference beacon through the LAN peers too, and writes what they heard of the edge", async () => {
    const configPath = join(dir, "gateway.json");
    const document = {
      ...configDocument(dir),
      site: { lat: 48.8566853, lon: 2.3522815 },
      peers: [{ id: "gw-till", lat: 48.8567123, lon: 2.3523297, rssiOffsetDb: 0, lan: "10.0.0.12:47810" }],
      lan: { keyFile: join(dir, "lan.key") },
    };
    await writeFile(configPath, JSON.stringify(document));
    const uuid = "3c1d6b0e-5a2f-4c7e-9b1a-2f8e4d6c0a51";
    const reference = iBeaconAdvert(uuid, 1, 1, -59);
    let phase: "start" | "edge" | "door" = "start";
    const output = sink((text) => {
      if (text.startsWith("Zone store:")) phase = "edge";
      if (text.startsWith("Door:")) phase = "door";
    });
    let now = Date.UTC(2026, 11, 7, 8, 0, 0);
    let deliver: ((advert: Advert) => void) | null = null;
    let peers: ((sender: string, sightings: readonly SharedSighting[]) => void) | null = null;
    let channelStopped = false;
    const channel: SightingChannel = {
      counters: {} as SightingChannel["counters"],
      start: async (on) => {
        peers = on;
      },
      send: () => {},
      stop: async () => {
        channelStopped = true;
      },
    };
    let k = 0;
    const sleep = async (ms: number): Promise<void> => {
      for (let i = 0; i < 5; i++) {
        const rssi = phase === "start" ? -40 : phase === "edge" ? -80 + ((k % 7) - 3) : -92 + ((k % 5) - 2);
        deliver?.({ t: now + i * 200, addr: "c0:5a:0b:ea:c0:01", rssi, data: reference });
        // gw-till hears the edge 6 dB weaker than this gateway; a staff badge too, which is not the beacon.
        if (phase === "edge")
          peers?.("gw-till", [
            { t: now + i * 200, subject: { kind: "ibeacon", id: `ibeacon:${uuid}:1:1` }, rssiDbm: rssi - 6, measuredPowerDbm: -59 },
            { t: now + i * 200, subject: { kind: "ibeacon", id: `ibeacon:${uuid}:9:9` }, rssiDbm: -50, measuredPowerDbm: -59 },
          ]);
        k++;
      }
      now += ms;
    };
    const input = new PassThrough();
    input.end("\n\n\nn\n");
    const code = await runCalibrate(
      { configPath, recordPath: join(dir, "survey.jsonl"), dryRun: false, yes: true },
      {
        createSource: () => ({
          start: async (onAdvert) => {
            deliver = onAdvert;
          },
          stop: async () => {
            deliver = null;
          },
        }),
        createPeerChannel: async () => channel,
        clock: { now: () => now },
        sleep,
        input,
        output,
        tty: false,
      },
    );
    const text = output.text();
    expect(code, text).toBe(0);
    expect(channelStopped).toBe(true);
    expect(text).toMatch(/Heard through the peers too: gw-till 315 times\./);
    const written = JSON.parse(await readFile(configPath, "utf8")) as { zones: { edgeLossDb?: number; peerEdges?: unknown }[] };
    expect(written.zones[0]?.edgeLossDb).toBe(15.5);
    // gw-till heard the edge at -86 dBm median (6 dB under -80), its offset 0: 27 dB of loss, + 6 dB margin.
    expect(written.zones[0]?.peerEdges).toEqual([{ gatewayId: "gw-till", edgeLossDb: 27 + 6 }]);
    // The recording keeps what the peer heard, as adverts of the beacon, under its gateway id.
    const recorded = parseSurvey(await readFile(join(dir, "survey.jsonl"), "utf8"));
    expect(recorded.recording?.adverts.filter((a) => a.gatewayId === "gw-till")).toHaveLength(315);
  });
});
