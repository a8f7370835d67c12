import Type, { type Static } from "typebox";
import {
  type Checked,
  Checker,
  encodeMessage,
  type GatewayRemoteConfig,
  GatewayRemoteConfigSchema,
  ID_PATTERN,
  MAX_PAYLOAD_BYTES,
  type Problem,
} from "../../../../protocol/index.js";

/**
 * What an operator pushes to a gateway: the gateway remote config (docs/protocol.md) without `v`
 * and `revision`, which the cloud sets. The fields are the protocol's own schemas, so what the
 * cloud accepts here the gateway's decoder accepts too. The store's zones live in the directory:
 * `zones`, when given, replaces them (with `zoneTags`, which only the cloud's rules read); when
 * omitted, the store's current zones are sent.
 */
export const DesiredConfigSchema = Type.Object(
  {
    zones: Type.Optional(GatewayRemoteConfigSchema.properties.zones),
    zoneTags: Type.Optional(
      Type.Record(
        Type.String({ pattern: ID_PATTERN }),
        Type.Array(Type.String({ pattern: ID_PATTERN }), { maxItems: 50 }),
        {
          description:
            "Tags that rules select zones by, per zone id of `zones`; a zone not named keeps the tags it had in the store.",
          additionalProperties: false,
        },
      ),
    ),
    presence: GatewayRemoteConfigSchema.properties.presence,
    software: GatewayRemoteConfigSchema.properties.software,
    beacons: GatewayRemoteConfigSchema.properties.beacons,
  },
  { additionalProperties: false },
);
export type DesiredConfig = Static<typeof DesiredConfigSchema>;
/** A config with its zones settled: what is published, less `v` and `revision`. */
export type ResolvedConfig = Pick<GatewayRemoteConfig, "zones" | "presence" | "software" | "beacons" | "storeBeacon">;

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
  const zones = config.zones ?? [];
  zones.forEach((zone, i) => {
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
  for (const zoneId of Object.keys(config.zoneTags ?? {}))
    if (!seen.has(zoneId))
      problems.push({ path: `/zoneTags/${zoneId}`, message: `${JSON.stringify(zoneId)} is not a zone of /zones` });
  const size = encodeMessage(
    remoteConfig(
      {
        zones,
        ...(config.presence ? { presence: config.presence } : {}),
        ...(config.software ? { software: config.software } : {}),
        ...(config.beacons ? { beacons: config.beacons } : {}),
      },
      Number.MAX_SAFE_INTEGER,
    ),
  ).byteLength;
  if (size > MAX_PAYLOAD_BYTES)
    problems.push({ path: "", message: `the config is ${size} bytes; a gateway accepts at most ${MAX_PAYLOAD_BYTES}` });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: config };
}

/** The message published on a gateway's config topic. */
export function remoteConfig(config: ResolvedConfig, revision: number): GatewayRemoteConfig {
  return {
    v: 1,
    revision,
    zones: config.zones,
    ...(config.presence === undefined ? {} : { presence: config.presence }),
    ...(config.software === undefined ? {} : { software: config.software }),
    ...(config.beacons === undefined ? {} : { beacons: config.beacons }),
    ...(config.storeBeacon === undefined ? {} : { storeBeacon: config.storeBeacon }),
  };
}
