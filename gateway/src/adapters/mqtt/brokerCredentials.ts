import { readFile } from "node:fs/promises";
import type { IClientOptions } from "mqtt";

/** How a gateway proves itself to the broker, as its config gives it. */
export interface BrokerCredentials {
  readonly username: string;
  /** The password itself, or read from `passwordFile` at each connection attempt. */
  readonly password?: string;
  readonly passwordFile?: string;
  /** PEM CA bundle for `mqtts://` brokers with a private CA. */
  readonly caFile?: string;
  /** Client certificate and key (PEM) for brokers that authenticate gateways by certificate. */
  readonly certFile?: string;
  readonly keyFile?: string;
}

/**
 * The credential part of the MQTT client options, files read now. One reader for the uplink and
 * `doctor`'s probe, so the probe tests exactly what the gateway will send (the password file's
 * trailing newline trimmed). Rejects with the file system's error (its `code`) when a file cannot
 * be read.
 */
export async function readBrokerCredentials(c: BrokerCredentials): Promise<IClientOptions> {
  const password = c.passwordFile ? (await readFile(c.passwordFile, "utf8")).trim() : c.password;
  return {
    username: c.username,
    ...(password === undefined ? {} : { password }),
    ...(c.caFile ? { ca: await readFile(c.caFile) } : {}),
    ...(c.certFile ? { cert: await readFile(c.certFile) } : {}),
    ...(c.keyFile ? { key: await readFile(c.keyFile) } : {}),
  };
}
