import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { promisify } from "node:util";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSocket } from "node:dgram";
import { chmod } from "node:fs/promises";
import { inspectLanKeyFile, probeUdpBind, resolvePeerHost } from "../../../gateway/src/adapters/lan/lanProbes.js";
import { probeBroker } from "../../../gateway/src/adapters/mqtt/probeBroker.js";
import { HealthFile } from "../../../gateway/src/adapters/system/HealthFile.js";
import { inspectOutbox } from "../../../gateway/src/adapters/sqlite/inspectOutbox.js";
import { SqliteOutbox } from "../../../gateway/src/adapters/sqlite/SqliteOutbox.js";
import { probeAdapterState } from "../../../gateway/src/adapters/noble/NobleScanSource.js";
import { bluetoothAdapters, diskSpace } from "../../../gateway/src/adapters/system/systemProbes.js";
import {
  checkAdapter,
  checkAdvertising,
  checkBroker,
  checkCapabilities,
  checkClock,
  checkDisk,
  checkLan,
  checkOutbox,
  diagnose,
  type LanFacts,
  type DoctorCheck,
  type DoctorProbes,
  runDoctor,
} from "../../../gateway/src/cli/doctor.js";
import { loadGatewayConfig } from "../../../gateway/src/config/loadConfig.js";
import { type CloudFixture, createCloudFixture } from "../../cloud/cloudFixture.js";
import { freePort } from "../../support/freePort.js";
import { uplinkEvents } from "../../support/uplinkEvents.js";

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..", "..");
const CAP_NET_ADMIN = 1n << 12n;
const CAP_NET_RAW = 1n << 13n;

describe("doctor's checks", () => {
  it("fails without an adapter and says how to get one", () => {
    const check = checkAdapter("hci0", [], null);
    expect(check.status).toBe("fail");
    expect(check.detail).toMatch(/no Bluetooth adapter/);
    expect(check.fix).toMatch(/dtoverlay=disable-bt/);
  });

  it("names the adapters there are, blocked radios, and noble's verdict", () => {
    expect(checkAdapter("hci1", [{ name: "hci0" }], null)).toMatchObject({
      status: "fail",
      fix: "set scanner.adapter to one of hci0",
    });
    expect(checkAdapter("hci0", [{ name: "hci0", softBlocked: true }], null)).toMatchObject({
      status: "fail",
      fix: "sudo rfkill unblock bluetooth",
    });
    expect(checkAdapter("hci0", [{ name: "hci0" }], { ok: true, state: "up" }).status).toBe("ok");
    // No adapter listed, and the kernel refused the Bluetooth socket: said as such, not as a missing adapter.
    const kernel = checkAdapter("hci0", [], { ok: false, code: "NO_ADAPTER", message: "This system has no Bluetooth support (EAFNOSUPPORT from socket): …", noKernelBluetooth: true });
    expect(kernel).toMatchObject({ status: "fail", detail: expect.stringMatching(/^this kernel has no Bluetooth support/), fix: expect.stringMatching(/^This system has no Bluetooth support/) });
    // Without that signal (noble not installed, say) the missing-adapter advice stays.
    expect(checkAdapter("hci0", [], { ok: false, code: "NOBLE_NOT_INSTALLED", message: "install it" }).fix).toMatch(/dtoverlay=disable-bt/);
    const off = checkAdapter("hci0", [{ name: "hci0" }], { ok: false, code: "ADAPTER_POWERED_OFF", message: "power it on" });
    expect(off).toMatchObject({ status: "fail", fix: "power it on" });
  });

  it("sees the BLE capabilities in the process or on the node binary", () => {
    expect(checkCapabilities(CAP_NET_ADMIN | CAP_NET_RAW, "/usr/bin/node", null).status).toBe("ok");
    const missing = checkCapabilities(CAP_NET_RAW, "/usr/bin/node", "");
    expect(missing.status).toBe("warn");
    expect(missing.fix).toMatch(/setcap cap_net_raw,cap_net_admin\+eip/);
    expect(checkCapabilities(0n, "/usr/bin/node", "cap_net_admin,cap_net_raw=eip").detail).toMatch(/does not hold them/);
  });

  it("says whether the store beacon can be advertised, and what it could not check without a command", () => {
    const adapterOk: DoctorCheck = { name: "adapter", status: "ok", detail: "hci0 present and up" };
    const ok = checkAdvertising("noble", "hci0", adapterOk, { ok: true }, CAP_NET_ADMIN | CAP_NET_RAW);
    expect(ok.status).toBe("ok");
    expect(ok.detail).toMatch(/^hci0: a raw HCI socket opens and this process holds CAP_NET_RAW\nnot checked: whether the controller accepts/);
    expect(ok.detail).toMatch(/advertising: failed, with the controller's answer/);
    // No CAP_NET_RAW: the socket opens, but the kernel would refuse the LE commands.
    expect(checkAdvertising("noble", "hci0", adapterOk, { ok: true }, CAP_NET_ADMIN)).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/lacks CAP_NET_RAW/),
      fix: expect.stringMatching(/AmbientCapabilities/),
    });
    expect(checkAdvertising("noble", "hci0", adapterOk, { ok: true }, null).status).toBe("warn");
    // The adapter is unusable: advertising fails with the adapter's fix, no socket tried.
    const adapterFail: DoctorCheck = { name: "adapter", status: "fail", detail: "hci0 present, but: ADAPTER_POWERED_OFF", fix: "sudo hciconfig hci0 up" };
    expect(checkAdvertising("noble", "hci0", adapterFail, null, CAP_NET_RAW)).toEqual({
      name: "advertising",
      status: "fail",
      detail: "hci0 cannot advertise the store beacon: see the adapter check",
      fix: "sudo hciconfig hci0 up",
    });
    expect(checkAdvertising("noble", "hci0", adapterOk, { ok: false, code: "NOBLE_NOT_INSTALLED", message: "npm rebuild" }, CAP_NET_RAW)).toMatchObject({
      status: "fail",
      detail: "hci0: no raw HCI socket to advertise with: NOBLE_NOT_INSTALLED",
      fix: "npm rebuild",
    });
    // Without a radio the beacon is recorded, never on air: nothing to check.
    expect(checkAdvertising("sim", "hci0", adapterFail, null, null)).toMatchObject({ status: "ok", detail: expect.stringMatching(/scanner.source is sim/) });
  });

  it("tells synchronised, unsynchronised and unknown clocks apart", () => {
    expect(checkClock(true).status).toBe("ok");
    expect(checkClock(false)).toMatchObject({ status: "warn", fix: expect.stringMatching(/timedatectl set-ntp true/) });
    expect(checkClock(null).detail).toMatch(/^unknown/);
  });

  it("has a fix for each way the broker connection fails", () => {
    const failures = ["dns", "tcp", "tls", "auth", "refused", "timeout", "credentials", "error"] as const;
    const fixes = failures.map((failure) => checkBroker("mqtts://cloud.example:8883", { ok: false, failure, message: "x" }));
    expect(fixes.every((c) => c.status === "fail" && (c.fix ?? "").length > 20)).toBe(true);
    expect(new Set(fixes.map((c) => c.fix)).size).toBe(failures.length);
    expect(fixes[0]?.fix).toContain("the name cloud.example does not resolve");
    expect(fixes[1]?.fix).toContain("nothing answers at cloud.example:8883");
  });

  it("warns on a backlog that is old or near the bound, and fails on a damaged outbox", () => {
    const now = 1_800_000_000_000;
    expect(checkOutbox("/d/outbox.db", { depth: 3, oldestInsertedAt: now - 60_000, integrity: ["ok"] }, now, 1000).status).toBe("ok");
    expect(checkOutbox("/d/outbox.db", { depth: 3, oldestInsertedAt: now - 3_600_000, integrity: ["ok"] }, now, 1000).detail).toMatch(
      /oldest 60 min old: the uplink is not delivering/,
    );
    expect(checkOutbox("/d/outbox.db", { depth: 950, oldestInsertedAt: now, integrity: ["ok"] }, now, 1000).status).toBe("warn");
    expect(checkOutbox("/d/outbox.db", { depth: 0, oldestInsertedAt: null, integrity: ["*** in database main ***"] }, now, 1000).status).toBe("fail");
    expect(checkOutbox("/d/outbox.db", "missing", now, 1000).status).toBe("ok");
  });

  it("grades free disk space", () => {
    const gib = 1024 ** 3;
    expect(checkDisk({ path: "/d", availableBytes: 10 * gib, totalBytes: 32 * gib }).status).toBe("ok");
    expect(checkDisk({ path: "/d", availableBytes: 300 * 1024 ** 2, totalBytes: 32 * gib }).status).toBe("warn");
    expect(checkDisk({ path: "/d", availableBytes: 10 * 1024 ** 2, totalBytes: 32 * gib })).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/journalctl --vacuum-size/),
    });
  });
});

describe("doctor's store LAN check", () => {
  const good: LanFacts = {
    keyFile: "/etc/arrival-gateway/lan.key",
    key: { ok: true, mode: 0o600, ownerUid: 990, bytes: 64 },
    uid: 990,
    port: 47_810,
    bind: null,
    peers: [
      { id: "g2", address: "10.0.0.12:47810" },
      { id: "g3", address: "gw-till.local:47810" },
    ],
    hosts: new Map([
      ["10.0.0.12", null],
      ["gw-till.local", null],
    ]),
    health: null,
  };
  const health = (peers: { id: string; lastHeardAgeS: number | null }[]) => ({
    v: 1 as const, pid: 1, version: "0.4.0", packageDir: "/opt", at: 0, startedAt: 0, connected: true,
    scan: { state: "scanning" as const, lastAdvertAgeS: 1 }, lan: { peers },
  });

  it.each<[string, Partial<LanFacts>, "ok" | "warn" | "fail", RegExp]>([
    ["all well, gateway stopped", {}, "ok", /key file .*: 64 bytes, mode 600\nUDP port 47810 free\npeers heard: not known/],
    ["no key file", { key: { ok: false, code: "ENOENT", message: "no such file" } }, "fail", /cannot be read: ENOENT/],
    ["a key others may read", { key: { ok: true, mode: 0o644, ownerUid: 990, bytes: 64 } }, "fail", /mode 644: others may read the store key/],
    ["a short key", { key: { ok: true, mode: 0o600, ownerUid: 990, bytes: 16 } }, "fail", /holds 16 bytes; at least 32/],
    ["a key of another user", { key: { ok: true, mode: 0o600, ownerUid: 0, bytes: 64 } }, "warn", /belongs to uid 0, not this user \(990\)/],
    ["the port taken by another program", { bind: { code: "EADDRINUSE", message: "in use" } }, "fail", /UDP port 47810 cannot be bound: EADDRINUSE/],
    ["the port held by the running gateway", { bind: { code: "EADDRINUSE", message: "in use" }, health: health([{ id: "g2", lastHeardAgeS: 3 }, { id: "g3", lastHeardAgeS: 0.5 }]) }, "ok", /held by the running gateway\npeer g2 heard 3 s ago\npeer g3 heard 1 s ago/],
    ["a peer name that does not resolve", { hosts: new Map([["10.0.0.12", null], ["gw-till.local", "ENOTFOUND"]]) }, "fail", /peer g3: gw-till.local does not resolve \(ENOTFOUND\)/],
    ["a peer without an address", { peers: [{ id: "g2", address: undefined }] }, "warn", /peer g2 has no lan address/],
    ["a peer address without a port", { peers: [{ id: "g2", address: "10.0.0.12" }] }, "fail", /lan address 10.0.0.12 is not host:port/],
    ["a peer never heard, one silent", { health: health([{ id: "g2", lastHeardAgeS: null }, { id: "g3", lastHeardAgeS: 90 }]) }, "warn", /peer g2: no datagram since the gateway started; without it this gateway decides alone\npeer g3: no datagram for 90 s/],
  ])("%s", (_name, change, status, detail) => {
    const check = checkLan({ ...good, ...change });
    expect(check.name).toBe("lan");
    expect(check.status).toBe(status);
    expect(check.detail).toMatch(detail);
    expect(check.fix === undefined).toBe(status === "ok");
  });
});

describe("doctor's probes", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-doctor-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("finds the LAN key file's mode and length without keeping it, and whether the UDP port binds", async () => {
    const key = join(dir, "lan.key");
    await writeFile(key, `  ${"ab".repeat(32)}\n`);
    await chmod(key, 0o640);
    expect(await inspectLanKeyFile(key)).toEqual({ ok: true, mode: 0o640, ownerUid: process.getuid?.(), bytes: 64 });
    expect(await inspectLanKeyFile(join(dir, "absent.key"))).toMatchObject({ ok: false, code: "ENOENT" });
    const port = await freePort();
    expect(await probeUdpBind(port, "127.0.0.1")).toBeNull();
    const holder = createSocket("udp4");
    await new Promise<void>((resolve) => holder.bind(port, "127.0.0.1", resolve));
    try {
      expect(await probeUdpBind(port, "127.0.0.1")).toMatchObject({ code: "EADDRINUSE" });
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
    expect(await resolvePeerHost("127.0.0.1")).toBeNull();
    expect(await resolvePeerHost("gw.invalid")).not.toBeNull();
  });

  it("checks the store LAN of a running gateway from its config and health file", async () => {
    const key = join(dir, "store-lan.key");
    await writeFile(key, `${"cd".repeat(32)}\n`, { mode: 0o600 });
    const data = join(dir, "lan-data");
    await mkdir(data, { recursive: true });
    const port = await freePort();
    const configPath = join(dir, "lan-gateway.json");
    await writeFile(
      configPath,
      JSON.stringify({
        storeId: "s1", gatewayId: "g1", dataDir: data,
        mqtt: { url: "mqtt://127.0.0.1:1", username: "u", password: "p" }, scanner: { source: "sim" },
        site: { lat: 22.28, lon: 114.16 },
        peers: [{ id: "g2", lat: 22.28, lon: 114.16001, lan: "127.0.0.1:47811" }],
        lan: { port, bindHost: "127.0.0.1", keyFile: key },
      }),
    );
    await new HealthFile(join(data, "health.json")).write({
      v: 1, pid: 1, version: "0.4.0", packageDir: "/opt", at: Date.now(), startedAt: Date.now() - 600_000, connected: true,
      scan: { state: "scanning", lastAdvertAgeS: 1 }, lan: { peers: [{ id: "g2", lastHeardAgeS: null }] },
    });
    const checks = await diagnose(
      { configPath, timeoutMs: 1000 },
      {
        loadConfig: loadGatewayConfig,
        bluetoothAdapters: async () => [],
        adapterState: async () => ({ ok: false, code: "NO_ADAPTER", message: "none" }),
        advertisingSocket: async () => ({ ok: false, code: "NO_ADAPTER", message: "none" }),
        processCapabilities: async () => 0n,
        fileCapabilities: async () => "",
        ntpSynchronized: async () => true,
        probeBroker: async () => ({ ok: true }),
        inspectOutbox,
        diskSpace,
        lanKeyFile: inspectLanKeyFile,
        udpBind: probeUdpBind,
        resolveHost: resolvePeerHost,
        readHealth: (d) => new HealthFile(join(d, "health.json")).read(),
        uid: process.getuid?.() ?? null,
        now: () => Date.now(),
        nodePath: "/usr/bin/node",
      },
    );
    const lan = checks.find((c) => c.name === "lan");
    expect(lan?.status).toBe("warn");
    expect(lan?.detail).toBe(
      `peer g2: no datagram since the gateway started; without it this gateway decides alone\nkey file ${key}: 64 bytes, mode 600\nUDP port ${port} free`,
    );
    expect(JSON.stringify(checks)).not.toContain("cd".repeat(32));
  });

  it("lists adapters and their rfkill state from sysfs", async () => {
    const sys = join(dir, "sys-bluetooth");
    await mkdir(join(sys, "hci0", "rfkill3"), { recursive: true });
    await mkdir(join(sys, "hci0:64"), { recursive: true }); // a connection, not an adapter
    await mkdir(join(sys, "hci1"), { recursive: true });
    await writeFile(join(sys, "hci0", "rfkill3", "soft"), "1\n");
    await writeFile(join(sys, "hci0", "rfkill3", "hard"), "0\n");
    expect(await bluetoothAdapters(sys)).toEqual([
      { name: "hci0", softBlocked: true, hardBlocked: false },
      { name: "hci1" },
    ]);
    expect(await bluetoothAdapters(join(dir, "no-such-dir"))).toEqual([]);
  });

  it("reads depth, age and integrity of a real outbox, read-only, and rejects a damaged one", async () => {
    const path = join(dir, "outbox.db");
    const outbox = await SqliteOutbox.open({ path, maxRows: 1000, maxAgeMs: 1e12 });
    await outbox.append(uplinkEvents("doctor", 1, 5), 1_700_000_000_000);
    await outbox.ackUpTo(2);
    const inspection = await inspectOutbox(path);
    await outbox.close();
    expect(inspection).toEqual({ depth: 3, oldestInsertedAt: 1_700_000_000_000, integrity: ["ok"] });

    const damaged = join(dir, "damaged.db");
    await writeFile(damaged, Buffer.alloc(8192, 0x41));
    const failure = await inspectOutbox(damaged).then(() => null, (err: Error) => err);
    expect(checkOutbox(damaged, failure ?? { depth: 0, oldestInsertedAt: null, integrity: ["ok"] }, 0, 1000).status).toBe("fail");
    await expect(inspectOutbox(join(dir, "none.db"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("measures the disk of the data directory, or of its nearest existing parent", async () => {
    const space = await diskSpace(join(dir, "not", "yet"));
    expect(space.path).toBe(dir);
    expect(space.availableBytes).toBeGreaterThan(0);
    expect(space.totalBytes).toBeGreaterThanOrEqual(space.availableBytes);
  });
});

describe("doctor against a real broker", () => {
  let f: CloudFixture;
  let dir: string;
  let login: { username: string; password: string };
  const url = () => `mqtt://127.0.0.1:${f.cloud.mqttPort()}`;
  beforeAll(async () => {
    f = await createCloudFixture();
    dir = await mkdtemp(join(tmpdir(), "arrival-doctor-broker-"));
    login = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
  });
  afterAll(async () => {
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("connects with the gateway's credentials without taking over the running gateway's session", async () => {
    const gateway = await mqtt.connectAsync(url(), { ...login, clientId: login.username, clean: false, reconnectPeriod: 0 });
    let gatewayClosed = false;
    gateway.on("close", () => (gatewayClosed = true));
    try {
      const result = await probeBroker({ url: url(), ...login, clientId: `${login.username}:doctor`, timeoutMs: 5000 });
      expect(result).toEqual({ ok: true });
      expect(checkBroker(url(), result).status).toBe("ok");
      expect(gatewayClosed).toBe(false);
    } finally {
      await gateway.endAsync();
    }
  });

  it("tells wrong credentials from an unreachable port and an unknown host", async () => {
    const auth = await probeBroker({ url: url(), username: login.username, password: "wrong", clientId: `${login.username}:doctor`, timeoutMs: 5000 });
    expect(auth).toMatchObject({ ok: false, failure: "auth" });
    const closed = await probeBroker({ url: `mqtt://127.0.0.1:${await freePort()}`, ...login, clientId: "x", timeoutMs: 5000 });
    expect(closed).toMatchObject({ ok: false, failure: "tcp", code: "ECONNREFUSED" });
    const dns = await probeBroker({ url: "mqtt://broker.invalid:1883", ...login, clientId: "x", timeoutMs: 5000 });
    expect(dns).toMatchObject({ ok: false, failure: expect.stringMatching(/^(dns|timeout)$/) });
    const unreadable = await probeBroker({ url: url(), username: login.username, passwordFile: join(dir, "absent"), clientId: "x", timeoutMs: 5000 });
    expect(unreadable).toMatchObject({ ok: false, failure: "credentials", code: "ENOENT" });
  });

  it("runs every check with injected probes and exits 1 on a failure, with --json", async () => {
    const config = join(dir, "gateway.json");
    await writeFile(
      config,
      JSON.stringify({ storeId: "s1", gatewayId: "g1", dataDir: join(dir, "data"), mqtt: { url: url(), username: login.username, password: login.password }, scanner: { source: "noble" } }),
    );
    const probes: DoctorProbes = {
      loadConfig: loadGatewayConfig,
      bluetoothAdapters: async () => [],
      adapterState: async () => ({ ok: false, code: "NO_ADAPTER", message: "No Bluetooth adapter hci0 (ENODEV)." }),
      advertisingSocket: async () => {
        throw new Error("not asked: the adapter check failed");
      },
      processCapabilities: async () => 0n,
      fileCapabilities: async () => "",
      ntpSynchronized: async () => true,
      probeBroker,
      inspectOutbox,
      diskSpace,
      lanKeyFile: inspectLanKeyFile,
      udpBind: probeUdpBind,
      resolveHost: resolvePeerHost,
      readHealth: async () => null,
      uid: process.getuid?.() ?? null,
      now: () => Date.now(),
      nodePath: "/usr/bin/node",
    };
    const output = new PassThrough();
    let text = "";
    output.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    // The gateway itself is running: doctor's CONNECT must not take its session over.
    const gateway = await mqtt.connectAsync(url(), { ...login, clientId: login.username, clean: false, reconnectPeriod: 0 });
    let gatewayClosed = false;
    gateway.on("close", () => (gatewayClosed = true));
    const code = await runDoctor({ configPath: config, timeoutMs: 5000, json: true }, probes, output);
    expect(gatewayClosed).toBe(false);
    await gateway.endAsync();
    const report = JSON.parse(text) as { ok: boolean; checks: DoctorCheck[] };
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(Object.fromEntries(report.checks.map((c) => [c.name, c.status]))).toEqual({
      config: "ok",
      adapter: "fail",
      capabilities: "warn",
      advertising: "fail",
      clock: "ok",
      broker: "ok",
      outbox: "ok",
      disk: "ok",
    });
  });

  it.skipIf(existsSync("/sys/class/bluetooth/hci0"))(
    "on this machine (no adapter): the command reports the missing adapter with a fix, the broker ok, exit 1",
    async () => {
      const config = join(dir, "cli.json");
      await writeFile(
        config,
        JSON.stringify({ storeId: "s1", gatewayId: "g1", dataDir: join(dir, "cli-data"), mqtt: { url: url(), username: login.username, password: login.password }, scanner: { source: "noble" } }),
      );
      const run = await execFileAsync(
        process.execPath,
        ["--import", "tsx", join(ROOT, "gateway/src/main.ts"), "doctor", "--config", config],
        { cwd: ROOT },
      ).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
      );
      expect(run.code).toBe(1);
      const lines = run.stdout.split("\n");
      // A kernel without Bluetooth (this machine may be one: a container) is said plainly, as run says it.
      const probe = await probeAdapterState("hci0");
      const noKernelBluetooth = !probe.ok && probe.noKernelBluetooth === true;
      const adapter = lines.findIndex((line) =>
        (noKernelBluetooth ? /^ {2}FAIL {2}adapter +this kernel has no Bluetooth support/ : /^ {2}FAIL {2}adapter +no Bluetooth adapter/).test(line),
      );
      expect(adapter, run.stdout).toBeGreaterThan(0);
      expect(lines[adapter + 1]).toMatch(noKernelBluetooth ? /^ +fix: This system has no Bluetooth support/ : /^ +fix: .*dtoverlay=disable-bt/);
      expect(run.stdout).toMatch(new RegExp(`^ {2}ok {4}broker +${url()}: connected and authenticated$`, "m"));
      expect(run.stdout).toMatch(/^ {2}ok {4}disk +/m);
      // No adapter, so no store beacon either: said as such, with the adapter's fix.
      expect(run.stdout).toMatch(/^ {2}FAIL {2}advertising +hci0 cannot advertise the store beacon: see the adapter check$/m);
    },
  );
});

const OPENSSL = ["/usr/bin/openssl", "/usr/local/bin/openssl"].find((p) => existsSync(p));

describe.skipIf(!OPENSSL)(`doctor against a broker on TLS${OPENSSL ? "" : " (skipped: no openssl to make a certificate)"}`, () => {
  let f: CloudFixture;
  let dir: string;
  let login: { username: string; password: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-doctor-tls-"));
    await execFileAsync(OPENSSL ?? "openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ]);
    f = await createCloudFixture({
      mqtt: { mode: "embedded", port: 0, tls: { port: 0, certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem") } },
    });
    login = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
  });
  afterAll(async () => {
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("fails as a TLS problem without the private CA, and connects with mqtt.caFile", async () => {
    const url = `mqtts://127.0.0.1:${f.cloud.mqttPorts().tls}`;
    const options = { url, username: login.username, password: login.password, clientId: `${login.username}:doctor`, timeoutMs: 5000 };
    const untrusted = await probeBroker(options);
    expect(untrusted).toMatchObject({ ok: false, failure: "tls", code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(checkBroker(url, untrusted).fix).toMatch(/mqtt\.caFile/);
    expect(await probeBroker({ ...options, caFile: join(dir, "cert.pem") })).toEqual({ ok: true });
  });
});
