import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Logger, Scheduler, TimerHandle } from "../../services/ports.js";

/**
 * What systemd told this process about its notification socket (sd_notify(3)): where to send
 * (`NOTIFY_SOCKET`, a path or `@abstract`), and how often the watchdog expects a ping
 * (`WATCHDOG_USEC`, for this pid when `WATCHDOG_PID` is set).
 */
export interface NotifyEnvironment {
  readonly socket: string | null;
  /** The service's WatchdogSec in ms; null when there is no watchdog for this process. */
  readonly watchdogMs: number | null;
}

/** Reads sd_notify's environment variables; anything malformed counts as absent. */
export function notifyEnvironment(env: Readonly<Record<string, string | undefined>>, pid: number): NotifyEnvironment {
  const raw = env.NOTIFY_SOCKET ?? "";
  const socket = raw.startsWith("/") || (raw.startsWith("@") && raw.length > 1) ? raw : null;
  const usec = Number(env.WATCHDOG_USEC ?? "");
  const watchdogPid = env.WATCHDOG_PID;
  const forUs = watchdogPid === undefined || watchdogPid === "" || Number(watchdogPid) === pid;
  const watchdogMs = socket !== null && forUs && Number.isSafeInteger(usec) && usec > 0 ? Math.max(1, Math.floor(usec / 1000)) : null;
  return { socket, watchdogMs };
}

const execFileAsync = promisify(execFile);

/** Sends one notification (newline-separated `VAR=VALUE` assignments) to the socket. */
export type NotifySend = (socket: string, assignments: readonly string[]) => Promise<void>;

/**
 * The sender used on a real system: systemd's own `systemd-notify`, handed the assignments as
 * arguments. Node has no AF_UNIX datagram sockets (dgram is UDP only) and a native module is one
 * more thing to build on every Pi; `systemd-notify` ships with systemd wherever NOTIFY_SOCKET can
 * exist. Since systemd 246 it waits for the manager to take the message (BARRIER=1), so it is
 * attributed to the service even though it comes from a child: the unit needs `NotifyAccess=all`.
 */
export function systemdNotifySend(
  env: Readonly<Record<string, string | undefined>>,
  command = "systemd-notify",
  timeoutMs = 5000,
): NotifySend {
  return async (socket, assignments) => {
    await execFileAsync(command, [...assignments], { env: { ...env, NOTIFY_SOCKET: socket }, timeout: timeoutMs });
  };
}

export interface SystemdNotifierOptions {
  /** The process environment: NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID (and PATH for the sender). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly pid: number;
  readonly scheduler: Scheduler;
  readonly log: Logger;
  /** Default {@link systemdNotifySend}. */
  readonly send?: NotifySend;
}

/**
 * sd_notify for the gateway: `READY=1` and `STATUS=` once it scans, `WATCHDOG=1` every half
 * WatchdogSec from the event loop (a hung loop sends nothing, and systemd restarts the service),
 * `STOPPING=1` on the way out. Without NOTIFY_SOCKET (not under systemd, or Type/NotifyAccess
 * without it) every call does nothing.
 */
export class SystemdNotifier {
  private readonly environment: NotifyEnvironment;
  private readonly send: NotifySend;
  private timer: TimerHandle | null = null;
  private pinging = false;
  private failures = 0;

  constructor(private readonly o: SystemdNotifierOptions) {
    this.environment = notifyEnvironment(o.env, o.pid);
    this.send = o.send ?? systemdNotifySend(o.env);
  }

  /** The watchdog period systemd expects, ms; null without a watchdog. */
  get watchdogMs(): number | null {
    return this.environment.watchdogMs;
  }

  /** Starts the watchdog pings, if systemd asked for them. Idempotent. */
  startWatchdog(): void {
    const { watchdogMs } = this.environment;
    if (watchdogMs === null || this.timer !== null) return;
    // Half the period, as sd_watchdog_enabled(3) advises: one late ping is not yet a restart.
    this.timer = this.o.scheduler.setInterval(() => this.ping(), Math.max(1, Math.floor(watchdogMs / 2)));
    this.o.log.info({ watchdogMs }, "systemd watchdog enabled");
  }

  stopWatchdog(): void {
    if (this.timer !== null) this.o.scheduler.clearInterval(this.timer);
    this.timer = null;
  }

  /** Sends the assignments; never rejects (a failed notification is logged, not fatal). */
  async notify(assignments: readonly string[]): Promise<void> {
    const { socket } = this.environment;
    if (socket === null) return;
    try {
      await this.send(socket, assignments);
      this.failures = 0;
    } catch (err) {
      // Logged on the first failure and every 100th after, so a broken socket cannot flood the journal.
      if (this.failures++ % 100 === 0) this.o.log.warn({ err, failures: this.failures }, "sd_notify failed");
    }
  }

  private ping(): void {
    // A ping still on its way is enough: starting another would only queue them up.
    if (this.pinging) return;
    this.pinging = true;
    void this.notify(["WATCHDOG=1"]).finally(() => {
      this.pinging = false;
    });
  }
}
