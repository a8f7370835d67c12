import mqtt, { type IClientOptions } from "mqtt";
import { type BrokerCredentials, readBrokerCredentials } from "./brokerCredentials.js";

export interface BrokerProbeOptions extends BrokerCredentials {
  readonly url: string;
  /**
   * Client id of the probe. Never the gateway's own: a second connection with the same id would
   * take over the running gateway's session ([MQTT-3.1.4-2]) and fire its last will.
   */
  readonly clientId: string;
  readonly timeoutMs: number;
}

/**
 * Where a connection attempt stopped, from the outside in: the name (`dns`), the TCP connection
 * (`tcp`), the TLS handshake (`tls`), the broker's CONNACK refusing the credentials (`auth`) or for
 * another reason (`refused`), no answer in time (`timeout`), the local credential files
 * (`credentials`), or anything else (`error`).
 */
export type BrokerProbeFailure = "dns" | "tcp" | "tls" | "auth" | "refused" | "timeout" | "credentials" | "error";

export type BrokerProbeResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly failure: BrokerProbeFailure;
      /** The errno name, TLS error code or CONNACK return code, when there is one. */
      readonly code?: string | number;
      readonly message: string;
    };

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);
const TCP_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EPIPE",
]);
/**
 * CONNACK refusals about the credentials: MQTT 3.1.1 return codes 4 (bad user name or password)
 * and 5 (not authorized) (§3.2.2.3); MQTT 5 reason codes 0x86, 0x87 and 0x8C (§3.2.2.2).
 */
const AUTH_CODES = new Set([4, 5, 0x86, 0x87, 0x8c]);

/**
 * One real MQTT CONNECT with the gateway's credentials (clean session, no will, no subscription),
 * then a clean DISCONNECT. Says where it failed. Reads the password file like the gateway does.
 */
export async function probeBroker(options: BrokerProbeOptions): Promise<BrokerProbeResult> {
  let clientOptions: IClientOptions;
  try {
    clientOptions = {
      ...(await readBrokerCredentials(options)),
      clientId: options.clientId,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: options.timeoutMs,
      protocolVersion: 4,
    };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return {
      ok: false,
      failure: "credentials",
      ...(typeof code === "string" ? { code } : {}),
      message: (err as Error).message,
    };
  }
  return new Promise((resolve) => {
    const client = mqtt.connect(options.url, clientOptions);
    let settled = false;
    const finish = (result: BrokerProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.removeAllListeners();
      client.on("error", () => undefined);
      client.end(!result.ok, () => resolve(result));
    };
    const timer = setTimeout(
      () => finish({ ok: false, failure: "timeout", message: `no answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    client.on("connect", () => finish({ ok: true }));
    client.on("error", (err) => finish(classify(err)));
    client.on("close", () => finish({ ok: false, failure: "tcp", message: "connection closed before CONNACK" }));
  });
}

function classify(err: Error): BrokerProbeResult {
  const code = (err as { code?: unknown }).code;
  const message = err.message;
  if (typeof code === "number") {
    return { ok: false, failure: AUTH_CODES.has(code) ? "auth" : "refused", code, message };
  }
  if (typeof code === "string") {
    if (DNS_CODES.has(code)) return { ok: false, failure: "dns", code, message };
    if (TCP_CODES.has(code)) return { ok: false, failure: "tcp", code, message };
    // Node's TLS errors: certificate verification codes (UPPER_CASE without an E prefix, from
    // OpenSSL) and ERR_TLS_* / ERR_SSL_* codes.
    if (/^(ERR_TLS_|ERR_SSL_)/.test(code) || /CERT|SELF_SIGNED|UNABLE_TO_/.test(code))
      return { ok: false, failure: "tls", code, message };
    return { ok: false, failure: "error", code, message };
  }
  if (/tls|ssl|certificate/i.test(message)) return { ok: false, failure: "tls", message };
  return { ok: false, failure: "error", message };
}
