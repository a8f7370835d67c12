/**
 * The system benchmark's world: a cloud data directory seeded with stores, gateways, app users,
 * rules and MQTT logins, and the cloud itself as a child process whose CPU and memory are read
 * from /proc.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { createCloud } from "../../cloud/src/createCloud.js";
import type { Logger } from "../../cloud/src/services/ports.js";
import { freePort } from "../../test/support/freePort.js";

const ROOT = join(import.meta.dirname, "..", "..");

export interface WorldShape {
  readonly stores: number;
  readonly gatewaysPerStore: number;
  /** Registered app users (devices) per store; only they can receive offers. */
  readonly subjectsPerStore: number;
  /** Live rules of the organisation; one issues on every enter, the others are evaluated and refuse. */
  readonly rules: number;
}

export interface Login {
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
}

export interface GatewayLogin extends Login {
  readonly storeId: string;
  readonly gatewayId: string;
}

export interface AppLogin extends Login {
  readonly userId: string;
  readonly storeId: string;
  /** The beacon subject of the user's registered device. */
  readonly subject: string;
}

export interface World {
  readonly gateways: readonly GatewayLogin[];
  readonly apps: readonly AppLogin[];
  /** A service login, which may subscribe to every user's offers (the burst's watcher). */
  readonly service?: Login;
}

export const silentLog: Logger = createLogger({ level: "silent", format: "json", name: "bench" });

const storeId = (s: number): string => `s${s}`;
export const subjectFor = (n: number): string => `ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:9:${n}`;

/**
 * Seeds `dir` through the cloud's own services (the same code paths as the API), with the cloud's
 * `mqtt` config section, so that provisioning reaches an external broker too.
 */
export async function seedWorld(
  dir: string,
  shape: WorldShape,
  mqtt: Record<string, unknown>,
  storage?: Record<string, unknown>,
  /** Web Push subscriptions, one per app user in the order of `World.apps` (`--push`). */
  pushSubscriptions?: readonly { readonly endpoint: string; readonly keys: { readonly p256dh: string; readonly auth: string } }[],
): Promise<World> {
  const parsed = parseCloudConfig({
    dataDir: dir,
    http: { port: 0 },
    mqtt,
    ...(storage ? { storage } : {}),
    log: { level: "silent" },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const cloud = await createCloud(parsed.config, { log: silentLog, clock: { now: () => Date.now() } });
  const gateways: GatewayLogin[] = [];
  const apps: AppLogin[] = [];
  let service: Login | undefined;
  try {
    // External mode provisions logins at the broker, so the cloud's MQTT side has to be up.
    await cloud.start();
    const repo = cloud.repositories;
    const now = Date.now();
    // No organisation-wide daily cap: every eligible enter is to issue, so each gives a latency sample.
    await repo.directory.upsertOrganisation({ id: "o1", name: "Bench", maxOffersPerUserPerDay: 1_000_000 }, now);
    service = await cloud.credentials.issueMqtt({ role: "service", name: "bench" }, "bench");
    let subject = 0;
    for (let s = 1; s <= shape.stores; s++) {
      const store = storeId(s);
      await repo.directory.upsertStore(
        { id: store, orgId: "o1", name: store, timezone: "Europe/London", lat: null, lon: null, tags: ["bench"] },
        now,
      );
      await repo.directory.upsertZone({ id: "z1", storeId: store, name: "Entrance", tags: ["entrance"], geometry: {} });
      for (let g = 1; g <= shape.gatewaysPerStore; g++) {
        const gatewayId = `${store}-g${g}`;
        await repo.directory.upsertGateway({ id: gatewayId, storeId: store, name: gatewayId }, now);
        const login = await cloud.credentials.issueMqtt({ role: "gateway", storeId: store, gatewayId }, "bench");
        gateways.push({ ...login, storeId: store, gatewayId });
      }
      for (let u = 1; u <= shape.subjectsPerStore; u++) {
        const userId = `u-${store}-${u}`;
        await repo.users.upsertUser(
          {
            id: userId,
            orgId: "o1",
            displayName: null,
            segments: ["shopper"],
            loyaltyTier: null,
            marketingConsent: true,
            analyticsConsent: true,
          },
          now,
        );
        const device = subjectFor(++subject);
        await repo.users.registerDevice(device, userId, null, now);
        const login = await cloud.credentials.issueMqtt({ role: "app", userId }, "bench");
        const subscription = pushSubscriptions?.[apps.length];
        if (subscription)
          await repo.pushRegistrations.upsertPushRegistration(
            { userId, installationId: "browser", orgId: "o1", provider: "webpush", token: subscription.endpoint, keys: subscription.keys, environment: null },
            now,
          );
        apps.push({ ...login, userId, storeId: store, subject: device });
      }
    }
    const who = { orgId: "o1", actor: "bench" };
    const offer = { title: "10% off", text: "Today", discount: { kind: "percent", percent: 10 }, validityS: 600 };
    for (let r = 0; r < shape.rules; r++) {
      // Rule 0 issues on every enter of the entrance; the others are candidates for the same
      // events (same trigger and zone) but ask for a segment nobody has, so each is evaluated and
      // recorded as a refusal: the cost of rules that match the event but not the shopper.
      const spec =
        r === 0
          ? { trigger: { type: "enter" }, scope: { zoneTags: ["entrance"] }, offer }
          : {
              trigger: { type: "enter" },
              scope: { zoneTags: ["entrance"] },
              conditions: { segments: [`vip-${r}`] },
              priority: 1,
              offer,
            };
      const created = await cloud.rules.create(who, { id: `rule-${r}`, spec });
      if (!created.ok) throw new Error(`rule-${r}: ${JSON.stringify(created)}`);
      const live = await cloud.rules.transition(who, `rule-${r}`, "live");
      if (!live.ok) throw new Error(`rule-${r} live: ${JSON.stringify(live)}`);
    }
  } finally {
    await cloud.stop();
  }
  return { gateways, apps, ...(service ? { service } : {}) };
}

/** CPU time (user + system) and resident memory of a process, from /proc (Linux). */
export async function processUsage(pid: number): Promise<{ cpuMs: number; rssMb: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // USER_HZ is 100 on every Linux this runs on.
  return { cpuMs: ticks * 10, rssMb: rssKb / 1024 };
}

/**
 * CPU of a server process and its children (PostgreSQL: the postmaster and its backends), ms: the
 * live children's own time plus what children that already exited left in the parent's account.
 */
export async function processTreeCpuMs(rootPid: number): Promise<number> {
  const fieldsOf = async (pid: string): Promise<string[] | null> => {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    } catch {
      return null;
    }
  };
  const root = await fieldsOf(String(rootPid));
  if (root === null) return 0;
  // utime, stime, cutime, cstime (fields 14-17 of stat, 11-14 after the command name).
  let ticks = Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14]);
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = await fieldsOf(entry);
    if (fields !== null && Number(fields[1]) === rootPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

export interface CloudProcess {
  readonly pid: number;
  readonly httpPort: number;
  readonly mqttPort: number;
  stderr(): string;
  /** How many times the cloud logged each message (warn and above), from its JSON log on stdout. */
  logCounts(): Record<string, number>;
  /** The first line the cloud logged with each message. */
  logSamples(): Record<string, string>;
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/**
 * The cloud (`cloud/src/main.ts`) in a child process over `dir`, started with `node --import tsx`
 * (one process, so its /proc figures are the cloud's). Resolves once /readyz answers, by which
 * time ingest is subscribed.
 */
export async function startCloudProcess(
  dir: string,
  mqtt: Record<string, unknown>,
  extraArgs: readonly string[] = [],
  options: {
    /** The `storage` config section (default SQLite in `dir`). */
    readonly storage?: Record<string, unknown>;
    /** `worker.id`, for one of several workers (each its own MQTT session and metrics label). */
    readonly workerId?: string;
    /** The `push` config section (`--push`). */
    readonly push?: Record<string, unknown>;
  } = {},
): Promise<CloudProcess> {
  const httpPort = await freePort();
  const mqttPort = await freePort();
  const config = join(dir, `cloud${options.workerId ? `-${options.workerId}` : ""}.json`);
  await writeFile(
    config,
    JSON.stringify({
      mqtt: mqtt.mode === "embedded" ? { ...mqtt, port: mqttPort } : mqtt,
      ...(options.storage ? { storage: options.storage } : {}),
      ...(options.workerId ? { worker: { id: options.workerId } } : {}),
      ...(options.push ? { push: options.push } : {}),
    }),
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...extraArgs,
      "--import",
      "tsx",
      join(ROOT, "cloud/src/main.ts"),
      "--config",
      config,
      "--data-dir",
      dir,
      "--http-port",
      String(httpPort),
      "--log-level",
      "warn",
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } },
  );
  const counts: Record<string, number> = {};
  const samples: Record<string, string> = {};
  let partial = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 80);
      counts[msg] = (counts[msg] ?? 0) + 1;
      if (counts[msg] === 1) samples[msg] = line.slice(0, 600);
    }
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cloud exited: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`cloud not ready in 30 s: ${stderr}`);
    }
    const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid ?? 0,
    httpPort,
    mqttPort,
    stderr: () => stderr,
    logCounts: () => ({ ...counts }),
    logSamples: () => ({ ...samples }),
    kill: (signal) => child.kill(signal),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
