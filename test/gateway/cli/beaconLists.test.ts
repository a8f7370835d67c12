import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReplay } from "../../../gateway/src/cli/replay.js";
import { engineOptions } from "../../../gateway/src/config/engineOptions.js";
import { parseGatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { PresenceEngine } from "../../../gateway/src/domain/presence/PresenceEngine.js";
import { FLAGS, advert, hex, manufacturer } from "../domain/advert/advertBytes.js";

/** Real iBeacon adverts (room-assistant's test vector: measuredPower -52 dBm) and their subject. */
const vector = (
  JSON.parse(readFileSync(new URL("../../fixtures/ble-adverts.json", import.meta.url), "utf8")) as { id: string; hex: string }[]
).find((v) => v.id === "room-assistant-ibeacon-1");
if (!vector) throw new Error("vector room-assistant-ibeacon-1 is missing");
const AD = hex(advert(FLAGS, manufacturer(vector.hex)));
const SUBJECT = "ibeacon:2f234454-cf6d-4a0f-adf2-f4911ba9ffa6:1:2";
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);

/** The beacon a metre or two from gw-1 for 20 s, one advert a second. */
const CAPTURE = Array.from({ length: 20 }, (_, i) =>
  JSON.stringify({ t: T0 + i * 1000, addr: "02:00:00:00:00:02", rssi: -60, ad: AD }),
);

const config = (beacons: object) => ({
  storeId: "store-1",
  gatewayId: "gw-1",
  mqtt: { url: "mqtt://localhost:1883", username: "gw-1", password: "replay-only" },
  scanner: { source: "replay" },
  zones: [{ id: "door", shape: "gateway-radius", gatewayId: "gw-1", radiusM: 3 }],
  beacons,
});

function sink(): Writable & { text(): string } {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString("utf8"));
      callback();
    },
  });
  return Object.assign(writable, { text: () => chunks.join("") });
}

/**
 * The gateway config's beacon lists and calibration, through `arrival-gateway replay` (the code
 * path a gateway decides with), on real advert bytes.
 */
describe("beacon lists and calibration from the gateway config", () => {
  let dir: string;
  let inputPath: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "beacon-lists-"));
    inputPath = join(dir, "capture.jsonl");
    await writeFile(inputPath, CAPTURE.map((l) => `${l}\n`).join(""));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const replay = async (beacons: object) => {
    const configPath = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(configPath, JSON.stringify(config(beacons)));
    const output = sink();
    const errors = sink();
    const code = await runReplay({ configPath, inputPath }, { output, errors });
    expect(errors.text()).toBe("");
    expect(code).toBe(0);
    return output
      .text()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { type: string; subject: { id: string }; distanceM: number });
  };

  it("enters with the beacon's advertised power when nothing is listed", async () => {
    const events = await replay({});
    expect(events.map((e) => [e.type, e.subject.id])).toEqual([["enter", SUBJECT]]);
    // 10^((-52 - -60) / 22): the beacon's own measuredPower, the default path-loss exponent 2.2.
    expect(events[0]?.distanceM).toBe(2.31);
  });

  it("takes the power at 1 m measured on site from the config", async () => {
    const events = await replay({ calibration: [{ subject: SUBJECT.toUpperCase(), measuredPowerDbm: -60 }] });
    expect(events[0]?.distanceM).toBe(1);
  });

  it("never tracks a denied staff badge, even when its UUID is allowed", async () => {
    const events = await replay({
      allow: [{ match: "ibeacon:2f234454-cf6d-4a0f-adf2-f4911ba9ffa6:*" }],
      deny: [{ match: "ibeacon:2f234454-cf6d-4a0f-adf2-f4911ba9ffa6:1:*", role: "staff", note: "badges" }],
    });
    expect(events).toEqual([]);
  });

  it("lets lists pushed by the cloud replace the file's", async () => {
    const parsed = parseGatewayConfig(config({ deny: [{ match: SUBJECT }] }));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const sighting = (t: number) => ({ t, gatewayId: "gw-1", subject: { kind: "ibeacon" as const, id: SUBJECT }, rssiDbm: -60, measuredPowerDbm: -52 });
    const run = (engine: PresenceEngine) => Array.from({ length: 20 }, (_, i) => engine.observe(sighting(T0 + i * 1000))).flat();
    expect(run(new PresenceEngine(engineOptions(parsed.config)))).toEqual([]);
    const remote = { v: 1 as const, revision: 2, zones: parsed.config.zones, beacons: { deny: [] } };
    expect(run(new PresenceEngine(engineOptions(parsed.config, remote))).map((c) => c.type)).toEqual(["enter"]);
  });

  it("tracks only the allowed when there is an allow list", async () => {
    expect(await replay({ allow: [{ match: "ibeacon:f7826da6-4fa2-4e98-8024-bc5b71e0893e:*" }] })).toEqual([]);
    expect((await replay({ allow: [{ match: SUBJECT }] })).map((e) => e.type)).toEqual(["enter"]);
  });
});
