/**
 * sd_notify over a real AF_UNIX datagram socket: a receiver bound as systemd binds NOTIFY_SOCKET
 * (python3, since Node has no unix datagram sockets), and the gateway's notifier sending through
 * systemd's own `systemd-notify`, as on a Pi. The receiver also closes the fd of systemd-notify's
 * BARRIER=1, as the service manager does, so the sender returns at once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifyEnvironment, SystemdNotifier } from "../../../../gateway/src/adapters/system/SystemdNotifier.js";
import { ManualScheduler } from "../../../support/ManualScheduler.js";
import { RecordingLogger } from "../../../support/RecordingLogger.js";

const onPath = (name: string) =>
  (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, name)));
const AVAILABLE = process.platform === "linux" && onPath("python3") && onPath("systemd-notify");

const RECEIVER = `
import array, json, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps({"ready": True}), flush=True)
while True:
    msg, anc, flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
            for fd in fds:
                os.close(fd)
    print(json.dumps({"message": msg.decode()}), flush=True)
`;

class Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(at: number): void {
    this.t = at;
  }
}

describe("notifyEnvironment", () => {
  it.each([
    [{ NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "30000000" }, { socket: "/run/systemd/notify", watchdogMs: 30_000 }],
    [{ NOTIFY_SOCKET: "@abstract/notify", WATCHDOG_USEC: "30000000", WATCHDOG_PID: "42" }, { socket: "@abstract/notify", watchdogMs: 30_000 }],
    // A watchdog meant for another process (a parent that forked us) is not ours to feed.
    [{ NOTIFY_SOCKET: "/run/systemd/notify", WATCHDOG_USEC: "30000000", WATCHDOG_PID: "7" }, { socket: "/run/systemd/notify", watchdogMs: null }],
    [{ NOTIFY_SOCKET: "/run/systemd/notify" }, { socket: "/run/systemd/notify", watchdogMs: null }],
    [{ NOTIFY_SOCKET: "relative/path", WATCHDOG_USEC: "30000000" }, { socket: null, watchdogMs: null }],
    [{ NOTIFY_SOCKET: "@", WATCHDOG_USEC: "1" }, { socket: null, watchdogMs: null }],
    [{ NOTIFY_SOCKET: "/n", WATCHDOG_USEC: "-5" }, { socket: "/n", watchdogMs: null }],
    [{ NOTIFY_SOCKET: "/n", WATCHDOG_USEC: "soon" }, { socket: "/n", watchdogMs: null }],
    [{}, { socket: null, watchdogMs: null }],
  ])("%j gives %j", (env, expected) => {
    expect(notifyEnvironment(env, 42)).toEqual(expected);
  });
});

describe.skipIf(!AVAILABLE)("SystemdNotifier over a real unix datagram socket", () => {
  let dir: string;
  let socketPath: string;
  let receiver: ChildProcess;
  const messages: string[] = [];
  const waiters: (() => void)[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-notify-"));
    socketPath = join(dir, "notify");
    receiver = spawn("python3", ["-c", RECEIVER, socketPath], { stdio: ["ignore", "pipe", "inherit"] });
    let partial = "";
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((resolve) => {
      ready = resolve;
    });
    receiver.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        const parsed = JSON.parse(line) as { ready?: boolean; message?: string };
        if (parsed.ready) ready();
        if (parsed.message !== undefined) messages.push(parsed.message);
      }
      for (const wake of waiters.splice(0)) wake();
    });
    await isReady;
  });
  afterAll(async () => {
    receiver?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  /** Resolves once a received datagram contains `text`. */
  function received(text: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (messages.some((m) => m.split("\n").includes(text))) resolve();
        else waiters.push(check);
      };
      check();
    });
  }

  it("pings WATCHDOG=1 every half WatchdogSec from the event loop, and sends READY and STOPPING", async () => {
    const clock = new Clock(0);
    const scheduler = new ManualScheduler(clock);
    const log = new RecordingLogger();
    const notifier = new SystemdNotifier({
      env: { PATH: process.env.PATH, NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: "4000000" },
      pid: process.pid,
      scheduler,
      log,
    });
    expect(notifier.watchdogMs).toBe(4000);
    notifier.startWatchdog();
    await scheduler.advance(1999);
    expect(messages.filter((m) => m.includes("WATCHDOG=1"))).toEqual([]);
    await scheduler.advance(1);
    await received("WATCHDOG=1");
    await notifier.notify(["READY=1", "STATUS=scanning"]);
    await received("READY=1");
    expect(messages.some((m) => m.split("\n").includes("STATUS=scanning"))).toBe(true);
    notifier.stopWatchdog();
    expect(scheduler.pending).toBe(0);
    await notifier.notify(["STOPPING=1"]);
    await received("STOPPING=1");
    expect(log.named("sd_notify failed")).toEqual([]);
  });

  it("does not fail the gateway when nobody listens on the socket", async () => {
    const log = new RecordingLogger();
    const notifier = new SystemdNotifier({
      env: { PATH: process.env.PATH, NOTIFY_SOCKET: join(dir, "nobody-here") },
      pid: process.pid,
      scheduler: new ManualScheduler(new Clock(0)),
      log,
    });
    await notifier.notify(["READY=1"]);
    expect(log.named("sd_notify failed")).toHaveLength(1);
  });
});

describe("SystemdNotifier without systemd", () => {
  it("sends nothing and sets no timer without NOTIFY_SOCKET", async () => {
    const scheduler = new ManualScheduler(new Clock(0));
    const sent: string[][] = [];
    const notifier = new SystemdNotifier({
      env: { WATCHDOG_USEC: "1000000" },
      pid: 1,
      scheduler,
      log: new RecordingLogger(),
      send: async (_socket, assignments) => {
        sent.push([...assignments]);
      },
    });
    notifier.startWatchdog();
    await notifier.notify(["READY=1"]);
    expect(scheduler.pending).toBe(0);
    expect(sent).toEqual([]);
  });
});
