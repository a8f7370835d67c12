import Type, { type Static } from "typebox";
import {
  type Checked,
  Checker,
  encodeMessage,
  type GatewayRemoteConfig,
  GatewayRemoteConfigSchema,
  MAX_PAYLOAD_BYTES,
  type Problem,
} from "../../../../protocol/index.js";

/**
 * What an operator pushes to a gateway: the gateway remote config (docs/protocol.md) without `v`
 * and `revision`, which the cloud sets. The fields are the protocol's own schemas, so what the
 * cloud accepts here the gateway's decoder accepts too.
 */
export const DesiredConfigSchema = Type.Object(
  {
    zones: GatewayRemoteConfigSchema.properties.zones,
    presence: GatewayRemoteConfigSchema.properties.presence,
  },
  { additionalProperties: false },
);
export type DesiredConfig = Static<typeof DesiredConfigSchema>;

const checker = new Checker(DesiredConfigSchema);

/**
 * Checks a config for the gateways of one store: the schema, then what a schema cannot say. A
 * `gateway-radius` zone must be centred on a gateway of the store (a zone around an unknown
 * gateway would never be entered), zone ids must be unique (the gateway's presence engine refuses
 * duplicates, so pushing one would only earn a rejection), and the message must fit the broker's
 * payload limit at the largest revision number.
 */
export function checkDesiredConfig(value: unknown, storeGatewayIds: readonly string[]): Checked<DesiredConfig> {
  const checked = checker.check(value);
  if (!checked.ok) return checked;
  const config = checked.value;
  const problems: Problem[] = [];
  const known = new Set(storeGatewayIds);
  const seen = new Map<string, number>();
  config.zones.forEach((zone, i) => {
    const first = seen.get(zone.id);
    if (first !== undefined)
      problems.push({ path: `/zones/${i}/id`, message: `duplicate zone id ${JSON.stringify(zone.id)} (also /zones/${first})` });
    else seen.set(zone.id, i);
    if (zone.shape === "gateway-radius" && !known.has(zone.gatewayId))
      problems.push({
        path: `/zones/${i}/gatewayId`,
        message: `gateway ${JSON.stringify(zone.gatewayId)} is not a gateway of this store`,
      });
  });
  const size = encodeMessage(remoteConfig(config, Number.MAX_SAFE_INTEGER)).byteLength;
  if (size > MAX_PAYLOAD_BYTES)
    problems.push({ path: "", message: `the config is ${size} bytes; a gateway accepts at most ${MAX_PAYLOAD_BYTES}` });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: config };
}

/** The message published on a gateway's config topic. */
export function remoteConfig(config: DesiredConfig, revision: number): GatewayRemoteConfig {
  return {
    v: 1,
    revision,
    zones: config.zones,
    ...(config.presence === undefined ? {} : { presence: config.presence }),
  };
}
