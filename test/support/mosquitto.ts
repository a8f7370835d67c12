import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { MosquittoDynsec } from "../../cloud/src/adapters/mqtt/MosquittoDynsec.js";
import type { Logger } from "../../cloud/src/services/ports.js";
import { freePort } from "./freePort.js";

/**
 * A private mosquitto 2 with the dynamic security plugin, started by the tests themselves wherever
 * Debian's `mosquitto` package is installed (`apt-get install -y mosquitto`; CI's .ci/run does it):
 * a temp directory with its config, `mosquitto_ctrl dynsec init` for an admin account, a free port
 * on 127.0.0.1. Each test file gets its own broker, so files run in parallel without sharing ids.
 *
 * Without mosquitto the tests that need it are skipped with `MOSQUITTO_SKIP_REASON`; with
 * ARRIVAL_TEST_REQUIRE_MOSQUITTO=1 (set by .ci/run) they fail instead, so CI cannot pass by skipping.
 */

const execFileAsync = promisify(execFile);

function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  for (const dir of dirs) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  return null;
}

const PLUGIN_DIRS = [
  "/usr/lib/x86_64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/usr/lib/arm-linux-gnueabihf",
  "/usr/lib/mosquitto",
  "/usr/local/lib",
  "/usr/lib",
  "/opt/homebrew/lib",
];

function findPlugin(): string | null {
  const given = process.env.ARRIVAL_TEST_MOSQUITTO_DYNSEC_PLUGIN;
  if (given) return existsSync(given) ? given : null;
  for (const dir of PLUGIN_DIRS) {
    const path = join(dir, "mosquitto_dynamic_security.so");
    if (existsSync(path)) return path;
  }
  return null;
}

const givenBinary = process.env.ARRIVAL_TEST_MOSQUITTO_BIN;
const binary = givenBinary ? (existsSync(givenBinary) ? givenBinary : null) : which("mosquitto");
const ctrl = which("mosquitto_ctrl");
const plugin = findPlugin();

/** Why mosquitto tests cannot run here, or null when they can. */
export const MOSQUITTO_SKIP_REASON: string | null =
  binary === null
    ? "mosquitto is not installed (apt-get install -y mosquitto): mosquitto tests skipped"
    : ctrl === null
      ? "mosquitto_ctrl is not installed (it comes with Debian's mosquitto package): mosquitto tests skipped"
      : plugin === null
        ? "mosquitto's dynamic security plugin (mosquitto_dynamic_security.so) was not found: mosquitto tests skipped"
        : null;

if (MOSQUITTO_SKIP_REASON !== null && process.env.ARRIVAL_TEST_REQUIRE_MOSQUITTO === "1") {
  throw new Error(`ARRIVAL_TEST_REQUIRE_MOSQUITTO=1 but ${MOSQUITTO_SKIP_REASON}`);
}

if (MOSQUITTO_SKIP_REASON !== null) process.stderr.write(`note: ${MOSQUITTO_SKIP_REASON}\n`);

/** True when `startMosquitto` can run; use with `describe.skipIf(!MOSQUITTO_AVAILABLE)`. */
export const MOSQUITTO_AVAILABLE = MOSQUITTO_SKIP_REASON === null;

/** Whether mosquitto_pub/mosquitto_sub are there for the shell-level tests. */
export const MOSQUITTO_CLIENTS = { pub: which("mosquitto_pub"), sub: which("mosquitto_sub") };

export interface MosquittoInstance {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The dynsec admin created by `mosquitto_ctrl dynsec init`. */
  readonly adminUser: string;
  readonly adminPassword: string;
  /** The broker's log so far (for failure messages). */
  log(): Promise<string>;
  /**
   * Stops the broker and starts it again on the same port and accounts: its memory (sessions,
   * retained messages; persistence is off) is gone, as after a crash of a broker run that way.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts a private mosquitto; rejects with its log when it does not come up. */
export async function startMosquitto(): Promise<MosquittoInstance> {
  if (binary === null || ctrl === null || plugin === null) throw new Error(MOSQUITTO_SKIP_REASON ?? "no mosquitto");
  const dir = await mkdtemp(join(tmpdir(), "arrival-mosquitto-"));
  const adminUser = "admin";
  const adminPassword = randomBytes(18).toString("base64url");
  const dynsecFile = join(dir, "dynamic-security.json");
  await execFileAsync(ctrl, ["dynsec", "init", dynsecFile, adminUser, adminPassword]);
  const logFile = join(dir, "mosquitto.log");
  let lastError = "";
  // A port picked free can be taken before mosquitto binds it; try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const conf = join(dir, "mosquitto.conf");
    await writeFile(
      conf,
      [
        "per_listener_settings false",
        "allow_anonymous false",
        `listener ${port} 127.0.0.1`,
        `plugin ${plugin}`,
        `plugin_opt_config_file ${dynsecFile}`,
        "persistence false",
        // Run as root, mosquitto would switch to the mosquitto user, which cannot write the temp dir.
        ...(process.getuid?.() === 0 ? ["user root"] : []),
        `log_dest file ${logFile}`,
        "log_type error",
        "log_type warning",
        "log_type notice",
        "log_type information",
        "connection_messages true",
        "",
      ].join("\n"),
    );
    let stderr = "";
    const launch = async (): Promise<{ child: ChildProcess; exited: Promise<number | null>; up: boolean }> => {
      const child: ChildProcess = spawn(binary, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && child.exitCode === null) {
        if (await accepting(port)) return { child, exited, up: true };
        await new Promise((r) => setTimeout(r, 50));
      }
      return { child, exited, up: false };
    };
    const halt = async (running: { child: ChildProcess; exited: Promise<number | null> }): Promise<void> => {
      if (running.child.exitCode !== null) return;
      running.child.kill("SIGTERM");
      await Promise.race([running.exited, new Promise((r) => setTimeout(r, 3000))]);
      if (running.child.exitCode === null) {
        running.child.kill("SIGKILL");
        await running.exited;
      }
    };
    let running = await launch();
    if (running.up) {
      const log = async () => (await readFile(logFile, "utf8").catch(() => "")) + stderr;
      return {
        url: `mqtt://127.0.0.1:${port}`,
        host: "127.0.0.1",
        port,
        adminUser,
        adminPassword,
        log,
        async restart() {
          await halt(running);
          running = await launch();
          if (!running.up) throw new Error(`mosquitto did not start again:\n${await log()}`);
        },
        async stop() {
          await halt(running);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    running.child.kill("SIGKILL");
    await running.exited;
    lastError = `${stderr}\n${await readFile(logFile, "utf8").catch(() => "")}`;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`mosquitto did not start:\n${lastError}`);
}

/** A logger that drops everything (the cloud's own logs are not what these tests look at). */
export const silentLog: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLog,
};

/** The dynsec provisioner of an instance, as the admin account. */
export function adminProvisioner(instance: MosquittoInstance): MosquittoDynsec {
  return new MosquittoDynsec({
    url: instance.url,
    username: instance.adminUser,
    password: instance.adminPassword,
    log: silentLog,
  });
}

/**
 * The cloud's service account on the instance (`svc.<name>`, client id bound to it, rights under
 * `arrival/v1/#`), provisioned the way an operator would with mosquitto_ctrl; and the `mqtt`
 * config section of a cloud that uses it, with the dynsec admin for provisioning.
 */
export async function externalMqttConfig(
  instance: MosquittoInstance,
  name = "cloud",
): Promise<{ mqtt: Record<string, unknown>; serviceUser: string; servicePassword: string }> {
  const provisioner = adminProvisioner(instance);
  const serviceUser = `svc.${name}`;
  const servicePassword = randomBytes(18).toString("base64url");
  try {
    await provisioner.grant(serviceUser, servicePassword, { role: "service", name });
  } finally {
    await provisioner.close();
  }
  return {
    serviceUser,
    servicePassword,
    mqtt: {
      mode: "external",
      url: instance.url,
      username: serviceUser,
      password: servicePassword,
      provisioning: "mosquitto-dynsec",
      dynsec: { username: instance.adminUser, password: instance.adminPassword },
    },
  };
}
