import { pino } from "pino";
import pretty from "pino-pretty";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
export type LogFormat = "auto" | "json" | "pretty";

/**
 * The one root logger of the gateway process: JSON lines by default (for journald and log shippers),
 * human-readable when attached to a terminal. Secrets are redacted wherever they appear. Commands
 * whose standard output is their result (`scan`, `replay`) log to standard error instead.
 */
export function createLogger(options: { level: LogLevel; format: LogFormat; name: string; toStderr?: boolean }) {
  const fd = options.toStderr ? 2 : 1;
  const tty = (options.toStderr ? process.stderr : process.stdout).isTTY === true;
  const readable = options.format === "pretty" || (options.format === "auto" && tty);
  const base = {
    name: options.name,
    level: options.level,
    redact: {
      paths: ["password", "*.password", "secret", "*.secret", "apiKey", "*.apiKey", "req.headers.authorization"],
      censor: "[redacted]",
    },
  };
  return readable
    ? pino(base, pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", destination: fd }))
    : pino(base, pino.destination(fd));
}
