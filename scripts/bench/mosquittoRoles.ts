/**
 * What bringing mosquitto's roles up to date at cloud start costs. Run from the repository root
 * (needs Debian's mosquitto package, as the mosquitto tests do):
 *
 *   npx tsx scripts/bench/mosquittoRoles.ts [--accounts N] [--per-write N]
 *
 * Starts a private mosquitto with the dynamic security plugin, gives it N gateway accounts (default
 * 2 000) whose roles lack the clock topics, as a release before them wrote them, then times
 * `MosquittoDynsec.refresh` twice: once rewriting every role (an upgrade that changes them all),
 * once with every role current (any later restart). Each dynamic-security message is timed: while
 * it runs mosquitto serves no client, so the longest is the longest pause the refresh causes.
 * Prints one JSON line.
 */
import { parseArgs } from "node:util";
import {
  type DynsecCommand,
  type DynsecResponse,
  dynsecAclsFor,
  dynsecRoleName,
  MosquittoDynsec,
} from "../../cloud/src/adapters/mqtt/MosquittoDynsec.js";
import type { MqttAccount } from "../../cloud/src/services/repositories.js";
import { silentLog, startMosquitto } from "../../test/support/mosquitto.js";

const { values } = parseArgs({
  options: { accounts: { type: "string", default: "2000" }, "per-write": { type: "string", default: "10" } },
});
const n = Number(values.accounts);
const perWrite = Number(values["per-write"]);

/** The provisioner, timing each message it sends. */
class TimedDynsec extends MosquittoDynsec {
  readonly timings: { commands: number; ms: number; write: boolean }[] = [];

  override async send(commands: readonly DynsecCommand[], timeoutMs?: number): Promise<DynsecResponse[]> {
    const started = performance.now();
    const answers = await super.send(commands, timeoutMs);
    this.timings.push({
      commands: commands.length,
      ms: performance.now() - started,
      write: commands.some((c) => c.command !== "getRole"),
    });
    return answers;
  }
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

const broker = await startMosquitto();
const dynsec = new TimedDynsec({
  url: broker.url,
  username: broker.adminUser,
  password: broker.adminPassword,
  log: silentLog,
  rolesPerWrite: perWrite,
  refreshWriteTimeoutMs: 600_000,
});
try {
  const accounts: MqttAccount[] = Array.from({ length: n }, (_, i) => ({
    username: `gw.s${Math.floor(i / 2)}.g${i % 2}`,
    identity: { role: "gateway", storeId: `s${Math.floor(i / 2)}`, gatewayId: `g${i % 2}` },
  }));
  let started = performance.now();
  for (let i = 0; i < n; i += 100) {
    await dynsec.send(
      accounts.slice(i, i + 100).flatMap((a): DynsecCommand[] => [
        {
          command: "createRole",
          rolename: dynsecRoleName(a.username),
          acls: dynsecAclsFor(a.identity).filter((acl) => !/\/time(-reply)?$/.test(acl.topic)),
        },
        { command: "createClient", username: a.username, password: "unused", roles: [{ rolename: dynsecRoleName(a.username) }] },
      ]),
      600_000,
    );
  }
  const setupMs = performance.now() - started;
  const pages = async function* (): AsyncGenerator<MqttAccount[]> {
    for (let i = 0; i < n; i += 1000) yield accounts.slice(i, i + 1000);
  };
  const run = async () => {
    dynsec.timings.length = 0;
    started = performance.now();
    const summary = await dynsec.refresh(pages());
    const totalMs = performance.now() - started;
    const writes = dynsec.timings.filter((t) => t.write).map((t) => t.ms);
    const reads = dynsec.timings.filter((t) => !t.write).map((t) => t.ms);
    return {
      summary: { ...summary, stoppedBy: summary.stoppedBy?.message ?? null },
      totalMs: Math.round(totalMs),
      readMessages: reads.length,
      readMsP50: Math.round(quantile(reads, 0.5)),
      readMsMax: Math.round(Math.max(0, ...reads)),
      writeMessages: writes.length,
      writeMsP50: Math.round(quantile(writes, 0.5)),
      writeMsMax: Math.round(Math.max(0, ...writes)),
    };
  };
  const stale = await run();
  const current = await run();
  process.stdout.write(`${JSON.stringify({ accounts: n, rolesPerWrite: perWrite, setupMs: Math.round(setupMs), stale, current })}\n`);
} finally {
  await dynsec.close();
  await broker.stop();
}
