/**
 * `arrival-gateway run` as systemd runs it (a real process through main.ts, --log-format json) on a
 * machine whose radio cannot scan: it must not connect to the broker (so it never announces
 * `online`), must say why in one JSON log line, and must end with exit code 69 so that
 * Restart=on-failure starts it again.
 */
import { createServer, type Server } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TsxChild } from "../support/TsxChild.js";

let dir: string;
let broker: Server;
let connections: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "arrival-run-health-"));
  connections = 0;
  // Not a broker: anything connecting to it is the failure under test.
  broker = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => broker.listen(0, "127.0.0.1", resolve));
});
afterEach(async () => {
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

interface LogLine {
  level: number;
  msg: string;
  exitCode?: number;
  err?: { message: string };
}

describe("arrival-gateway run without a working radio", () => {
  it("never connects, logs one JSON line saying why, and exits 69", async () => {
    const port = (broker.address() as { port: number }).port;
    const config = join(dir, "gateway.json");
    await writeFile(join(dir, "password"), "secret-password\n");
    await writeFile(
      config,
      JSON.stringify({
        storeId: "s1",
        gatewayId: "g1",
        dataDir: join(dir, "data"),
        mqtt: { url: `mqtt://127.0.0.1:${port}`, username: "g1", passwordFile: join(dir, "password") },
        // No machine has hci99: the driver is missing, the kernel has no Bluetooth, or no such adapter.
        scanner: { source: "noble", adapter: "hci99" },
      }),
    );
    const child = new TsxChild("gateway/src/main.ts", ["run", "--config", config, "--log-format", "json"]);
    const exit = await child.exited;
    expect(exit.code, child.errorOutput).toBe(69);
    // Every line on standard output is a JSON log line; none is plain text.
    const lines = child.lines.map((line) => JSON.parse(line) as LogLine);
    const failure = lines.find((line) => line.msg === "scanning could not start");
    expect(failure, child.lines.join("\n")).toMatchObject({ level: 50, exitCode: 69 });
    expect(failure?.err?.message).toMatch(/^scanning could not start: /);
    expect(child.errorOutput).toBe("");
    expect(connections).toBe(0);
  });
});
