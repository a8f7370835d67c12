import { execFile } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const execFileAsync = promisify(execFile);
const UNIT = join(import.meta.dirname, "..", "..", "firmware-config", "arrival-gateway.service");
const SYSTEMD_ANALYZE = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => existsSync(p));
const REQUIRED = process.env.ARRIVAL_TEST_REQUIRE_SYSTEMD === "1";

/** Every value of every key of the unit (keys repeat, e.g. SystemCallFilter). */
function parseUnit(text: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (!match?.[1]) continue;
    keys.set(match[1], [...(keys.get(match[1]) ?? []), match[2] ?? ""]);
  }
  return keys;
}

/** The unit as provision.sh installs it: ExecStart runs the node binary found on the machine. */
function rendered(text: string, node: string): string {
  return text.replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${node} `);
}

async function verify(dir: string, text: string): Promise<{ code: number; output: string }> {
  const path = join(dir, "arrival-gateway.service");
  await writeFile(path, text);
  return execFileAsync(SYSTEMD_ANALYZE ?? "systemd-analyze", ["verify", path]).then(
    ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}` }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, output: `${err.stdout}${err.stderr}` }),
  );
}

describe("firmware-config/arrival-gateway.service", () => {
  let text: string;
  let unit: Map<string, string[]>;
  let dir: string;
  beforeAll(async () => {
    text = await readFile(UNIT, "utf8");
    unit = parseUnit(text);
    dir = await mkdtemp(join(tmpdir(), "arrival-unit-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const words = (key: string) => (unit.get(key) ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);

  it("restarts on failure with a delay, after Bluetooth and the network", () => {
    expect(unit.get("Restart")).toEqual(["on-failure"]);
    expect(unit.get("RestartSec")).toEqual(["10s"]);
    expect(words("After")).toEqual(expect.arrayContaining(["network-online.target", "bluetooth.target"]));
    expect(words("Wants")).toEqual(expect.arrayContaining(["network-online.target", "bluetooth.target"]));
    expect(unit.get("ExecStart")?.[0]).toMatch(/ run --config \/etc\/arrival-gateway\/gateway\.json$/);
  });

  it("wants a synchronised clock, and restarts a gateway whose event loop stops answering", () => {
    // After= alone would order against time-sync.target only when something else pulls it in.
    expect(words("Wants")).toContain("time-sync.target");
    expect(words("After")).toContain("time-sync.target");
    expect(unit.get("WatchdogSec")).toEqual(["60s"]);
    // The pings come from systemd-notify, a child of the gateway.
    expect(unit.get("NotifyAccess")).toEqual(["all"]);
    // Exit code 69 (no radio) and 75 (outbox held) are restarted; only 2 (bad config) is not.
    expect(unit.get("RestartPreventExitStatus")).toEqual(["2"]);
  });

  it("runs as an unprivileged user with only the capabilities BLE scanning needs", () => {
    expect(unit.get("User")).toEqual(["arrival-gateway"]);
    expect(words("AmbientCapabilities").sort()).toEqual(["CAP_NET_ADMIN", "CAP_NET_RAW"]);
    expect(words("CapabilityBoundingSet").sort()).toEqual(["CAP_NET_ADMIN", "CAP_NET_RAW"]);
    expect(unit.get("NoNewPrivileges")).toEqual(["yes"]);
  });

  it("is hardened without breaking HCI sockets or V8", () => {
    expect(unit.get("ProtectSystem")).toEqual(["strict"]);
    expect(unit.get("ProtectHome")).toEqual(["yes"]);
    expect(unit.get("PrivateTmp")).toEqual(["yes"]);
    expect(words("ReadWritePaths")).toContain("/var/lib/arrival-gateway");
    expect(unit.get("StateDirectory")).toEqual(["arrival-gateway"]);
    expect(unit.get("ConfigurationDirectory")).toEqual(["arrival-gateway"]);
    expect(words("RestrictAddressFamilies")).toEqual(expect.arrayContaining(["AF_BLUETOOTH", "AF_INET", "AF_INET6"]));
    // Bluetooth sockets exist only in the host's network namespace; V8's JIT needs W+X pages.
    expect(unit.get("PrivateNetwork") ?? ["no"]).toEqual(["no"]);
    expect(unit.get("MemoryDenyWriteExecute") ?? ["no"]).toEqual(["no"]);
  });

  it("logs to journald under its own identifier", () => {
    expect(unit.get("StandardOutput")).toEqual(["journal"]);
    expect(unit.get("SyslogIdentifier")).toEqual(["arrival-gateway"]);
    expect(words("Environment")).toContain("ARRIVAL_LOG_FORMAT=json");
  });

  it("installs a requested update as root from the current release, watched by a path unit", async () => {
    const path = parseUnit(await readFile(join(UNIT, "..", "arrival-gateway-update.path"), "utf8"));
    const service = parseUnit(await readFile(join(UNIT, "..", "arrival-gateway-update.service"), "utf8"));
    expect(path.get("PathExists")).toEqual(["/var/lib/arrival-gateway/updates/request"]);
    expect(path.get("Unit")).toEqual(["arrival-gateway-update.service"]);
    expect(service.get("Type")).toEqual(["oneshot"]);
    expect(service.get("ExecStart")?.[0]).toBe(
      "/bin/bash /opt/arrival-gateway/current/firmware-config/install-release.sh take-request /var/lib/arrival-gateway/updates",
    );
    // Root: no User= (installing under /opt and restarting the gateway need it).
    expect(service.get("User")).toBeUndefined();
  });

  it.skipIf(!SYSTEMD_ANALYZE)("the updater units pass systemd-analyze verify without a warning", async () => {
    const updaterDir = join(dir, "updater");
    await mkdir(updaterDir, { recursive: true });
    for (const unitName of ["arrival-gateway-update.service", "arrival-gateway-update.path"])
      await writeFile(join(updaterDir, unitName), await readFile(join(UNIT, "..", unitName), "utf8"));
    const result = await execFileAsync(SYSTEMD_ANALYZE ?? "systemd-analyze", [
      "verify",
      join(updaterDir, "arrival-gateway-update.service"),
      join(updaterDir, "arrival-gateway-update.path"),
    ]).then(
      ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}` }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, output: `${err.stdout}${err.stderr}` }),
    );
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it.runIf(REQUIRED)("has systemd-analyze to verify with (ARRIVAL_TEST_REQUIRE_SYSTEMD=1)", () => {
    expect(SYSTEMD_ANALYZE, "systemd-analyze not found: install systemd").toBeDefined();
  });

  it.skipIf(!SYSTEMD_ANALYZE)("passes systemd-analyze verify as provision.sh installs it, without a warning", async () => {
    const result = await verify(dir, rendered(text, realpathSync(process.execPath)));
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
    // The check can fail: a missing ExecStart binary, or a misspelt key, is reported.
    const missing = await verify(dir, rendered(text, "/nonexistent/node"));
    expect(missing.code).not.toBe(0);
    const misspelt = await verify(dir, rendered(text, realpathSync(process.execPath)).replace("Restart=on-failure", "Restartt=on-failure"));
    expect(misspelt.output).toMatch(/Unknown key/);
  });

  it.skipIf(!SYSTEMD_ANALYZE)("scores at most 2.5 in systemd-analyze security (0 is fully locked down, 10 unprotected)", async () => {
    const path = join(dir, "arrival-gateway.service");
    const security = (threshold: number) =>
      execFileAsync(SYSTEMD_ANALYZE ?? "systemd-analyze", ["security", "--offline=yes", `--threshold=${threshold}`, path]).then(
        () => 0,
        (err: { code: number }) => err.code,
      );
    await writeFile(path, rendered(text, realpathSync(process.execPath)));
    expect(await security(25)).toBe(0);
    // The same unit without its hardening scores far worse, so the threshold is not a formality.
    await writeFile(path, rendered(text, realpathSync(process.execPath)).replace(/^(Protect|Private|Restrict|SystemCall)\w*=.*$/gm, ""));
    expect(await security(25)).not.toBe(0);
  });
});
