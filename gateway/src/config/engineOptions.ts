import type { GatewayRemoteConfig, PresenceTuning, Zone } from "../../../protocol/index.js";
import type { PresenceEngineOptions } from "../domain/presence/PresenceEngine.js";
import type { GatewayConfig } from "./loadConfig.js";

/**
 * The presence engine's options from a gateway config, overlaid by the last remote config when there
 * is one. One function for the running gateway and the replay command, so a replay decides exactly
 * what the gateway would have.
 */
export function engineOptions(config: GatewayConfig, remote: GatewayRemoteConfig | null = null): PresenceEngineOptions {
  const zones: readonly Zone[] = remote ? remote.zones : config.zones;
  const tuning: PresenceTuning = { ...config.presenceTuning, ...(remote?.presence ?? {}) };
  // Lists pushed by the cloud replace the file's: the cloud holds the store's whole list.
  const beacons = remote?.beacons ?? config.beacons;
  const sites = [
    {
      id: config.gatewayId,
      rssiOffsetDb: config.site.rssiOffsetDb,
      ...(config.site.lat === undefined ? {} : { lat: config.site.lat }),
      ...(config.site.lon === undefined ? {} : { lon: config.site.lon }),
    },
    // The store's other gateways: only a merged stream (the store LAN's live fusion, a replay of a
    // multi-gateway capture) carries their sightings; a lone gateway decides as if they were not listed.
    ...config.peers
      .filter((p) => p.id !== config.gatewayId)
      .map((p) => ({ id: p.id, rssiOffsetDb: p.rssiOffsetDb, lat: p.lat, lon: p.lon })),
  ];
  return {
    zones,
    tuning,
    // In id order, not "self first": every gateway of a store then compiles the same engine (the
    // pooled evidence is summed in this order), so all of them decide alike on the same sightings.
    gateways: sites.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    // GPS fixes reach a gateway only through itself.
    fixGatewayId: config.gatewayId,
    defaultMeasuredPowerDbm: config.site.defaultMeasuredPowerDbm,
    // Ids compared as the decoder writes them (lowercase), whatever case the file used.
    calibration: new Map((beacons.calibration ?? []).map((c) => [c.subject.toLowerCase(), c.measuredPowerDbm])),
    beacons: { allow: beacons.allow ?? [], deny: beacons.deny ?? [] },
  };
}
