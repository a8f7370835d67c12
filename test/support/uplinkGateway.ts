import { parseGatewayConfig, type GatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import type { Clock, Logger, ScanSource } from "../../gateway/src/services/ports.js";
import { GATEWAY_ID, STORE_ID } from "./uplinkEvents.js";

/** A radio that hears nothing: the uplink tests feed events into the pipeline's sink themselves. */
export const silentSource: ScanSource = {
  start: async () => undefined,
  stop: async () => undefined,
};

export interface UplinkGatewayOptions {
  readonly dataDir: string;
  readonly url: string;
  readonly username: string;
  readonly password?: string;
  readonly passwordFile?: string;
  /** Overrides of the `uplink` section. */
  readonly uplink?: Readonly<Record<string, number>>;
  readonly zones?: readonly unknown[];
}

/**
 * The config document of a test gateway s1/g1: fast reconnects (the schema's minimum bounds) and a
 * short ack timeout, so fault tests recover in seconds; everything else at its default.
 */
export function uplinkGatewayDocument(o: UplinkGatewayOptions): Record<string, unknown> {
  return {
    storeId: STORE_ID,
    gatewayId: GATEWAY_ID,
    dataDir: o.dataDir,
    mqtt: {
      url: o.url,
      username: o.username,
      ...(o.password === undefined ? {} : { password: o.password }),
      ...(o.passwordFile === undefined ? {} : { passwordFile: o.passwordFile }),
      keepaliveS: 5,
      reconnectInitialMs: 100,
      reconnectMaxMs: 1000,
    },
    // createGateway takes its radio from the caller; the child process and these tests pass a
    // source of their own, so this field only has to be valid.
    scanner: { source: "sim" },
    zones: o.zones ?? [{ id: "z1", shape: "gateway-radius", gatewayId: GATEWAY_ID, radiusM: 3 }],
    uplink: { batchSize: 100, maxInflightBatches: 4, ackTimeoutMs: 2000, ...o.uplink },
    telemetryIntervalS: 1,
  };
}

export function uplinkGatewayConfig(o: UplinkGatewayOptions): GatewayConfig {
  const parsed = parseGatewayConfig(uplinkGatewayDocument(o));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

/** The real gateway composition (outbox, relay, MQTT uplink, remote config), started, on a silent radio. */
export async function startUplinkGateway(
  o: UplinkGatewayOptions,
  log: Logger,
  clock: Clock = { now: () => Date.now() },
): Promise<Gateway> {
  const gateway = await createGateway(uplinkGatewayConfig(o), { source: silentSource, log, clock });
  await gateway.start();
  return gateway;
}
