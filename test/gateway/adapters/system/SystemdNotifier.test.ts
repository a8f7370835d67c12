/**
 * sd_notify over a real AF_UNIX datagram socket: a receiver bound as systemd binds NOTIFY_SOCKET
 * (python3, since Node has no unix datagram sockets), and the gateway's notifier sending through
 * systemd's own `systemd-notify`, as on a Pi. The receiver also closes the fd of systemd-notify's
 * BARRIER=1, as the service manager does, so the sender returns at once.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifyEnvironment, SystemdNotifier } from "../../../../gateway/src/adapters/system/SystemdNotifier.js";
import { ManualScheduler } from "../../../support/ManualScheduler.js";
import { NOTIFY_TOOLS_AVAILABLE, type NotifyReceiver, startNotifyReceiver } from "../../../support/notifyReceiver.js";
import { RecordingLogger } from "../../../support/RecordingLogger.js";

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

describe.skipIf(!NOTIFY_TOOLS_AVAILABLE)("SystemdNotifier over a real unix datagram socket", () => {
  let dir: string;
  let socketPath: string;
  let receiver: NotifyReceiver | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-notify-"));
    socketPath = join(dir, "notify");
    receiver = await startNotifyReceiver(socketPath);
  });
  afterAll(async () => {
    receiver?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const messages = () => receiver?.messages ?? [];
  const received = (assignment: string) => receiver?.received(assignment) ?? Promise.reject(new Error("no receiver"));

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
    expect(messages().filter((m) => m.includes("WATCHDOG=1"))).toEqual([]);
    await scheduler.advance(1);
    await received("WATCHDOG=1");
    await notifier.notify(["READY=1", "STATUS=scanning"]);
    await received("READY=1");
    expect(messages().some((m) => m.split("\n").includes("STATUS=scanning"))).toBe(true);
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
