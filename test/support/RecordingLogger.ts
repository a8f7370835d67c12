/** One log call as a component made it. */
export interface LogEntry {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly msg: string;
  readonly obj: Readonly<Record<string, unknown>>;
}

/**
 * A logger for tests that keeps every entry (with its child bindings merged in), so a test can
 * assert on what a component reported: an eviction warning, a refused connection. It satisfies the
 * gateway's and the cloud's `Logger` ports.
 */
export class RecordingLogger {
  readonly entries: LogEntry[];
  private readonly bindings: Readonly<Record<string, unknown>>;

  constructor(entries: LogEntry[] = [], bindings: Readonly<Record<string, unknown>> = {}) {
    this.entries = entries;
    this.bindings = bindings;
  }

  debug(obj: object, msg: string): void {
    this.push("debug", obj, msg);
  }
  info(obj: object, msg: string): void {
    this.push("info", obj, msg);
  }
  warn(obj: object, msg: string): void {
    this.push("warn", obj, msg);
  }
  error(obj: object, msg: string): void {
    this.push("error", obj, msg);
  }
  /** Fastify takes a logger with pino's six levels; trace counts as debug, fatal as error. */
  trace(obj: object, msg: string): void {
    this.push("debug", obj, msg);
  }
  fatal(obj: object, msg: string): void {
    this.push("error", obj, msg);
  }

  child(bindings: Record<string, unknown>): RecordingLogger {
    return new RecordingLogger(this.entries, { ...this.bindings, ...bindings });
  }

  /** Entries with this message, oldest first. */
  named(msg: string): LogEntry[] {
    return this.entries.filter((e) => e.msg === msg);
  }

  private push(level: LogEntry["level"], obj: object, msg: string): void {
    this.entries.push({ level, msg, obj: { ...this.bindings, ...(obj as Record<string, unknown>) } });
  }
}
