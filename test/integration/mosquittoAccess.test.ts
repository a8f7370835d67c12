import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import type mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynsecAclsFor, MosquittoDynsec } from "../../cloud/src/adapters/mqtt/MosquittoDynsec.js";
import { BrokerAccessError } from "../../cloud/src/services/BrokerAccessProvisioner.js";
import { encodeMessage, gatewayTopic, TOPIC_ROOT, userTopic } from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";
import {
  adminProvisioner,
  externalMqttConfig,
  MOSQUITTO_AVAILABLE,
  MOSQUITTO_CLIENTS,
  MOSQUITTO_SKIP_REASON,
  type MosquittoInstance,
  silentLog,
  startMosquitto,
} from "../support/mosquitto.js";
import { connectAs, grant, type Login, until } from "./brokerContract.js";

const execFileAsync = promisify(execFile);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a mosquitto client program to its end (exit codes are data here, not failures). */
async function run(program: string, args: readonly string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(program, [...args], { timeout: 10_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : null, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/**
 * Access control on a real mosquitto, provisioned by the cloud through the dynamic security plugin,
 * checked with the stock mosquitto_sub / mosquitto_pub programs an operator would use, and MQTT 5
 * where the broker says why it refused. The contract suite (brokerContract.test.ts) covers what
 * both brokers share; this covers what only mosquitto does.
 */
describe.skipIf(!MOSQUITTO_AVAILABLE)(
  `mosquitto access control${MOSQUITTO_AVAILABLE ? "" : ` (skipped: ${MOSQUITTO_SKIP_REASON})`}`,
  () => {
    let broker: MosquittoInstance;
    let f: CloudFixture;
    let gw: Login & { clientId: string };
    let app: Login & { clientId: string };
    const open: mqtt.MqttClient[] = [];
    const base = () => ["-h", broker.host, "-p", String(broker.port)];
    const as = (login: Login & { clientId: string }) => [
      ...base(),
      "-u",
      login.username,
      "-P",
      login.password,
      "-i",
      login.clientId,
    ];

    beforeAll(async () => {
      broker = await startMosquitto();
      const { mqtt: config } = await externalMqttConfig(broker);
      f = await createCloudFixture({ mqtt: config });
      gw = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
      app = await f.cloud.credentials.issueMqtt({ role: "app", userId: "u1" }, "test");
    });
    afterAll(async () => {
      for (const client of open) client.end(true);
      await f?.close();
      await broker?.stop();
    });

    describe.skipIf(!MOSQUITTO_CLIENTS.sub || !MOSQUITTO_CLIENTS.pub)("with mosquitto_sub and mosquitto_pub", () => {
      const sub = (login: Login & { clientId: string }, filter: string) =>
        // -W 1: an allowed subscription waits for messages until the timeout (exit 27); a refused
        // one makes mosquitto_sub report it and stop at once.
        run(MOSQUITTO_CLIENTS.sub ?? "", [...as(login), "-t", filter, "-q", "1", "-W", "1"]);

      type Case = readonly [string, string, boolean, () => Login & { clientId: string }, () => string];
      it.each<Case>([
        ["gateway", "own config", true, () => gw, () => gatewayTopic("s1", "g1", "config")],
        ["gateway", "own ack", true, () => gw, () => gatewayTopic("s1", "g1", "ack")],
        ["gateway", "another gateway's ack", false, () => gw, () => gatewayTopic("s1", "g2", "ack")],
        ["gateway", "own till labels", true, () => gw, () => gatewayTopic("s1", "g1", "labels")],
        ["gateway", "another gateway's till labels", false, () => gw, () => gatewayTopic("s1", "g2", "labels")],
        ["gateway", "own clock replies", true, () => gw, () => gatewayTopic("s1", "g1", "time-reply")],
        ["gateway", "another gateway's clock replies", false, () => gw, () => gatewayTopic("s1", "g2", "time-reply")],
        ["gateway", "its own clock requests", false, () => gw, () => gatewayTopic("s1", "g1", "time")],
        ["gateway", "a wildcard over gateways", false, () => gw, () => `${TOPIC_ROOT}/stores/s1/gateways/+/ack`],
        ["gateway", "an app's offers", false, () => gw, () => userTopic("u1", "offers")],
        ["gateway", "$SYS", false, () => gw, () => "$SYS/#"],
        ["gateway", "everything", false, () => gw, () => "#"],
        ["app", "own offers", true, () => app, () => userTopic("u1", "offers")],
        ["app", "own subtree", true, () => app, () => `${TOPIC_ROOT}/users/u1/#`],
        ["app", "another user's offers", false, () => app, () => userTopic("u2", "offers")],
        ["app", "every user's offers", false, () => app, () => `${TOPIC_ROOT}/users/+/offers`],
        ["app", "gateway events", false, () => app, () => gatewayTopic("s1", "g1", "events")],
      ])("mosquitto_sub as %s to %s (allowed: %s)", async (_who, _what, allowed, login, filter) => {
        const result = await sub(login(), filter());
        if (allowed) {
          expect(result.stderr).not.toMatch(/denied|refused/i);
          expect(result.code).toBe(27); // timed out waiting: subscribed
        } else {
          expect(`${result.stdout}${result.stderr}`).toMatch(/All subscription requests were denied/);
        }
      });

      it("mosquitto_pub: a gateway's own status reaches a subscriber; everything it may not publish is refused", async () => {
        const observerLogin = await f.cloud.credentials.issueMqtt({ role: "service", name: "observer" }, "test");
        const observer = await connectAs(broker.url, observerLogin);
        open.push(observer);
        const seen: string[] = [];
        observer.on("message", (topic) => seen.push(topic));
        expect(await grant(observer, `${TOPIC_ROOT}/#`)).toBe(1);
        const pub = (topic: string) =>
          run(MOSQUITTO_CLIENTS.pub ?? "", [...as(gw), "-t", topic, "-m", "{}", "-q", "1", "-V", "mqttv5"]);
        for (const topic of [
          gatewayTopic("s1", "g2", "events"),
          gatewayTopic("s1", "g1", "ack"),
          gatewayTopic("s1", "g1", "config"),
          gatewayTopic("s1", "g1", "time-reply"),
          gatewayTopic("s1", "g2", "time"),
          userTopic("u1", "offers"),
        ]) {
          const result = await pub(topic);
          // MQTT 5: the broker answers the PUBACK with 0x87 Not authorized.
          expect(result.stderr, topic).toMatch(/Not authorized/i);
        }
        const allowed = await pub(gatewayTopic("s1", "g1", "status"));
        expect(allowed.stderr).not.toMatch(/Not authorized/i);
        await until(() => seen.length > 0);
        expect(seen).toEqual([gatewayTopic("s1", "g1", "status")]);
      });

      it("mosquitto_sub with a bad password, no credentials, or another client id is refused", async () => {
        const refused = /not authori[sz]ed|refused/i;
        const bad = await run(MOSQUITTO_CLIENTS.sub ?? "", [...as({ ...gw, password: "wrong" }), "-t", "x", "-W", "1"]);
        expect(bad.stderr).toMatch(refused);
        const anonymous = await run(MOSQUITTO_CLIENTS.sub ?? "", [...base(), "-t", "x", "-W", "1"]);
        expect(anonymous.stderr).toMatch(refused);
        // Client ids are bound to the username on mosquitto: not even `<username>-phone` is taken.
        const otherId = await run(MOSQUITTO_CLIENTS.sub ?? "", [...as({ ...gw, clientId: `${gw.username}-2` }), "-t", "x", "-W", "1"]);
        expect(otherId.stderr).toMatch(refused);
      });

      it("a revoked gateway's mosquitto_sub is disconnected within a second", async () => {
        const creds = await f.cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g8" }, "test");
        // MQTT 5 and -d: mosquitto_sub prints the DISCONNECT the broker sends when it kicks a client.
        const child = spawn(
          MOSQUITTO_CLIENTS.sub ?? "",
          [...as(creds), "-t", gatewayTopic("s1", "g8", "config"), "-q", "1", "-V", "mqttv5", "-d"],
          { stdio: ["ignore", "pipe", "pipe"] },
        );
        let output = "";
        const kicked = new Promise<number>((resolve) => {
          const watch = (chunk: Buffer) => {
            output += chunk.toString("utf8");
            if (/received DISCONNECT|Connection lost|closed/i.test(output)) resolve(Date.now());
          };
          child.stdout.on("data", watch);
          child.stderr.on("data", watch);
        });
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        // Subscribed for sure once it prints the retained config the cloud publishes.
        await f.cloud.broker.publish(gatewayTopic("s1", "g8", "config"), encodeMessage({ v: 1 }), { qos: 1, retain: true });
        await until(() => output.includes('{"v":1}'));
        const revokedAt = Date.now();
        expect(await f.cloud.credentials.revokeMqtt(creds.username, "test")).toBe(true);
        expect((await kicked) - revokedAt, output).toBeLessThan(1000);
        child.kill();
        await exited;
      });
    });

    it("MQTT 5 tells a gateway why a publish was refused", async () => {
      const client = await connectAs(broker.url, gw, { protocolVersion: 5 });
      open.push(client);
      await expect(client.publishAsync(gatewayTopic("s1", "g2", "events"), Buffer.from("{}"), { qos: 1 })).rejects.toThrow(
        /Not authorized/i,
      );
      await client.publishAsync(gatewayTopic("s1", "g1", "telemetry"), Buffer.from("{}"), { qos: 1 });
    });

    it("gives no gateway or app a way into the dynamic security API", async () => {
      for (const login of [gw, app]) {
        const client = await connectAs(broker.url, login, { protocolVersion: 5 });
        open.push(client);
        expect(await grant(client, "$CONTROL/dynamic-security/v1/response")).toBe(128);
        await expect(
          client.publishAsync(
            "$CONTROL/dynamic-security/v1",
            JSON.stringify({ commands: [{ command: "createClient", username: `evil-${login.username}`, password: "x" }] }),
            { qos: 1 },
          ),
        ).rejects.toThrow(/Not authorized/i);
      }
      const admin = adminProvisioner(broker);
      try {
        const [found] = await admin.send([{ command: "getClient", username: `evil-${gw.username}` }]);
        expect(found?.error).toMatch(/not found/i);
      } finally {
        await admin.close();
      }
    });

    it("provisions one role per identity with exactly the ACLs of the domain rules", async () => {
      const admin = adminProvisioner(broker);
      try {
        const [client, role] = await admin.send([
          { command: "getClient", username: gw.username },
          { command: "getRole", rolename: `arrival.${gw.username}` },
        ]);
        expect(client?.data).toMatchObject({
          client: { username: gw.username, clientid: gw.username, roles: [{ rolename: `arrival.${gw.username}` }] },
        });
        const acls = (role?.data as { role: { acls: { acltype: string; topic: string; allow: boolean }[] } }).role.acls;
        expect(new Set(acls.map((a) => `${a.acltype} ${a.topic} ${a.allow}`))).toEqual(
          new Set(dynsecAclsFor({ role: "gateway", storeId: "s1", gatewayId: "g1" }).map((a) => `${a.acltype} ${a.topic} ${a.allow}`)),
        );
      } finally {
        await admin.close();
      }
    });

    it("provisions a store device with its store's pick-up topic alone, bound to its client id", async () => {
      const identity = { role: "store", storeId: "s1", deviceId: "counter-1" } as const;
      const creds = await f.cloud.credentials.issueMqtt(identity, "test");
      const admin = adminProvisioner(broker);
      try {
        const [client, role] = await admin.send([
          { command: "getClient", username: creds.username },
          { command: "getRole", rolename: `arrival.${creds.username}` },
        ]);
        expect(client?.data).toMatchObject({ client: { username: "store.s1.counter-1", clientid: "store.s1.counter-1" } });
        const acls = (role?.data as { role: { acls: { acltype: string; topic: string; allow: boolean }[] } }).role.acls;
        expect(acls.map((a) => `${a.acltype} ${a.topic} ${a.allow}`).sort()).toEqual([
          "publishClientReceive arrival/v1/stores/s1/pickups true",
          "subscribeLiteral arrival/v1/stores/s1/pickups true",
          "unsubscribeLiteral arrival/v1/stores/s1/pickups true",
        ]);
        expect(new Set(acls.map((a) => `${a.acltype} ${a.topic} ${a.allow}`))).toEqual(
          new Set(dynsecAclsFor(identity).map((a) => `${a.acltype} ${a.topic} ${a.allow}`)),
        );
      } finally {
        await admin.close();
      }
    });

    it("removes the account and its role from mosquitto on revoke", async () => {
      const creds = await f.cloud.credentials.issueMqtt({ role: "app", userId: "u7" }, "test");
      await f.cloud.credentials.revokeMqtt(creds.username, "test");
      const admin = adminProvisioner(broker);
      try {
        const [client, role] = await admin.send([
          { command: "getClient", username: creds.username },
          { command: "getRole", rolename: `arrival.${creds.username}` },
        ]);
        expect(client?.error).toMatch(/not found/i);
        expect(role?.error).toMatch(/not found/i);
      } finally {
        await admin.close();
      }
    });

    it("issues nothing when mosquitto cannot be reached, and says so with a code", async () => {
      const unreachable = new MosquittoDynsec({
        url: "mqtt://127.0.0.1:1",
        username: broker.adminUser,
        password: broker.adminPassword,
        timeoutMs: 1000,
        log: silentLog,
      });
      await expect(unreachable.grant("gw.s1.g5", "pw", { role: "gateway", storeId: "s1", gatewayId: "g5" })).rejects.toSatisfy(
        (err: unknown) => err instanceof BrokerAccessError && err.code === "BROKER_UNAVAILABLE",
      );
      await unreachable.close();
      const wrongAdmin = new MosquittoDynsec({
        url: broker.url,
        username: gw.username,
        password: gw.password,
        timeoutMs: 1000,
        log: silentLog,
      });
      // A gateway's own credentials (client id bound elsewhere) cannot administer anything.
      await expect(wrongAdmin.grant("gw.s1.g5", "pw", { role: "gateway", storeId: "s1", gatewayId: "g5" })).rejects.toBeInstanceOf(
        BrokerAccessError,
      );
      await wrongAdmin.close();
    });
  },
);
