/** Small fakes at the ports for the noble adapter and scan command tests. */
import type { Clock, Logger } from "../../../../gateway/src/services/ports.js";

export interface LogEntry {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

/** A Logger that keeps what it is told. */
export function recordingLog(): Logger & {
  entries: LogEntry[];
  messages(level?: LogEntry["level"]): string[];
} {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry["level"]) =>
    (obj: object, msg: string): void => {
      entries.push({ level, obj: obj as Record<string, unknown>, msg });
    };
  const log = {
    entries,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: () => log,
    messages: (level?: LogEntry["level"]) =>
      entries.filter((e) => level === undefined || e.level === level).map((e) => e.msg),
  };
  return log;
}

export function manualClock(
  start = Date.UTC(2025, 2, 1, 9, 0, 0),
): Clock & { advance(ms: number): void; set(t: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (t) => {
      now = t;
    },
  };
}

/** Resolves once `predicate` holds, polling on real timers; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 3000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending immediates and microtasks run (the fake controller answers on setImmediate). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}
