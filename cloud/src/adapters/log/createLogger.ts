import { pino } from "pino";
import pretty from "pino-pretty";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
export type LogFormat = "auto" | "json" | "pretty";

/**
 * The one root logger of the cloud process: JSON lines by default (for journald and log shippers),
 * human-readable when attached to a terminal. Secrets are redacted wherever they appear.
 */
export function createLogger(options: {
  level: LogLevel;
  format: LogFormat;
  name: string;
  /** File descriptor to write to: 1 (standard output, the default) or 2 (a CLI whose stdout is data). */
  destination?: 1 | 2;
}) {
  const fd = options.destination ?? 1;
  const readable =
    options.format === "pretty" ||
    (options.format === "auto" && (fd === 1 ? process.stdout : process.stderr).isTTY === true);
  const base = {
    name: options.name,
    level: options.level,
    redact: {
      paths: [
        "password",
        "*.password",
        "secret",
        "*.secret",
        "previousSecret",
        "*.previousSecret",
        "apiKey",
        "*.apiKey",
        "req.headers.authorization",
      ],
      censor: "[redacted]",
    },
  };
  return readable
    ? pino(base, pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", destination: fd }))
    : fd === 1
      ? pino(base)
      : pino(base, pino.destination(fd));
}
