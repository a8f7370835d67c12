import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { MqttUplinkConnection } from "../../gateway/src/adapters/mqtt/MqttUplinkConnection.js";
import { SqliteOutbox } from "../../gateway/src/adapters/sqlite/SqliteOutbox.js";
import { Relay } from "../../gateway/src/services/Relay.js";
import { encodeMessage, type GatewayStatus, gatewayTopic } from "../../protocol/index.js";
import { createCloudFixture } from "../cloud/cloudFixture.js";
import { freePort } from "../support/freePort.js";
import { RecordingLogger } from "../support/RecordingLogger.js";
import { type BatchRange, TappedConnection } from "../support/TappedConnection.js";
import { TcpProxy } from "../support/TcpProxy.js";
import { TsxChild } from "../support/TsxChild.js";
import { sleep, until } from "../support/until.js";
import {
  cloudAckedSeq,
  cloudRows,
  type EventRow,
  perfect,
  prepareCloudDir,
  range,
  readCloudDir,
  summarise,
  untilStored,
} from "../support/uplinkCloud.js";
import { GATEWAY_ID, STORE_ID, uplinkEvents } from "../support/uplinkEvents.js";
import { startUplinkGateway, uplinkGatewayDocument } from "../support/uplinkGateway.js";

const silent = createLogger({ level: "silent", format: "json", name: "test" });
const EVENTS_TOPIC = gatewayTopic(STORE_ID, GATEWAY_ID, "events");
const STATUS_TOPIC = gatewayTopic(STORE_ID, GATEWAY_ID, "status");
const CONFIG_TOPIC = gatewayTopic(STORE_ID, GATEWAY_ID, "config");

/** Everything an outbox file holds, read from the file itself (after its process is gone). */
async function readOutboxFile(path: string): Promise<{ lastSeq: number; held: EventRow[] }> {
  const outbox = await SqliteOutbox.open({ path, maxRows: Number.MAX_SAFE_INTEGER, maxAgeMs: 1e15 });
  try {
    const held = (await outbox.peek(0, 1_000_000_000)).map((e) => ({ seq: e.seq, id: e.id }));
    return { lastSeq: await outbox.lastAssignedSeq(), held };
  } finally {
    await outbox.close();
  }
}

/**
 * The gateway uplink against the real cloud over TCP (embedded aedes, SQLite), under the faults the
 * issue names: broker down for 30 s (uplinkOutage.test.ts, a file of its own so that its 30 s run
 * beside these), gateway process SIGKILLed, cloud process SIGKILLed between
 * receiving a batch and committing it, the outbox bound, a refused password, remote config. The
 * link-cut run of 10 000 events is in uplink.test.ts.
 */
describe("uplink under faults", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  const later = (cleanup: () => Promise<unknown>): void => {
    cleanups.push(cleanup);
  };
  const tempDir = async (prefix: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), `arrival-${prefix}-`));
    later(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  });

  it("evicts the oldest events beyond outboxMaxRows, counts them, and the cloud's ack moves past the gap", async () => {
    const f = await createCloudFixture();
    later(() => f.close());
    const proxy = new TcpProxy(f.cloud.mqttPort());
    await proxy.start();
    later(() => proxy.stop());
    const creds = await f.cloud.credentials.issueMqtt(
      { role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID },
      "test",
    );
    const log = new RecordingLogger();
    const gateway = await startUplinkGateway(
      {
        dataDir: await tempDir("bound"),
        url: `mqtt://127.0.0.1:${proxy.port}`,
        username: creds.username,
        password: creds.password,
        uplink: { outboxMaxRows: 100 },
      },
      log,
    );
    later(() => gateway.stop());

    await gateway.relay.enqueue(uplinkEvents("bound", 0, 50));
    await until(async () => (await gateway.outbox.stats()).depth === 0, 30_000, "first 50 acked");
    expect(await cloudAckedSeq(f.cloud)).toBe(50);

    // The store keeps producing while the link is down: 200 more events into a 100-row outbox.
    proxy.cut();
    for (let i = 0; i < 20; i++) await gateway.relay.enqueue(uplinkEvents("bound", 50 + i * 10, 10));
    const held = await gateway.outbox.stats();
    expect({ depth: held.depth, lowestSeq: held.lowestSeq, evicted: held.evicted }).toEqual({
      depth: 100,
      lowestSeq: 151,
      evicted: 100,
    });
    const warnings = log.named("outbox bound hit: oldest events evicted");
    expect(warnings.reduce((sum, w) => sum + Number(w.obj.count), 0)).toBe(100);
    expect(new Set(warnings.map((w) => w.obj.reason))).toEqual(new Set(["rows"]));

    proxy.restore();
    await until(async () => (await gateway.outbox.stats()).depth === 0, 30_000, "outbox drained");
    // 51..150 are gone (counted above); the cloud acknowledges past the gap because the batch's
    // fromSeq says everything below 151 is done, so the gateway is not stuck resending.
    expect(summarise(await cloudRows(f.cloud), [...range(1, 50), ...range(151, 250)])).toEqual(
      perfect([...range(1, 50), ...range(151, 250)]),
    );
    expect(await cloudAckedSeq(f.cloud)).toBe(250);
  });

  it("loses nothing when a gateway comes back with an empty outbox under the same identity (a replaced SD card)", async () => {
    const f = await createCloudFixture();
    later(() => f.close());
    const creds = await f.cloud.credentials.issueMqtt(
      { role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID },
      "test",
    );
    const url = `mqtt://127.0.0.1:${f.cloud.mqttPort()}`;
    const before = await startUplinkGateway(
      { dataDir: await tempDir("card1"), url, username: creds.username, password: creds.password },
      silent,
    );
    await before.relay.enqueue(uplinkEvents("card1", 0, 600));
    await until(async () => (await before.outbox.stats()).depth === 0, 30_000, "first card drained");
    await before.stop();
    expect(await cloudAckedSeq(f.cloud)).toBe(600);

    // The new card numbers its events from 1 again; the cloud remembers 600 from the old one. One
    // batch in flight at a time, so events wait in the outbox while the first ack comes back.
    const after = await startUplinkGateway(
      {
        dataDir: await tempDir("card2"),
        url,
        username: creds.username,
        password: creds.password,
        uplink: { maxInflightBatches: 1 },
      },
      silent,
    );
    later(() => after.stop());
    await after.relay.enqueue(uplinkEvents("card2", 0, 300));
    await until(async () => (await after.outbox.stats()).depth === 0, 30_000, "second card drained");
    await after.relay.enqueue(uplinkEvents("card2", 300, 100));
    await until(async () => (await after.outbox.stats()).depth === 0, 30_000, "second card drained again");

    const stored = await f.cloud.repositories.db.all<{ id: string }>(
      "SELECT id FROM presence_events WHERE id LIKE 'card2-%'",
    );
    expect(stored.length).toBe(400);
  });

  it("ignores an ack queued for the gateway's previous outbox when it comes back with a new one", async () => {
    const f = await createCloudFixture();
    later(() => f.close());
    const proxy = new TcpProxy(f.cloud.mqttPort());
    await proxy.start();
    later(() => proxy.stop());
    const creds = await f.cloud.credentials.issueMqtt(
      { role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID },
      "test",
    );
    const options = {
      url: `mqtt://127.0.0.1:${proxy.port}`,
      username: creds.username,
      password: creds.password,
    };
    const log = new RecordingLogger();
    const old = await startUplinkGateway({ ...options, dataDir: await tempDir("old-card") }, log);
    await until(() => log.named("uplink connected").length === 1, 30_000, "old card connected");
    await old.stop();
    // The cloud acknowledged the old card's events after it went away (a power cut with batches in
    // flight): with clean session off the broker keeps that ack for the client id.
    await f.cloud.broker.publish(
      gatewayTopic(STORE_ID, GATEWAY_ID, "ack"),
      encodeMessage({ v: 1, outbox: old.outbox.id, upToSeq: 5000 }),
      { qos: 1, retain: false },
    );

    // The new card has events waiting when it first connects, numbered from 1.
    proxy.cut();
    const fresh = await startUplinkGateway({ ...options, dataDir: await tempDir("new-card") }, log);
    later(() => fresh.stop());
    await fresh.relay.enqueue(uplinkEvents("newcard", 0, 300));
    proxy.restore();
    await until(() => log.named("uplink connected").length === 2, 30_000, "new card connected");
    await until(async () => (await fresh.outbox.stats()).depth === 0, 30_000, "new card drained");
    await fresh.relay.enqueue(uplinkEvents("newcard", 300, 50));
    await until(async () => (await fresh.outbox.stats()).depth === 0, 30_000, "new card drained again");
    expect(summarise(await cloudRows(f.cloud), range(1, 350))).toEqual(perfect(range(1, 350)));
  });

  it("connects without a restart once a refused password is fixed in the passwordFile", async () => {
    const f = await createCloudFixture();
    later(() => f.close());
    const creds = await f.cloud.credentials.issueMqtt(
      { role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID },
      "test",
    );
    const dir = await tempDir("creds");
    const passwordFile = join(dir, "mqtt-password");
    await writeFile(passwordFile, "not-the-password\n");
    const log = new RecordingLogger();
    const gateway = await startUplinkGateway(
      {
        dataDir: join(dir, "gw"),
        url: `mqtt://127.0.0.1:${f.cloud.mqttPort()}`,
        username: creds.username,
        passwordFile,
      },
      log,
    );
    later(() => gateway.stop());
    await gateway.relay.enqueue(uplinkEvents("creds", 0, 20));

    // Refused at least twice: the gateway keeps trying (backoff) with what the file holds.
    await until(() => log.named("uplink error").length >= 2, 30_000, "two refused attempts");
    for (const refusal of log.named("uplink error"))
      expect(String(refusal.obj.err)).toMatch(/bad user ?name or password|not authori[sz]ed/i);
    expect(log.named("uplink connected")).toHaveLength(0);
    expect(await cloudRows(f.cloud)).toHaveLength(0);
    expect(JSON.stringify(log.entries)).not.toContain("not-the-password");

    await writeFile(passwordFile, `${creds.password}\n`);
    await until(async () => (await gateway.outbox.stats()).depth === 0, 30_000, "outbox drained");
    expect(log.named("uplink connected")).toHaveLength(1);
    expect(summarise(await cloudRows(f.cloud), range(1, 20))).toEqual(perfect(range(1, 20)));
  });

  it("reports a rejected remote config on the retained status with its problems and keeps running, and applies a good one", async () => {
    const f = await createCloudFixture();
    later(() => f.close());
    const url = `mqtt://127.0.0.1:${f.cloud.mqttPort()}`;
    const creds = await f.cloud.credentials.issueMqtt(
      { role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID },
      "test",
    );
    const service = await f.cloud.credentials.issueMqtt({ role: "service", name: "observer" }, "test");
    const dataDir = await tempDir("config");
    const log = new RecordingLogger();
    const gateway = await startUplinkGateway(
      { dataDir, url, username: creds.username, password: creds.password },
      log,
    );
    later(() => gateway.stop());
    await until(() => log.named("uplink connected").length === 1, 30_000, "gateway connected");

    // The operator's view: a service identity watching the gateway's retained status.
    const observe = async (clientId: string) => {
      const client = await mqtt.connectAsync(url, {
        clientId,
        username: service.username,
        password: service.password,
        reconnectPeriod: 0,
      });
      later(() => client.endAsync(true));
      const seen: { status: GatewayStatus; retain: boolean }[] = [];
      client.on("message", (_topic, payload, packet) =>
        seen.push({ status: JSON.parse(payload.toString("utf8")) as GatewayStatus, retain: packet.retain }),
      );
      await client.subscribeAsync(STATUS_TOPIC, { qos: 1 });
      return seen;
    };
    const seen = await observe(`${service.username}:watch`);
    const pushConfig = (payload: Buffer) =>
      f.cloud.broker.publish(CONFIG_TOPIC, payload, { qos: 1, retain: true });
    const statusWith = (state: string, revision: number) =>
      until(
        () => seen.some((s) => s.status.config?.state === state && s.status.config.revision === revision),
        30_000,
        `status ${state} revision ${revision}`,
      );
    const remotePath = join(dataDir, "remote-config.json");

    // 1. A config that breaks the schema twice: a negative radius and an unknown field.
    await pushConfig(
      encodeMessage({
        v: 1,
        revision: 2,
        zones: [{ id: "z1", shape: "gateway-radius", gatewayId: GATEWAY_ID, radiusM: -1 }],
        colour: "red",
      }),
    );
    await statusWith("rejected", 2);
    const rejected = seen.find((s) => s.status.config?.state === "rejected")?.status.config;
    const paths = (rejected?.problems ?? []).map((p) => p.path);
    expect(paths.some((p) => p.includes("radiusM"))).toBe(true);
    expect((rejected?.problems ?? []).some((p) => /colour|additional/i.test(`${p.path} ${p.message}`))).toBe(
      true,
    );
    expect(existsSync(remotePath)).toBe(false);
    expect(log.named("remote config applied")).toHaveLength(0);
    // Retained: an operator who looks later still sees the rejection.
    const late = await observe(`${service.username}:late`);
    await until(() => late.length > 0, 30_000, "retained status for a late subscriber");
    expect(late[0]?.retain).toBe(true);
    expect(late[0]?.status.config).toMatchObject({ revision: 2, state: "rejected" });

    // 2. A good one: applied live, kept on disk as the last good config, reported applied.
    const good = {
      v: 1,
      revision: 3,
      zones: [{ id: "z2", shape: "gateway-radius", gatewayId: GATEWAY_ID, radiusM: 5 }],
      presence: { exitAfterMs: 20_000 },
    };
    await pushConfig(encodeMessage(good));
    await statusWith("applied", 3);
    expect(JSON.parse(await readFile(remotePath, "utf8"))).toEqual(good);
    expect(log.named("remote config applied").map((e) => e.obj)).toMatchObject([{ revision: 3, zones: 1 }]);

    // 3. Not even JSON (a retained message every restart would see again): reported, not applied,
    // and the gateway stays up and keeps relaying.
    await pushConfig(Buffer.from("zones: all of them"));
    await statusWith("rejected", 0);
    expect(JSON.parse(await readFile(remotePath, "utf8"))).toEqual(good);
    // 4. Valid for the schema, refused by the presence engine (two zones with one id): rejected too.
    await pushConfig(
      encodeMessage({
        v: 1,
        revision: 4,
        zones: [
          { id: "z2", shape: "gateway-radius", gatewayId: GATEWAY_ID, radiusM: 5 },
          { id: "z2", shape: "gateway-radius", gatewayId: GATEWAY_ID, radiusM: 8 },
        ],
      }),
    );
    await statusWith("rejected", 4);
    const refused = seen.find((s) => s.status.config?.revision === 4)?.status.config;
    expect(refused?.problems?.some((p) => p.message.includes("duplicate id"))).toBe(true);
    expect(JSON.parse(await readFile(remotePath, "utf8"))).toEqual(good);

    await gateway.relay.enqueue(uplinkEvents("config", 0, 5));
    await until(async () => (await gateway.outbox.stats()).depth === 0, 30_000, "events after a bad config");
    expect(await cloudRows(f.cloud)).toHaveLength(5);
  });

  it("keeps the outcome of the last remote config on the retained status across a reconnect and a restart", async () => {
    const f = await createCloudFixture();
    later(() => f.close());
    const proxy = new TcpProxy(f.cloud.mqttPort());
    await proxy.start();
    later(() => proxy.stop());
    const url = `mqtt://127.0.0.1:${f.cloud.mqttPort()}`;
    const creds = await f.cloud.credentials.issueMqtt(
      { role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID },
      "test",
    );
    const service = await f.cloud.credentials.issueMqtt({ role: "service", name: "observer" }, "test");
    const options = {
      dataDir: await tempDir("status"),
      url: `mqtt://127.0.0.1:${proxy.port}`,
      username: creds.username,
      password: creds.password,
    };
    const log = new RecordingLogger();
    let gateway = await startUplinkGateway(options, log);
    later(() => gateway.stop());
    await until(() => log.named("uplink connected").length === 1, 30_000, "gateway connected");

    /** What an operator who looks now sees: the retained status, through a fresh subscription. */
    let looks = 0;
    const retainedStatus = async (): Promise<GatewayStatus | undefined> => {
      const client = await mqtt.connectAsync(url, {
        clientId: `${service.username}:look${++looks}`,
        username: service.username,
        password: service.password,
        reconnectPeriod: 0,
      });
      try {
        const first = new Promise<GatewayStatus>((resolve) =>
          client.once("message", (_t, payload) =>
            resolve(JSON.parse(payload.toString("utf8")) as GatewayStatus),
          ),
        );
        await client.subscribeAsync(STATUS_TOPIC, { qos: 1 });
        return await Promise.race([first, sleep(2000).then(() => undefined)]);
      } finally {
        await client.endAsync(true);
      }
    };

    await f.cloud.broker.publish(
      CONFIG_TOPIC,
      encodeMessage({
        v: 1,
        revision: 7,
        zones: [{ id: "z7", shape: "gateway-radius", gatewayId: GATEWAY_ID, radiusM: 4 }],
      }),
      { qos: 1, retain: true },
    );
    await until(async () => (await retainedStatus())?.config?.state === "applied", 30_000, "config applied");

    // A link cut: the gateway reconnects and announces itself online again.
    proxy.cut();
    await sleep(300);
    proxy.restore();
    await until(() => log.named("uplink connected").length === 2, 30_000, "gateway reconnected");
    await sleep(500);
    expect((await retainedStatus())?.config).toEqual({ revision: 7, state: "applied" });

    // A restart: the config comes back from disk, and the status says so.
    await gateway.stop();
    gateway = await startUplinkGateway(options, log);
    await until(() => log.named("uplink connected").length === 3, 30_000, "gateway restarted");
    await sleep(500);
    expect(await retainedStatus()).toMatchObject({
      state: "online",
      config: { revision: 7, state: "applied" },
    });
  });

  it(
    "loses nothing when the gateway process is killed with SIGKILL in mid-flow and restarted",
    { timeout: 240_000 },
    async () => {
      const f = await createCloudFixture();
      later(() => f.close());
      const creds = await f.cloud.credentials.issueMqtt(
        { role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID },
        "test",
      );
      const dir = await tempDir("sigkill-gw");
      const passwordFile = join(dir, "mqtt-password");
      await writeFile(passwordFile, creds.password);
      const configFile = join(dir, "gateway.json");
      const dataDir = join(dir, "gw");
      await writeFile(
        configFile,
        JSON.stringify(
          uplinkGatewayDocument({
            dataDir,
            url: `mqtt://127.0.0.1:${f.cloud.mqttPort()}`,
            username: creds.username,
            passwordFile,
          }),
        ),
      );
      const runGateway = (tag: string, total: number, chunk: number, intervalMs: number): TsxChild => {
        const child = new TsxChild("test/support/gatewayChild.ts", [
          "--config",
          configFile,
          "--tag",
          tag,
          "--total",
          String(total),
          "--chunk",
          String(chunk),
          "--interval-ms",
          String(intervalMs),
        ]);
        later(() => child.kill("SIGKILL"));
        return child;
      };

      // Three times: run, let events flow into the cloud, SIGKILL, read what the outbox had committed.
      // Up to 4 000 events/s are produced, more than the uplink carries here, so a backlog builds up
      // and the kill always finds events committed and not yet acknowledged, some of them in flight.
      const kills: { lastSeq: number; held: EventRow[] }[] = [];
      for (const tag of ["kill1", "kill2", "kill3"]) {
        const storedBefore = (await cloudRows(f.cloud)).length;
        const child = runGateway(tag, 1_000_000, 20, 5);
        await child.waitForLine((l) => l.includes('"ready"'), 60_000, "gateway ready");
        await untilStored(f.cloud, storedBefore + 300, 60_000);
        expect(await child.kill("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
        const snapshot = await readOutboxFile(join(dataDir, "outbox.db"));
        // Killed with events committed to the outbox and not yet acknowledged by the cloud.
        expect(snapshot.held.length).toBeGreaterThan(0);
        kills.push(snapshot);
      }

      // A last run produces a little more, drains the outbox and stops cleanly.
      const last = runGateway("final", 500, 10, 10);
      await last.waitForLine(
        (l) => {
          const s = JSON.parse(l) as { done?: boolean; depth?: number };
          return s.done === true && s.depth === 0;
        },
        120_000,
        "final run drained",
      );
      expect(await last.kill("SIGTERM")).toEqual({ code: 0, signal: null });

      const end = await readOutboxFile(join(dataDir, "outbox.db"));
      expect(end.held).toEqual([]);
      const n = end.lastSeq;
      const rows = await cloudRows(f.cloud);
      expect(summarise(rows, range(1, n))).toEqual(perfect(range(1, n)));
      expect(await cloudAckedSeq(f.cloud)).toBe(n);
      // Every event a killed process had committed is in the cloud, under the same sequence.
      const idBySeq = new Map(rows.map((r) => [r.seq, r.id]));
      for (const kill of kills) {
        expect(kill.lastSeq).toBeLessThanOrEqual(n);
        expect(kill.held.filter((r) => idBySeq.get(r.seq) !== r.id)).toEqual([]);
      }
    },
  );

  it(
    "loses nothing when the cloud process is killed between receiving a batch and committing it",
    { timeout: 240_000 },
    async () => {
      const dir = await tempDir("sigkill-cloud");
      const cloudDir = join(dir, "cloud");
      const { gateway: creds } = await prepareCloudDir(cloudDir, silent);
      const ports = { mqttPort: await freePort(), httpPort: await freePort() };
      // A commit delay holds each batch uncommitted for a while after its PUBACK, so a kill on the
      // PUBACK lands in the window every time instead of racing an fsync of a millisecond or two.
      const configFile = join(dir, "cloud.json");
      await writeFile(configFile, JSON.stringify({ ingest: { commitDelayMs: 300 } }));
      const runCloud = (): TsxChild => {
        const child = new TsxChild("cloud/src/main.ts", [
          "--config",
          configFile,
          "--data-dir",
          cloudDir,
          "--http-port",
          String(ports.httpPort),
          "--mqtt-port",
          String(ports.mqttPort),
          "--log-level",
          "warn",
        ]);
        later(() => child.kill("SIGKILL"));
        return child;
      };
      let cloud = runCloud();

      // The gateway in this process, so the test sees each PUBACK as it arrives.
      const outbox = await SqliteOutbox.open({
        path: join(dir, "outbox.db"),
        maxRows: 1_000_000,
        maxAgeMs: 3_600_000,
      });
      const connection = new TappedConnection(
        new MqttUplinkConnection({
          url: `mqtt://127.0.0.1:${ports.mqttPort}`,
          username: creds.username,
          password: creds.password,
          keepaliveS: 5,
          backoff: { initialMs: 100, maxMs: 1000 },
          will: { topic: STATUS_TOPIC, payload: encodeMessage({ v: 1, state: "offline" }) },
          log: silent,
        }),
        EVENTS_TOPIC,
      );
      const relay = new Relay({
        storeId: STORE_ID,
        gatewayId: GATEWAY_ID,
        version: "test",
        outbox,
        connection,
        clock: { now: () => Date.now() },
        log: silent,
        batchSize: 100,
        maxInflightBatches: 4,
        ackTimeoutMs: 2000,
      });
      await relay.start();
      later(() => outbox.close());
      later(() => relay.stop());

      let produced = 0;
      let producing = true;
      const producer = (async () => {
        while (producing) {
          await relay.enqueue(uplinkEvents("cloudkill", produced, 20));
          produced += 20;
          await sleep(10);
        }
      })();
      later(() => {
        producing = false;
        return producer;
      });

      // SIGKILL the cloud the instant a PUBACK arrives. The cloud process has received the batch:
      // aedes writes the PUBACK of a QoS 1 PUBLISH as soon as it has read it, before it hands it to
      // subscribers (aedes lib/handlers/publish.js), and ingest then holds it for the commit delay,
      // so the process dies before that batch is committed. Whether it
      // did is read back from the cloud's database after the kill, and the kill is repeated until
      // it has happened twice. This hits the window without a test hook in the cloud.
      const kills: { batch: BatchRange; committed: boolean }[] = [];
      for (let attempt = 0; attempt < 10 && kills.filter((k) => !k.committed).length < 2; attempt++) {
        await until(() => connection.connected, 60_000, "gateway connected to the cloud");
        const batch = await Promise.race([
          connection.nextPuback(),
          sleep(60_000).then(() => {
            throw new Error("no PUBACK within 60 s");
          }),
        ]);
        await cloud.kill("SIGKILL");
        const stored = new Set((await readCloudDir(cloudDir)).rows.map((r) => r.seq));
        kills.push({ batch, committed: range(batch.first, batch.last).every((seq) => stored.has(seq)) });
        cloud = runCloud();
      }
      expect(kills.filter((k) => !k.committed).length).toBeGreaterThanOrEqual(2);

      producing = false;
      await producer;
      await until(async () => (await outbox.stats()).depth === 0, 120_000, "outbox drained");
      const n = await outbox.lastAssignedSeq();
      expect(n).toBe(produced);
      const final = await readCloudDir(cloudDir);
      // On failure, which batches the kills landed on says where a loss began.
      const story = `kills at PUBACK of ${JSON.stringify(kills)}; cloud acked ${final.ackedSeq} of ${n}`;
      expect(summarise(final.rows, range(1, n)), story).toEqual(perfect(range(1, n)));
      expect(final.ackedSeq, story).toBe(n);
    },
  );
});
