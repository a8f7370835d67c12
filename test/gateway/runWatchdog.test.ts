/**
 * `arrival-gateway run` under systemd's eyes: a real process (main.ts) on a simulated radio with
 * NOTIFY_SOCKET and WATCHDOG_USEC set as systemd sets them for WatchdogSec=, and a receiver bound
 * to that unix datagram socket (python3: Node has no unix datagram sockets). It must say READY=1
 * once it scans, keep sending WATCHDOG=1 from its event loop, and STOPPING=1 then exit 0 on SIGTERM.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TsxChild } from "../support/TsxChild.js";
import { NOTIFY_TOOLS_AVAILABLE, type NotifyReceiver, startNotifyReceiver } from "../support/notifyReceiver.js";
import { until } from "../support/until.js";

describe.skipIf(!NOTIFY_TOOLS_AVAILABLE)("arrival-gateway run with a systemd watchdog", () => {
  let dir: string;
  let receiver: NotifyReceiver | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-run-watchdog-"));
    receiver = await startNotifyReceiver(join(dir, "notify"));
  });
  afterAll(async () => {
    receiver?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const sent = (assignment: string) => receiver?.count(assignment) ?? 0;
  const messages = () => receiver?.messages ?? [];

  it("says READY once it scans, pings WATCHDOG=1 from its event loop, and STOPPING on SIGTERM", async () => {
    const config = join(dir, "gateway.json");
    await writeFile(join(dir, "password"), "secret-password\n");
    await writeFile(
      config,
      JSON.stringify({
        storeId: "s1",
        gatewayId: "g1",
        dataDir: join(dir, "data"),
        // No broker: the gateway keeps retrying, which is no reason to stop feeding the watchdog.
        mqtt: { url: "mqtt://127.0.0.1:9", username: "g1", passwordFile: join(dir, "password") },
        scanner: { source: "sim" },
      }),
    );
    const child = new TsxChild("gateway/src/main.ts", ["run", "--config", config, "--log-format", "json", "--log-level", "warn"], {
      NOTIFY_SOCKET: join(dir, "notify"),
      WATCHDOG_USEC: "1000000",
    });
    await until(() => sent("READY=1") === 1, 30_000, "READY=1");
    expect(messages().some((m) => m.split("\n").some((line) => /^STATUS=scanning, version \d+\.\d+\.\d+/.test(line)))).toBe(true);
    await until(() => sent("WATCHDOG=1") >= 2, 30_000, "two watchdog pings");
    const pid = child.pid;
    if (pid === undefined) throw new Error("the gateway process did not start");
    process.kill(pid, "SIGTERM");
    const exit = await child.exited;
    expect(exit.code, child.errorOutput).toBe(0);
    await until(() => sent("STOPPING=1") === 1, 10_000, "STOPPING=1");
  });
});
